import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { homeLayout, type HomeLayout } from "../../core/home.ts";

/** A throw-away home folder per test; removed by the returned cleanup. */
export function tempHome(prefix = "scrm-test-"): { home: HomeLayout; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { home: homeLayout(dir), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
