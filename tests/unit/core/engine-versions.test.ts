import { DuckDBInstance } from "@duckdb/node-api";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { venvBin } from "../../../scheduler/python-env.ts";

describe("the two DuckDB engines", () => {
  it("Node's @duckdb/node-api and dbt's Python duckdb report the same version()", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    const nodeVersion = (await conn.runAndReadAll("select version()")).getRowsJson()[0]![0];
    conn.closeSync();
    db.closeSync();

    const py = await execa(venvBin("python"), [
      "-c",
      "import duckdb; print(duckdb.sql('select version()').fetchone()[0])",
    ]);
    expect(py.stdout.trim()).toBe(nodeVersion);
  });
});
