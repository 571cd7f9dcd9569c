// The dashboard site as a user meets it, on the home the end-to-end pipeline test built (demo,
// ingest, dbt build, site build): the built site is served on 127.0.0.1, and headless Chromium
// (Debian's /usr/bin/chromium via playwright-core) opens every page at desktop and phone widths.
// Fails on a console error, a failed request, a request to another host, an empty chart, a page
// shipping 1 MB of data or more, and on any phone number, name, e-mail or message text of the
// demo CRM/warehouse found anywhere in the built site, in any spelling.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import Database from "better-sqlite3";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { HomeLayout } from "../../core/home.ts";
import { checkSite, CHROMIUM, dataBytesPerPage, sitePages, type PageCheck } from "../../dashboards/browser-check.ts";

const SCREENSHOTS = resolve(import.meta.dirname, "..", ".tmp", "screenshots");
const PAGES = [
  "/",
  "/anomalies",
  "/broadcasts",
  "/churn",
  "/conversations",
  "/cpa",
  "/funnel",
  "/glossary",
  "/health",
  "/service",
];

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const digits = (s: string) => s.replace(/\D/g, "");

/**
 * Every spelling of a phone number worth searching for, as digit strings (separators are stripped
 * from the site's text before searching): as typed, without the trunk 0, E.164 without "+", and
 * the national significant number. Shorter than 8 digits is too ambiguous to search.
 */
export function phoneDigitVariants(phone: string, e164?: string | null): string[] {
  const out = new Set<string>();
  const d = digits(phone);
  out.add(d);
  out.add(d.replace(/^0+/, ""));
  if (e164) {
    const e = digits(e164);
    out.add(e);
    for (const cc of [1, 2, 3]) if (e.length - cc >= 8) out.add(e.slice(cc));
  }
  return [...out].filter((v) => v.length >= 8);
}

interface Pii {
  phones: Map<string, string>; // digit variant -> the phone it came from
  texts: string[]; // names, e-mails, message text (lower-cased)
}

async function collectPii(crmSqlite: string, warehouse: string): Promise<Pii> {
  const phones = new Map<string, string>();
  const texts = new Set<string>();
  const db = new Database(crmSqlite, { readonly: true });
  try {
    for (const c of db.prepare("select full_name, phone, email from contacts").all() as {
      full_name: string;
      phone: string | null;
      email: string | null;
    }[]) {
      if (c.full_name?.trim().length >= 4) texts.add(c.full_name.trim().toLowerCase().replace(/\s+/g, " "));
      if (c.email) texts.add(c.email.toLowerCase());
      if (c.phone) for (const v of phoneDigitVariants(c.phone)) phones.set(v, c.phone);
    }
  } finally {
    db.close();
  }
  // The warehouse's own spellings: E.164 keys, wa_ids, WhatsApp profile names, message text.
  const instance = await DuckDBInstance.create(warehouse, { access_mode: "READ_ONLY" });
  const conn = await instance.connect();
  try {
    const customers = (
      await conn.runAndReadAll(
        "select customer_key, phone_e164, wa_id, whatsapp_profile_name, display_name, email from marts.dim_customers",
      )
    ).getRowObjectsJson();
    for (const r of customers) {
      for (const p of [r.phone_e164, r.wa_id, r.customer_key]) {
        if (typeof p === "string" && /^\+?\d{8,}$/.test(p))
          for (const v of phoneDigitVariants(p, p.startsWith("+") ? p : `+${p}`)) phones.set(v, p);
      }
      for (const n of [r.whatsapp_profile_name, r.display_name, r.email])
        if (typeof n === "string" && n.trim().length >= 4) texts.add(n.trim().toLowerCase().replace(/\s+/g, " "));
    }
    const messages = (
      await conn.runAndReadAll(
        "select distinct text from marts.fct_messages where length(text) >= 16 order by length(text) desc limit 400",
      )
    ).getRowObjectsJson();
    for (const m of messages) texts.add(String(m.text).toLowerCase().replace(/\s+/g, " "));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return { phones, texts: [...texts] };
}

/** The readable text of a built file: raw, and for JSON every decoded string too. */
function textOf(file: string): string {
  const raw = readFileSync(file).toString("utf8");
  if (!file.endsWith(".json")) return raw;
  try {
    const strings: string[] = [];
    JSON.parse(raw, (_k, v) => {
      if (typeof v === "string") strings.push(v);
      return v;
    });
    return `${raw}\n${strings.join("\n")}`;
  } catch {
    return raw;
  }
}

/** Registers the browser checks; `home` is called once the pipeline has built the site. */
export function describeSiteInBrowser(home: () => HomeLayout): void {
  describe("the dashboard site in a browser", () => {
    let results: PageCheck[] = [];

    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
      mkdirSync(SCREENSHOTS, { recursive: true });
      results = await checkSite(home().site, { screenshotDir: SCREENSHOTS });
    }, 300_000);
    it("builds every page", () => {
      expect(sitePages(home().site)).toEqual(PAGES);
    });

    it("opens every page at 1280 and 390 px without console errors, failed or external requests, or empty charts", () => {
      expect(results).toHaveLength(PAGES.length * 2);
      const problems = results.flatMap((r) => r.problems.map((p) => `${r.page} @${r.width}px: ${p}`));
      expect(problems).toEqual([]);
      for (const r of results) expect(existsSync(r.screenshot!), r.screenshot).toBe(true);
    });

    it("draws charts where the marts have data", () => {
      const desktop = new Map(results.filter((r) => r.width === 1280).map((r) => [r.page, r]));
      for (const page of ["/", "/broadcasts", "/service", "/anomalies", "/funnel"])
        expect(desktop.get(page)!.charts, page).toBeGreaterThan(0);
    });

    it("ships under 1 MB of data per page", () => {
      for (const [page, bytes] of dataBytesPerPage(home().site)) expect(bytes, page).toBeLessThan(1_000_000);
      for (const r of results) expect(r.dataBytes, `${r.page} fetched`).toBeLessThan(1_000_000);
    });

    it("contains no phone number, name, e-mail or message text of the demo, in any file or spelling", async () => {
      const pii = await collectPii(home().crmSqlite, home().warehouse);
      expect(pii.phones.size).toBeGreaterThan(80);
      expect(pii.texts.length).toBeGreaterThan(80);
      const hits: string[] = [];
      for (const file of listFiles(home().site)) {
        if (statSync(file).size > 20_000_000) continue;
        const text = textOf(file);
        const lower = text.toLowerCase().replace(/\s+/g, " ");
        // Separators people and formats put inside numbers: spaces, dashes, dots, brackets, plus.
        const joined = text.replace(/[\s().+-]/g, "");
        for (const [variant, phone] of pii.phones)
          if (joined.includes(variant)) hits.push(`${relative(home().site, file)}: phone ${phone} (as ${variant})`);
        for (const t of pii.texts)
          if (lower.includes(t)) hits.push(`${relative(home().site, file)}: "${t.slice(0, 40)}"`);
      }
      expect(hits).toEqual([]);
    });
  });
}
