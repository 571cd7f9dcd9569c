// Loader for data/glossary.json: every mart (and ml) model, column and KPI metric with its
// description, from the dbt manifest that `dbt build` writes (<home>/dbt/target/manifest.json).
// The build passes the target directory as SCRM_DBT_TARGET; without it, the home layout next to
// the warehouse is tried. No manifest: an empty glossary with a note (the build does not fail).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { glossaryFromManifest } from "./glossary-source.ts";
import { emit, warn } from "./warehouse.ts";

const candidates = [
  process.env.SCRM_DBT_TARGET ? join(process.env.SCRM_DBT_TARGET, "manifest.json") : null,
  process.env.SCRM_WAREHOUSE ? join(dirname(process.env.SCRM_WAREHOUSE), "dbt", "target", "manifest.json") : null,
].filter((p): p is string => p !== null);
const path = candidates.find((p) => existsSync(p));
if (!path) {
  warn(`no dbt manifest found (tried ${candidates.join(", ") || "nothing: SCRM_DBT_TARGET unset"}); the glossary will be empty.`);
  emit({ source: null, models: [], metrics: [] });
} else {
  const manifest = JSON.parse(readFileSync(path, "utf8"));
  const g = glossaryFromManifest(manifest);
  emit({ source: "dbt manifest", generatedAt: manifest.metadata?.generated_at ?? null, ...g });
}
