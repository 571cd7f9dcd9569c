import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { crmSourceSchema } from "../ingest/crm/crm-config.ts";
import { scheduleConfigSchema } from "../scheduler/schedule-config.ts";
import { homeLayout, type HomeLayout } from "./home.ts";

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: "not an IANA time zone (e.g. Asia/Hong_Kong)" },
);

export const configSchema = z
  .object({
    business: z
      .object({
        name: z.string().min(1).default("Demo Retail Group"),
        timezone: timeZone.default("Asia/Hong_Kong"),
        currency: z.string().length(3).default("USD"),
        defaultRegion: z.string().length(2).default("HK"),
      })
      .strict()
      .default({ name: "Demo Retail Group", timezone: "Asia/Hong_Kong", currency: "USD", defaultRegion: "HK" }),
    sources: z
      .object({
        crm: crmSourceSchema.default({ kind: "sqlite", path: "crm/crm.sqlite" }),
      })
      .strict()
      .default({ crm: { kind: "sqlite", path: "crm/crm.sqlite" } }),
    receiver: z
      .object({
        host: z.string().default("127.0.0.1"),
        port: z.number().int().min(0).max(65535).default(8787),
        appSecrets: z.array(z.string().min(1)).default([]),
        verifyToken: z.string().optional(),
        maxBodyBytes: z
          .number()
          .int()
          .positive()
          .default(3 * 1024 * 1024 + 64 * 1024),
      })
      .strict()
      .default({ host: "127.0.0.1", port: 8787, appSecrets: [], maxBodyBytes: 3 * 1024 * 1024 + 64 * 1024 }),
    dbt: z
      .object({
        threads: z.number().int().min(1).max(16).default(2),
      })
      .strict()
      .default({ threads: 2 }),
    demo: z
      .object({
        seed: z.number().int().default(20261127),
        customers: z.number().int().positive().default(1500),
        days: z.number().int().positive().default(180),
      })
      .strict()
      .default({ seed: 20261127, customers: 1500, days: 180 }),
    /** Cron schedules, retries, alerts, lock, retention (scheduler/schedule-config.ts). */
    schedule: scheduleConfigSchema.default(() => scheduleConfigSchema.parse({})),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export interface LoadedConfig {
  readonly config: Config;
  readonly home: HomeLayout;
  /** Where the file came from, or null when only defaults and environment apply. */
  readonly file: string | null;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Environment variables that override a config key; secrets belong here, not in the file. */
const ENV_OVERRIDES: ReadonlyArray<{ env: string; path: readonly string[]; parse: (v: string) => unknown }> = [
  { env: "SCRM_TIMEZONE", path: ["business", "timezone"], parse: (v) => v },
  { env: "SCRM_CURRENCY", path: ["business", "currency"], parse: (v) => v },
  { env: "SCRM_DEFAULT_REGION", path: ["business", "defaultRegion"], parse: (v) => v },
  { env: "SCRM_RECEIVER_PORT", path: ["receiver", "port"], parse: (v) => Number(v) },
  {
    env: "WHATSAPP_APP_SECRET",
    path: ["receiver", "appSecrets"],
    parse: (v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
  },
  { env: "WHATSAPP_VERIFY_TOKEN", path: ["receiver", "verifyToken"], parse: (v) => v },
  { env: "SCRM_DBT_THREADS", path: ["dbt", "threads"], parse: (v) => Number(v) },
  { env: "SCRM_ALERT_URL", path: ["schedule", "alerts", "url"], parse: (v) => v },
];

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Parses already-read raw config; errors name the offending key and where it came from. */
export function parseConfig(raw: unknown, origin: string, env: NodeJS.ProcessEnv = process.env): Config {
  const merged = structuredClone(raw ?? {}) as Record<string, unknown>;
  const fromEnv = new Map<string, string>();
  for (const o of ENV_OVERRIDES) {
    const v = env[o.env];
    if (v !== undefined && v !== "") {
      setPath(merged, o.path, o.parse(v));
      fromEnv.set(o.path.join("."), o.env);
    }
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join(".") || "(root)";
      const src = fromEnv.get(key) ? `environment variable ${fromEnv.get(key)}` : origin;
      return `  ${key}: ${issue.message} (from ${src})`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

export function loadConfig(homeDir: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const home = homeLayout(homeDir);
  let raw: unknown = {};
  let file: string | null = null;
  if (existsSync(home.configFile)) {
    file = home.configFile;
    try {
      raw = JSON.parse(readFileSync(home.configFile, "utf8"));
    } catch (err) {
      throw new ConfigError(`${home.configFile}: not valid JSON: ${(err as Error).message}`);
    }
  }
  return { config: parseConfig(raw, file ?? "defaults", env), home, file };
}
