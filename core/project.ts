import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The checked-out project (not the data home): where models/, dashboards/ and .venv/ live. */
export const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));
export const MODELS_DIR = join(PROJECT_ROOT, "models");
export const DASHBOARDS_DIR = join(PROJECT_ROOT, "dashboards");
export const VENV_DIR = join(PROJECT_ROOT, ".venv");
