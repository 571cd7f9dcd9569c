import { join, resolve } from "node:path";

/** Every file the product reads or writes lives under one home folder; this is its map. */
export interface HomeLayout {
  readonly root: string;
  readonly configFile: string;
  readonly warehouse: string;
  readonly landing: {
    readonly root: string;
    readonly webhooks: string;
    readonly outbound: string;
    readonly marketing: string;
  };
  readonly crmSqlite: string;
  readonly exports: string;
  readonly site: string;
  readonly demo: string;
  readonly groundTruth: string;
  readonly dbt: string;
  readonly logs: string;
}

export const DEFAULT_HOME = "data";

export function homeLayout(home: string): HomeLayout {
  const root = resolve(home);
  const landing = join(root, "landing");
  return {
    root,
    configFile: join(root, "scrm.config.json"),
    warehouse: join(root, "warehouse.duckdb"),
    landing: {
      root: landing,
      webhooks: join(landing, "webhooks"),
      outbound: join(landing, "outbound"),
      marketing: join(landing, "marketing"),
    },
    crmSqlite: join(root, "crm", "crm.sqlite"),
    exports: join(root, "exports"),
    site: join(root, "site"),
    demo: join(root, "demo"),
    groundTruth: join(root, "demo", "ground-truth.json"),
    dbt: join(root, "dbt"),
    logs: join(root, "logs"),
  };
}

/** --home beats SCRM_HOME beats ./data. */
export function resolveHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.SCRM_HOME ?? DEFAULT_HOME);
}
