import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import type { LoadedConfig } from "../core/config.ts";
import { MODELS_DIR } from "../core/project.ts";
import { venvBin } from "./python-env.ts";

/**
 * The pipeline's build: every model, seed and data test, but not the unit tests. Unit tests check
 * SQL logic on fixed rows, not the data, so they give the same answer on every run; dbt recommends
 * running them in development and CI, where `npm test` runs them (tests/integration/models).
 */
export const PIPELINE_BUILD = ["build", "--exclude-resource-type", "unit_test"] as const;

/** How one dbt node (model, test, seed) ended, from `run_results.json`. */
export interface DbtNodeResult {
  readonly uniqueId: string;
  readonly status: string;
  readonly seconds: number;
  readonly message: string | null;
  readonly failures: number | null;
}

export interface DbtRunResult {
  readonly exitCode: number;
  readonly ms: number;
  readonly nodes: DbtNodeResult[];
  readonly counts: Record<string, number>;
  /** The tail of dbt's own output, for failure reports. */
  readonly outputTail: string;
}

export interface DbtOptions {
  readonly warehouse: string;
  readonly timezone: string;
  /** The business currency marts convert revenue and cost into (config business.currency). */
  readonly currency: string;
  readonly threads: number;
  /** Where dbt writes target/ and logs/ (inside the home, so the checkout stays clean). */
  readonly workDir: string;
  readonly onProgress?: (done: number, total: number, line: string) => void;
}

/** The dbt options a loaded configuration implies: one place maps config keys to dbt's environment. */
export function dbtOptionsFor(loaded: LoadedConfig): Omit<DbtOptions, "onProgress"> {
  return {
    warehouse: loaded.home.warehouse,
    timezone: loaded.config.business.timezone,
    currency: loaded.config.business.currency,
    threads: loaded.config.dbt.threads,
    workDir: loaded.home.dbt,
  };
}

export function dbtEnv(
  opts: Pick<DbtOptions, "warehouse" | "timezone" | "currency" | "threads">,
): Record<string, string> {
  return {
    SCRM_WAREHOUSE: opts.warehouse,
    SCRM_TIMEZONE: opts.timezone,
    SCRM_BUSINESS_CURRENCY: opts.currency,
    SCRM_DBT_THREADS: String(opts.threads),
    DBT_SEND_ANONYMOUS_USAGE_STATS: "false",
    DO_NOT_TRACK: "1",
    DBT_VERSION_CHECK: "false",
  };
}

/**
 * Runs one dbt command as a subprocess (dbt allows one invocation at a time per project) and
 * reads its run_results.json. Exit 0 = success, 1 = some nodes failed, 2 = dbt crashed.
 */
export async function runDbt(command: string[], opts: DbtOptions): Promise<DbtRunResult> {
  const dbt = venvBin("dbt");
  if (!existsSync(dbt)) throw new Error(`${dbt} is missing: run \`npm install\` to create the Python environment`);
  const targetPath = join(opts.workDir, "target");
  const resultsFile = join(targetPath, "run_results.json");
  rmSync(resultsFile, { force: true });
  const started = performance.now();
  const proc = execa(
    dbt,
    [
      ...command,
      "--project-dir",
      MODELS_DIR,
      "--profiles-dir",
      MODELS_DIR,
      "--target-path",
      targetPath,
      "--log-path",
      join(opts.workDir, "logs"),
    ],
    { env: dbtEnv(opts), reject: false, all: true, buffer: { all: true } },
  );
  const tail: string[] = [];
  proc.all?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 60) tail.shift();
      const m = /\b(\d+) of (\d+) (OK|PASS|ERROR|FAIL|WARN|SKIP|START)/.exec(line);
      if (m && m[3] !== "START") opts.onProgress?.(Number(m[1]), Number(m[2]), line);
    }
  });
  const res = await proc;
  const ms = performance.now() - started;
  const exitCode = res.exitCode ?? 2;
  const nodes: DbtNodeResult[] = [];
  if (existsSync(resultsFile) && exitCode !== 2) {
    const parsed = JSON.parse(readFileSync(resultsFile, "utf8")) as {
      results: Array<{
        unique_id: string;
        status: string;
        execution_time: number;
        message: string | null;
        failures: number | null;
      }>;
    };
    for (const r of parsed.results) {
      nodes.push({
        uniqueId: r.unique_id,
        status: r.status,
        seconds: r.execution_time,
        message: r.message,
        failures: r.failures,
      });
    }
  }
  const counts: Record<string, number> = {};
  for (const n of nodes) counts[n.status] = (counts[n.status] ?? 0) + 1;
  return { exitCode, ms, nodes, counts, outputTail: tail.join("\n") };
}

export function describeDbtFailure(result: DbtRunResult): string {
  const failed = result.nodes.filter((n) => !["success", "pass", "skipped"].includes(n.status));
  if (failed.length === 0) return `dbt exited with code ${result.exitCode}:\n${result.outputTail}`;
  return failed.map((n) => `  ${n.status}: ${n.uniqueId}${n.message ? ` — ${n.message}` : ""}`).join("\n");
}
