import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { sha256Hex } from "../ingest/landing/format.ts";
import { MODELS_DIR, VENV_DIR } from "../core/project.ts";
import type { Logger } from "../core/log.ts";

/** The project-local Python environment that runs dbt, built from the pinned requirements. */
export const REQUIREMENTS = join(MODELS_DIR, "requirements.txt");
const STAMP = join(VENV_DIR, ".scrm-requirements.sha256");

export function venvBin(name: string): string {
  return join(VENV_DIR, "bin", name);
}

async function findPython(env: NodeJS.ProcessEnv): Promise<string> {
  const candidates = env.SCRM_PYTHON ? [env.SCRM_PYTHON] : ["python3", "python"];
  for (const cmd of candidates) {
    const res = await execa(cmd, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { reject: false });
    if (res.exitCode === 0) {
      const [major, minor] = String(res.stdout).trim().split(".").map(Number);
      if (major === 3 && (minor ?? 0) >= 9) return cmd;
      throw new Error(
        `${cmd} is Python ${String(res.stdout).trim()}; dbt needs Python 3.9 or newer (set SCRM_PYTHON to another interpreter)`,
      );
    }
  }
  throw new Error(
    "python3 was not found. dbt runs in a project-local Python environment: install Python 3.9+ with venv " +
      "(Debian/Ubuntu: apt-get install python3 python3-venv), or point SCRM_PYTHON at an interpreter, then run `npm install` again.",
  );
}

/** Creates or updates `.venv` when the pinned requirements changed; otherwise returns at once. */
export async function ensurePythonEnv(log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<"ready" | "created"> {
  const wanted = sha256Hex(readFileSync(REQUIREMENTS));
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8").trim() === wanted && existsSync(venvBin("dbt"))) {
    return "ready";
  }
  const python = await findPython(env);
  if (!existsSync(venvBin("python"))) {
    log.info(`creating the Python environment for dbt in ${VENV_DIR}`);
    const made = await execa(python, ["-m", "venv", VENV_DIR], { reject: false, all: true });
    if (made.exitCode !== 0) {
      throw new Error(`could not create ${VENV_DIR} (is python3-venv installed?):\n${made.all}`);
    }
  }
  log.info("installing the pinned dbt-core, dbt-duckdb and duckdb (models/requirements.txt)");
  const pip = await execa(
    venvBin("python"),
    ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q", "-r", REQUIREMENTS],
    { reject: false, all: true },
  );
  if (pip.exitCode !== 0) throw new Error(`pip could not install ${REQUIREMENTS}:\n${pip.all}`);
  writeFileSync(STAMP, wanted + "\n");
  return "created";
}
