import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { SEALED_SUFFIX } from "../landing/format.ts";

export interface LandedFile {
  readonly abs: string;
  /** Relative to the home folder with forward slashes: the ledger key. */
  readonly rel: string;
  readonly bytes: number;
}

/** Sealed files below `dir` whose names end in `suffix`, in name order (segments sort by time). */
export function listLanded(homeRoot: string, dir: string, suffix: string = SEALED_SUFFIX): LandedFile[] {
  if (!existsSync(dir)) return [];
  const out: LandedFile[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && entry.name.endsWith(suffix)) {
        out.push({ abs: p, rel: relative(homeRoot, p).split(sep).join("/"), bytes: statSync(p).size });
      }
    }
  };
  walk(dir);
  return out;
}
