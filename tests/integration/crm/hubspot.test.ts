import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfig, type LoadedConfig } from "../../../core/config.ts";
import type { HomeLayout } from "../../../core/home.ts";
import { silentLogger } from "../../../core/log.ts";
import { Warehouse } from "../../../core/warehouse.ts";
import { HubSpotCrmConnector } from "../../../ingest/crm/hubspot-connector.ts";
import { ingestCrm, writeback, type CrmContext } from "../../../ingest/crm/ingest.ts";
import { snapshotCrm } from "../../../ingest/crm/snapshot.ts";
import { ensureWritebackSchema, mergeTags } from "../../../ingest/crm/writeback-core.ts";
import { loadLanded } from "../../../ingest/load/loader.ts";
import { tempHome } from "../../helpers/temp-home.ts";
import { HubSpotMock } from "./hubspot-mock.ts";

describe("HubSpot connector against a local server enforcing HubSpot's contract", () => {
  let home: HomeLayout;
  let cleanup: () => void;
  let mock: HubSpotMock;
  beforeEach(async () => {
    ({ home, cleanup } = tempHome());
  });
  afterEach(async () => {
    await mock?.stop();
    cleanup();
  });

  function ctx(extra: Record<string, unknown> = {}): CrmContext {
    const config = parseConfig({}, "test");
    const crm = { kind: "hubspot", basePath: mock.url, rateBudget: { requests: 20, windowMs: 1000 }, ...extra };
    const loaded = { config: { ...config, sources: { crm } }, home, file: null } as unknown as LoadedConfig;
    return { loaded, log: silentLogger, now: () => new Date() };
  }

  it("reads contacts and deals changed since the watermark, with E.164 phones and archived records as deletions", async () => {
    mock = new HubSpotMock({ budget: 100, windowMs: 10_000 });
    await mock.start();
    mock.addContact("101", { firstname: "Tai Man", lastname: "Chan", phone: "9123 4567", country: "Hong Kong" });
    mock.addContact("102", { firstname: "Ana", lastname: "Silva", phone: "(11) 8765-4321", country: "Brazil" });
    mock.addContact("103", { firstname: "", lastname: "", phone: "12", country: "India", customer_grade: "VIP" });
    mock.addContact("104", { firstname: "Gone", lastname: "Away", phone: "+65 8123 4567" });
    mock.addDeal("9001", "101", { amount: "1299.00", dealstage: "closedwon", closedate: "2026-01-03T00:00:00.000Z" });
    mock.archive("contacts", "104");

    const connector = new HubSpotCrmConnector({ accessToken: mock.token, basePath: mock.url });
    const snap = () =>
      snapshotCrm({
        connector,
        landingRoot: home.landing.root,
        crmName: "hubspot",
        now: new Date(),
        defaultRegion: "HK",
      });
    const first = await snap();
    expect(first.counts).toMatchObject({ contacts: 3, orders: 1 });
    expect(first.health).toMatchObject({
      phones: 3,
      phones_failed: 1,
      mapping_error_records: 1,
      explicit_deletions: 1,
    });
    await new Promise((r) => setTimeout(r, 5));
    mock.addContact("105", { firstname: "Mei", lastname: "Lin", phone: "0912 345 678", country: "TW" });
    const second = await snap();
    expect(second.counts.contacts).toBeGreaterThanOrEqual(1);
    expect(second.counts.contacts).toBeLessThan(3); // only the new one, plus any at the watermark instant

    const wh = await Warehouse.open(home.warehouse);
    try {
      await loadLanded(wh, home, silentLogger);
      const contacts = await wh.rows<{
        record_id: string;
        full_name: string;
        phone_e164: string;
        customer_grade: string;
      }>("select record_id, full_name, phone_e164, customer_grade from raw.crm_contacts order by record_id");
      expect(contacts).toEqual([
        { record_id: "101", full_name: "Tai Man Chan", phone_e164: "+85291234567", customer_grade: "new customer" },
        { record_id: "102", full_name: "Ana Silva", phone_e164: "+5511987654321", customer_grade: "new customer" },
        { record_id: "103", full_name: null, phone_e164: null, customer_grade: "VIP" },
        { record_id: "105", full_name: "Mei Lin", phone_e164: "+886912345678", customer_grade: "new customer" },
      ]);
      expect(await wh.rows("select order_id, contact_id, total_amount, status from raw.crm_orders")).toEqual([
        { order_id: "9001", contact_id: "101", total_amount: 1299, status: "closedwon" },
      ]);
      expect(await wh.rows("select record_id, change, detected_by from raw.crm_deletions")).toEqual([
        { record_id: "104", change: "deleted", detected_by: "crm" },
      ]);
    } finally {
      wh.close();
    }
  });

  it("refuses a wrong token and a mapping naming a missing property", async () => {
    mock = new HubSpotMock();
    await mock.start();
    const wrong = new HubSpotCrmConnector({ accessToken: "nope", basePath: mock.url });
    await expect(wrong.readTags(["1"])).rejects.toThrow(/HTTP 401 INVALID_AUTHENTICATION/);
    mock.properties.contacts = mock.properties.contacts.filter((p) => p !== "scrm_tags");
    const conn = new HubSpotCrmConnector({ accessToken: mock.token, basePath: mock.url });
    await expect(conn.validate()).rejects.toThrow(/property "scrm_tags" does not exist on HubSpot object "contacts"/);
  });

  it("merges only our namespace into multi-checkbox values", () => {
    expect(mergeTags("vip;scrm:old;wholesale", ["scrm:churn-risk"], "scrm:", ";")).toBe(
      "vip;wholesale;scrm:churn-risk",
    );
    expect(mergeTags("vip; scrm:a", ["scrm:a"], "scrm:", ";")).toBeNull();
    expect(mergeTags(null, [], "scrm:", ";")).toBeNull();
    expect(mergeTags("scrm:a", [], "scrm:", ";")).toBe("");
  });

  it("writes back through the outbox: batches <= 100, 429 and 5xx retried, idempotent, failures kept", async () => {
    // The server allows 4 requests a second; the client is configured too generously (20), so 429s happen.
    mock = new HubSpotMock({ budget: 4, windowMs: 1000 });
    await mock.start();
    process.env.HUBSPOT_ACCESS_TOKEN = mock.token;
    const N = 250;
    for (let i = 1; i <= N; i++) {
      mock.addContact(String(i), {
        firstname: `C${i}`,
        scrm_tags: i % 2 ? "vip;scrm:old" : i % 3 ? "wholesale" : null,
      });
    }
    const wh = await Warehouse.open(home.warehouse);
    try {
      await ensureWritebackSchema(wh);
      await wh.run(
        `insert into crm_sync.desired_tags
         select 'hubspot', (i)::varchar, case when i % 5 = 0 then 'churn-risk' else 'scrm:high-interest' end
         from range(1, ${N + 1}) t(i)
         union all select 'hubspot', '99999', 'scrm:ghost'`,
      );
    } finally {
      wh.close();
    }

    const dry = await writeback(ctx(), { dryRun: true });
    expect(dry.wouldWrite).toBe(N);
    expect(dry.failed).toBe(1);
    expect(mock.stats.batchUpdates).toBe(0);

    mock.failNext.push(502, 503);
    const first = await writeback(ctx());
    expect(first).toMatchObject({ enqueued: N + 1, written: N, unchanged: 0, failed: 1 });
    expect(first.records.find((r) => r.recordId === "99999")?.reason).toMatch(/not found/);
    expect(mock.stats.maxInputs).toBeLessThanOrEqual(100);
    expect(mock.stats.rateLimited).toBeGreaterThan(0);
    expect(mock.stats.injected).toBe(2);
    expect(mock.objects.contacts.get("1")!.properties.scrm_tags).toBe("vip;scrm:high-interest");
    expect(mock.objects.contacts.get("4")!.properties.scrm_tags).toBe("wholesale;scrm:high-interest");
    expect(mock.objects.contacts.get("5")!.properties.scrm_tags).toBe("vip;scrm:churn-risk");

    const writesBefore = mock.stats.updatesWritten;
    const second = await writeback(ctx());
    expect(second.written).toBe(0);
    expect(second.failed).toBe(1); // the unknown contact stays in the outbox
    expect(mock.stats.updatesWritten).toBe(writesBefore);

    const check = await Warehouse.open(home.warehouse);
    try {
      expect(await check.rows("select record_id, attempts::int as attempts from crm_sync.outbox")).toEqual([
        { record_id: "99999", attempts: 2 },
      ]);
      const outcomes = await check.rows<{ outcome: string; n: number }>(
        "select outcome, count(*)::int as n from crm_sync.results group by outcome order by outcome",
      );
      expect(outcomes).toEqual([
        { outcome: "failed", n: 3 },
        { outcome: "would-write", n: N },
        { outcome: "written", n: N },
      ]);
    } finally {
      check.close();
    }
  });

  it("honours Retry-After on 429 instead of waiting out the whole window", async () => {
    mock = new HubSpotMock({ budget: 1, windowMs: 10_000, retryAfterSeconds: 0.3 });
    await mock.start();
    mock.addContact("1", { scrm_tags: null });
    const conn = new HubSpotCrmConnector({
      accessToken: mock.token,
      basePath: mock.url,
      rateBudget: { requests: 100, windowMs: 10_000 },
      maxRetries: 2,
    });
    await conn.readTags(["1"]);
    const t0 = performance.now();
    await expect(conn.readTags(["1"])).rejects.toThrow(/HTTP 429 TEN_SECONDLY_ROLLING/);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(conn.stats).toMatchObject({ rateLimited: 3, retries: 2 });
  });

  it("ingests through the configured connector (scrm ingest crm)", async () => {
    mock = new HubSpotMock();
    await mock.start();
    process.env.HUBSPOT_ACCESS_TOKEN = mock.token;
    mock.addContact("1", { firstname: "A", lastname: "B", phone: "010-1234-5678", country: "KR" });
    const report = await ingestCrm(ctx());
    expect(report.crm).toBe("hubspot");
    expect(report.detail).toMatch(/1 contacts/);
    expect(report.sources.find((s) => s.source === "crm")?.files).toBe(1);
  });
});
