import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../../core/project.ts";
import { WAREHOUSE_STORAGE_VERSION, withWarehouse } from "../../../core/warehouse.ts";
import { venvBin } from "../../../scheduler/python-env.ts";

const dir = mkdtempSync(join(tmpdir(), "scrm-format-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// DuckDB reports a file's format as "<version>+" (the oldest release that reads it).
const STORAGE_VERSION_OF = `select tags['storage_version'] from duckdb_databases() where database_name = current_database()`;

describe("the warehouse file format", () => {
  it("a warehouse file the TypeScript side creates is in WAREHOUSE_STORAGE_VERSION's format", async () => {
    const version = await withWarehouse(join(dir, "ts.duckdb"), {}, (wh) => wh.scalar<string>(STORAGE_VERSION_OF));
    expect(version).toBe(`${WAREHOUSE_STORAGE_VERSION}+`);
  });

  it("a warehouse file dbt creates (the profile's config_options) is in the same format", async () => {
    const py = await execa(venvBin("python"), [
      "-c",
      [
        "import sys, duckdb, yaml",
        "p = yaml.safe_load(open(sys.argv[1]))['scrm']['outputs']['dev']",
        "c = duckdb.connect(sys.argv[2], config=p['config_options'])",
        `print(c.sql("${STORAGE_VERSION_OF}").fetchone()[0])`,
      ].join("\n"),
      join(PROJECT_ROOT, "models/profiles.yml"),
      join(dir, "dbt.duckdb"),
    ]);
    expect(py.stdout.trim()).toBe(`${WAREHOUSE_STORAGE_VERSION}+`);
  });
});
