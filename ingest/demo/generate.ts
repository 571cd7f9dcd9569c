import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { HomeLayout } from "../../core/home.ts";
import { buildCampaigns } from "./campaigns.ts";
import { CATALOGUE, PRODUCT_WEIGHTS } from "./catalogue.ts";
import { MARKET_BY_CODE, localPrice } from "./markets.ts";
import { crmOnlyContacts, openCrm, writeCrmContacts } from "./crm-writer.ts";
import { createCustomers } from "./customers.ts";
import { buildGroundTruth, writeGroundTruth } from "./ground-truth.ts";
import { LandingWriter } from "./landing-writer.ts";
import { writeMarketing } from "./marketing-writer.ts";
import { OrderSink } from "./orders.ts";
import { Rng } from "./rng.ts";
import { BUSINESS_NUMBERS, Simulation } from "./simulate.ts";
import { DAY_MS } from "./time.ts";

/** Entry point of the realistic demo data generator (webhooks, outbound log, CRM, marketing, ground truth). */
export interface GenerateDemoOptions {
  home: HomeLayout;
  seed: number;
  customers: number;
  days: number;
  /** Exclusive end of the simulated period (UTC midnight). */
  end: Date;
  /** Business time zone, e.g. Asia/Hong_Kong. */
  timezone: string;
  /** Signs bodies: X-Hub-Signature-256 = "sha256=" + HMAC-SHA256(appSecret, raw body). */
  appSecret: string;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoSummary {
  customers: number;
  crmContacts: number;
  webhookPosts: number;
  duplicatePosts: number;
  inboundMessages: number;
  outboundMessages: number;
  outboundUnlogged: number;
  statuses: number;
  failedMessages: number;
  orders: number;
  leads: number;
  filesWritten: number;
  bytesWritten: number;
  messageTypes: Record<string, number>;
  period: { start: string; end: string };
}

function hasLandedData(dir: string): boolean {
  if (!existsSync(dir)) return false;
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop() as string;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) return true;
    }
  }
  return false;
}

export async function generateDemo(opts: GenerateDemoOptions): Promise<DemoSummary> {
  const { home, seed, timezone, appSecret } = opts;
  if (!Number.isInteger(opts.customers) || opts.customers < 1) throw new Error("customers must be a positive integer");
  if (!Number.isInteger(opts.days) || opts.days < 1) throw new Error("days must be a positive integer");
  const endMs = opts.end.getTime();
  if (!Number.isFinite(endMs) || endMs % DAY_MS !== 0) throw new Error("end must be a UTC midnight");
  if (hasLandedData(home.landing.root)) {
    throw new Error(
      `refusing to generate demo data: ${home.landing.root} already holds landed data; use an empty home`,
    );
  }
  if (existsSync(home.crmSqlite) && statSync(home.crmSqlite).size > 0) {
    throw new Error(`refusing to generate demo data: ${home.crmSqlite} already exists; use an empty home`);
  }
  const startMs = endMs - opts.days * DAY_MS;
  const rng = new Rng(seed);
  const campaigns = buildCampaigns(rng, startMs, endMs);
  const customers = createCustomers(rng, { n: opts.customers, startMs, endMs, campaigns });
  const crmOnly = crmOnlyContacts(rng, Math.max(1, Math.round(opts.customers * 0.1)), opts.customers * 2 + 1);
  const crm = openCrm(home.crmSqlite);
  const orders = new OrderSink(crm.db);
  const writer = new LandingWriter(home.landing.root, BUSINESS_NUMBERS, rng, appSecret, startMs, endMs);
  try {
    // Duplicate clusters (R8): both records bought the same SKU within 90 days.
    for (const c of customers) {
      if (!c.dupCrmId || !c.crmId) continue;
      const p = CATALOGUE[rng.weighted(PRODUCT_WEIGHTS)];
      if (!p) continue;
      const lo = Math.max(c.acquiredAt, startMs - 200 * DAY_MS);
      const t1 = lo + Math.floor(rng.float() * Math.max(DAY_MS, endMs - 10 * DAY_MS - lo));
      let t2 = t1 + rng.int(3, 80) * DAY_MS + rng.int(0, DAY_MS - 1);
      if (t2 >= endMs) t2 = t1 - rng.int(3, 80) * DAY_MS;
      const unit = localPrice(p.usd, c.market);
      orders.add(rng, {
        customer: c,
        crmId: c.crmId,
        at: t1,
        product: p,
        qty: 1,
        unit,
        channel: "store",
        campaignId: null,
        endMs,
      });
      orders.add(rng, {
        customer: c,
        crmId: c.dupCrmId,
        at: t2,
        product: p,
        qty: 1,
        unit,
        channel: rng.pick(["web", "store"] as const),
        campaignId: null,
        endMs,
      });
    }
    // CRM history before the period for existing customers and CRM-only contacts.
    for (const c of customers) {
      if (c.acquisition !== "existing" || !c.crmId) continue;
      const n = rng.poisson(c.archetype === "loyal" ? 2 : 0.6);
      for (let i = 0; i < n; i++) {
        const p = CATALOGUE[rng.weighted(PRODUCT_WEIGHTS)];
        if (!p) continue;
        const at = c.acquiredAt + Math.floor(rng.float() * (startMs - c.acquiredAt));
        orders.add(rng, {
          customer: c,
          crmId: c.crmId,
          at,
          product: p,
          qty: 1,
          unit: localPrice(p.usd, c.market),
          channel: rng.pick(["web", "store", "whatsapp", "line"] as const),
          campaignId: null,
          endMs,
        });
      }
    }
    for (const k of crmOnly) {
      if (!rng.chance(0.5)) continue;
      const p = CATALOGUE[rng.weighted(PRODUCT_WEIGHTS)];
      if (!p) continue;
      const at = endMs - rng.int(1, 400) * DAY_MS - rng.int(0, DAY_MS - 1);
      orders.add(rng, {
        customer: null,
        crmId: k.id,
        at,
        product: p,
        qty: 1,
        unit: localPrice(p.usd, MARKET_BY_CODE[k.market.code]),
        channel: rng.pick(["web", "store"] as const),
        campaignId: null,
        endMs,
        currency: k.market.currency,
      });
    }
    const sim = new Simulation({
      rng,
      tz: timezone,
      startMs,
      endMs,
      customers,
      campaigns,
      writer,
      orders,
      onDay: opts.onProgress,
    });
    await sim.run();
    writer.flushAll();
    await orders.flush();
    const contacts = await writeCrmContacts(rng, crm.db, customers, orders, crmOnly, endMs);
    const marketing = writeMarketing(rng, home.landing.marketing, campaigns, customers, crmOnly, startMs, endMs);
    await crm.db.destroy();
    const gt = buildGroundTruth({
      seed,
      startMs,
      endMs,
      timezone,
      customers,
      anomalies: sim.anomalies,
      duplicates: contacts.duplicates,
      numberChanges: sim.numberChanges,
      violations: sim.policyViolations,
      lateIds: orders.lateContacts,
    });
    const gtBytes = writeGroundTruth(home.groundTruth, gt);
    const crmBytes = statSync(home.crmSqlite).size;
    return {
      customers: customers.length,
      crmContacts: contacts.contacts,
      webhookPosts: writer.stats.posts,
      duplicatePosts: writer.stats.duplicatePosts,
      inboundMessages: sim.counts.inbound,
      outboundMessages: sim.counts.outbound,
      outboundUnlogged: sim.counts.outboundUnlogged,
      statuses: sim.counts.statuses,
      failedMessages: sim.counts.failed,
      orders: orders.count,
      leads: marketing.leads,
      filesWritten: writer.files.length + marketing.files.length + 2,
      bytesWritten: writer.bytes + marketing.bytes + gtBytes + crmBytes,
      messageTypes: sim.counts.byType,
      period: { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() },
    };
  } catch (err) {
    try {
      await crm.db.destroy();
    } catch {
      /* already closed */
    }
    throw err;
  }
}
