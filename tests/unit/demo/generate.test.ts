import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { isValidPhoneNumber } from "libphonenumber-js/max";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { homeLayout, type HomeLayout } from "../../../core/home.ts";
import type { CrmDatabase } from "../../../ingest/crm/crm-schema.ts";
import { generateDemo, type DemoSummary } from "../../../ingest/demo/generate.ts";
import type { GroundTruth } from "../../../ingest/demo/ground-truth.ts";
import { MARKETING_TABLES } from "../../../ingest/landing/marketing.ts";
import { outboundMessageLine, webhookReceiptLine } from "../../../ingest/landing/format.ts";

const SECRET = "test-app-secret";
const END = new Date("2026-10-01T00:00:00Z");

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function treeHash(root: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of files(root)) m.set(relative(root, f), createHash("sha256").update(readFileSync(f)).digest("hex"));
  return m;
}

function lines(dir: string): string[] {
  return files(dir)
    .filter((f) => f.endsWith(".ndjson"))
    .flatMap((f) =>
      readFileSync(f, "utf8")
        .split("\n")
        .filter((l) => l.length > 0),
    );
}

async function run(root: string, seed = 7): Promise<{ home: HomeLayout; summary: DemoSummary }> {
  const home = homeLayout(root);
  const summary = await generateDemo({
    home,
    seed,
    customers: 60,
    days: 21,
    end: END,
    timezone: "Asia/Hong_Kong",
    appSecret: SECRET,
  });
  return { home, summary };
}

describe("generateDemo (60 customers, 21 days)", () => {
  const dirs: string[] = [];
  let home: HomeLayout;
  let summary: DemoSummary;
  let receipts: ReturnType<typeof webhookReceiptLine.parse>[];
  // Webhook bodies are walked dynamically, as the loader's JSON functions do.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let bodies: any[];

  beforeAll(async () => {
    const d = mkdtempSync(join(tmpdir(), "demo-a-"));
    dirs.push(d);
    ({ home, summary } = await run(d));
    receipts = lines(home.landing.webhooks).map((l) => webhookReceiptLine.parse(JSON.parse(l)));
    bodies = receipts.map((r) => JSON.parse(r.body ?? "null"));
  });

  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("is deterministic: two runs with the same options write byte-identical files", async () => {
    const d2 = mkdtempSync(join(tmpdir(), "demo-b-"));
    dirs.push(d2);
    await run(d2);
    const a = treeHash(home.root);
    const b = treeHash(d2);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(b.get(k), k).toBe(v);
    expect(a.size).toBeGreaterThan(10);
  });

  it("refuses to write into a home that already has landed data", async () => {
    await expect(run(home.root)).rejects.toThrow(/already/);
  });

  it("lands webhook lines that validate, are signed, and are in received_at order", () => {
    expect(receipts.length).toBe(summary.webhookPosts);
    for (const dayFile of files(home.landing.webhooks)) {
      expect(dayFile.endsWith(".ndjson")).toBe(true);
      const ls = readFileSync(dayFile, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { received_at: string });
      for (let i = 1; i < ls.length; i++) expect(ls[i]!.received_at >= ls[i - 1]!.received_at).toBe(true);
      expect(relative(home.landing.webhooks, dayFile).slice(0, 10)).toBe(ls[0]!.received_at.slice(0, 10));
    }
    for (const r of receipts) {
      const raw = Buffer.from(r.body!, "utf8");
      expect(r.headers["x-hub-signature-256"]).toBe("sha256=" + createHmac("sha256", SECRET).update(raw).digest("hex"));
      expect(r.body_sha256).toBe(createHash("sha256").update(raw).digest("hex"));
      expect(r.headers["content-length"]).toBe(String(raw.length));
      expect([...r.body!].every((c) => c.charCodeAt(0) < 0x80)).toBe(true); // Meta's escaped-unicode form
    }
  });

  it("every body is a Cloud API envelope", () => {
    for (const b of bodies) {
      expect(b.object).toBe("whatsapp_business_account");
      expect(Array.isArray(b.entry) && b.entry.length > 0).toBe(true);
      for (const e of b.entry) {
        expect(typeof e.id).toBe("string");
        for (const ch of e.changes) {
          expect(["messages", "smb_message_echoes", "account_update", "message_template_status_update"]).toContain(
            ch.field,
          );
          if (ch.field === "messages") {
            expect(ch.value.messaging_product).toBe("whatsapp");
            expect(ch.value.metadata.phone_number_id).toMatch(/^\d+$/);
            for (const m of ch.value.messages ?? []) {
              expect(m.id).toMatch(/^wamid\.HBg/);
              expect(m.timestamp).toMatch(/^\d{10}$/);
              if (m.type !== "system") expect(ch.value.contacts?.length).toBeGreaterThan(0);
              else expect(ch.value.contacts).toBeUndefined();
            }
            for (const s of ch.value.statuses ?? []) {
              expect(["sent", "delivered", "read", "failed", "played"]).toContain(s.status);
              expect(s.recipient_id ?? s.recipient_user_id).toBeTruthy();
              if (s.status === "failed") expect(s.errors[0].href).toContain("error-codes");
              if (s.pricing) {
                expect(["sent", "delivered", "read"]).toContain(s.status);
                expect(s.pricing.pricing_model).toBe("PMP");
              }
            }
          } else if (ch.field !== "smb_message_echoes") expect(typeof e.time).toBe("number");
        }
      }
    }
  });

  it("contains every inbound message type, batches, duplicates and status quirks", () => {
    const types = new Set<string>();
    let bsuid = 0;
    let batched = 0;
    let mixed = 0;
    let valueErrors = 0;
    let echoes = 0;
    const statusKinds = new Set<string>();
    const codes = new Set<number>();
    const accountFields = new Set<string>();
    for (const b of bodies) {
      let items = 0;
      for (const e of b.entry)
        for (const ch of e.changes) {
          const v = ch.value;
          if (ch.field !== "messages") {
            if (ch.field === "smb_message_echoes") echoes++;
            else accountFields.add(ch.field);
            continue;
          }
          if (v.messages && v.statuses) mixed++;
          if (v.errors) valueErrors++;
          for (const m of v.messages ?? []) {
            items++;
            let t = m.type;
            if (t === "interactive" && m.interactive) t = m.interactive.type;
            if (t === "audio" && m.audio.voice) t = "voice";
            if (t === "text" && m.referral) t = "referral";
            if (t === "reaction" && !m.reaction.emoji) t = "unreaction";
            types.add(t);
            if (m.from_user_id && !m.from) bsuid++;
          }
          for (const s of v.statuses ?? []) {
            items++;
            statusKinds.add(s.status);
            for (const er of s.errors ?? []) codes.add(er.code);
          }
        }
      if (items > 1) batched++;
    }
    for (const t of [
      "text",
      "image",
      "video",
      "audio",
      "voice",
      "document",
      "sticker",
      "location",
      "contacts",
      "button_reply",
      "list_reply",
      "nfm_reply",
      "button",
      "reaction",
      "unreaction",
      "order",
      "referral",
      "system",
      "unsupported",
      "request_welcome",
    ])
      expect(types, t).toContain(t);
    expect(valueErrors).toBeGreaterThan(0);
    expect(echoes).toBeGreaterThan(0);
    expect(batched).toBeGreaterThan(0);
    expect(mixed + batched).toBeGreaterThan(0);
    expect(statusKinds).toEqual(new Set(["sent", "delivered", "read", "failed", "played"]));
    expect(codes.size).toBeGreaterThan(0);
    expect(accountFields).toEqual(new Set(["account_update", "message_template_status_update"]));
    const shas = receipts.map((r) => r.body_sha256);
    expect(new Set(shas).size).toBeLessThan(shas.length); // duplicate deliveries
    expect(bsuid).toBeGreaterThan(0); // users known only by BSUID (restfb *-bsuid fixtures)
  });

  it("writes outbound lines that validate and cover every sender kind", () => {
    const out = lines(home.landing.outbound).map((l) => outboundMessageLine.parse(JSON.parse(l)));
    expect(out.length).toBe(summary.outboundMessages);
    expect(new Set(out.map((o) => o.sender_kind))).toEqual(new Set(["agent", "bot", "automation", "campaign"]));
    expect(out.some((o) => o.template_category === "marketing" && o.campaign_id)).toBe(true);
    expect(out.some((o) => o.template_category === "utility")).toBe(true);
    for (let i = 1; i < out.length; i++)
      if (out[i]!.sent_at.slice(0, 10) === out[i - 1]!.sent_at.slice(0, 10))
        expect(out[i]!.sent_at >= out[i - 1]!.sent_at).toBe(true);
    // Statuses exist for messages missing from the log (sent from WhatsApp Manager) only rarely; every logged id is a wamid.
    for (const o of out) expect(o.message_id).toMatch(/^wamid\./);
  });

  it("uses valid mobile numbers per market", () => {
    const gt = JSON.parse(readFileSync(home.groundTruth, "utf8")) as GroundTruth;
    const cc: Record<string, string> = { HK: "852", TW: "886", KR: "82", SG: "65", MY: "60", BR: "55", IN: "91" };
    for (const c of gt.customers) {
      if (!c.wa_id || c.br_quirk === "wa_without_9" || gt.number_changes.some((n) => n.customer === c.customer))
        continue;
      expect(c.wa_id.startsWith(cc[c.market]!), c.wa_id).toBe(true);
      expect(isValidPhoneNumber("+" + c.wa_id), c.wa_id).toBe(true);
    }
    expect(gt.anomalies.map((a) => a.kind).sort()).toEqual(["complaint_spike", "delivery_outage"]);
    expect(gt.duplicate_clusters.every((c) => c.length === 2)).toBe(true);
  });

  it("writes a CRM with the expected quirks", async () => {
    const raw = new Database(home.crmSqlite, { readonly: true });
    const db = new Kysely<CrmDatabase>({ dialect: new SqliteDialect({ database: raw }) });
    const contacts = await db.selectFrom("contacts").selectAll().execute();
    expect(contacts.length).toBe(summary.crmContacts);
    expect(contacts.some((c) => c.customer_grade === null || c.customer_grade === "")).toBe(true);
    expect(contacts.some((c) => !c.postal_code)).toBe(true);
    expect(contacts.some((c) => c.lead_source === "WhatsApp")).toBe(true);
    expect(contacts.every((c) => /\.\d{3}Z$/.test(c.updated_at))).toBe(true);
    expect(contacts.some((c) => c.phone !== null && /[\s\-()]/.test(c.phone))).toBe(true);
    expect(contacts.some((c) => c.marketing_opt_in === 1 && c.opt_in_at)).toBe(true);
    const items = await db.selectFrom("order_items").selectAll().execute();
    expect(items.some((i) => !i.sku)).toBe(true);
    const orders = await db.selectFrom("orders").selectAll().execute();
    expect(orders.length).toBe(summary.orders);
    expect(new Set(orders.map((o) => o.payment_method)).size).toBeGreaterThanOrEqual(3);
    expect((await db.selectFrom("products").select("sku").execute()).length).toBeGreaterThanOrEqual(40);
    expect(raw.pragma("foreign_key_check")).toEqual([]);
    await db.destroy();
  });

  it("writes marketing CSVs with the contract's headers", () => {
    for (const [table, cols] of Object.entries(MARKETING_TABLES)) {
      const f = files(join(home.landing.marketing, table));
      expect(f.length).toBe(1);
      const text = readFileSync(f[0]!, "utf8");
      expect(text.split("\r\n")[0]).toBe(cols.join(","));
      expect(statSync(f[0]!).size).toBeGreaterThan(cols.join(",").length);
    }
  });
});
