import { z } from "zod";

/**
 * `sources.crm` in scrm.config.json: which CRM to read and write back to. Secrets come from the
 * environment (urlEnv, tokenEnv), never from the file. The lead wires this schema into
 * core/config.ts; it accepts the older `{kind: "sqlite", path}` and `{kind: "none"}` forms as they are.
 */
const name = z
  .string()
  .regex(/^[a-z0-9_-]+$/i, "letters, digits, - and _ only")
  .optional();
const mapping = z.string().min(1).optional().describe("path of a mapping JSON file, relative to the home folder");

export const crmSourceSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("sqlite"),
      path: z.string().min(1).default("crm/crm.sqlite"),
      name,
      mapping,
    })
    .strict(),
  z
    .object({
      kind: z.literal("sql"),
      /** postgres://user@host:5432/db or sqlite:/path; with a password, prefer urlEnv. */
      url: z.string().min(1).optional(),
      urlEnv: z.string().min(1).default("SCRM_CRM_URL"),
      name,
      mapping,
    })
    .strict(),
  z
    .object({
      kind: z.literal("hubspot"),
      basePath: z.string().url().optional(),
      tokenEnv: z.string().min(1).default("HUBSPOT_ACCESS_TOKEN"),
      name,
      mapping,
      /** Requests per window for this integration: keep below the account's limit (100/10 s Free/Starter, 190 Pro). */
      rateBudget: z
        .object({
          requests: z.number().int().positive().default(90),
          windowMs: z.number().int().positive().default(10_000),
        })
        .strict()
        .default({ requests: 90, windowMs: 10_000 }),
      batchSize: z.number().int().min(1).max(100).default(100),
      maxRetries: z.number().int().min(0).max(10).default(5),
    })
    .strict(),
  z
    .object({
      kind: z.literal("csv"),
      /** Folder holding the export files (contacts.csv, deals.csv; Contacts.csv; Contact.csv ...). */
      dir: z.string().min(1),
      preset: z.enum(["hubspot", "zoho", "salesforce"]).default("hubspot"),
      name,
      mapping,
    })
    .strict(),
  z.object({ kind: z.literal("none") }).strict(),
]);

export type CrmSourceConfig = z.infer<typeof crmSourceSchema>;

/** The landing/raw name of the configured CRM (`crm` column); the embedded SQLite CRM is "default". */
export function crmName(cfg: CrmSourceConfig): string {
  if (cfg.kind === "none") return "none";
  return cfg.name ?? (cfg.kind === "sqlite" ? "default" : cfg.kind);
}
