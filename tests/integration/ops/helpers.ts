import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../../../core/config.ts";
import type { HomeLayout } from "../../../core/home.ts";
import { silentLogger, type Logger } from "../../../core/log.ts";
import { noProgress } from "../../../core/progress.ts";
import { withWarehouse } from "../../../core/warehouse.ts";
import { receiptLine } from "../../../ingest/landing/format.ts";
import { SegmentWriter } from "../../../ingest/landing/segment-writer.ts";
import { loadLanded } from "../../../ingest/load/loader.ts";
import type { PipelineContext } from "../../../scheduler/pipeline.ts";
import { StepRegistry, type StepFn } from "../../../scheduler/steps.ts";

/** A pipeline context on a temp home with a controllable clock. */
export function testContext(
  home: HomeLayout,
  opts: { now?: () => Date; config?: Record<string, unknown>; log?: Logger } = {},
): PipelineContext {
  return {
    loaded: { config: parseConfig(opts.config ?? {}, "test", {}), home, file: null },
    log: opts.log ?? silentLogger,
    progress: noProgress,
    now: opts.now ?? (() => new Date()),
  };
}

export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

/** A WhatsApp Cloud API message webhook from `waId`, with the contact's profile name. */
export function messageBody(waId: string, text: string, id: string, name = "Customer"): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "WABA1",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550001111", phone_number_id: "PNID1" },
              contacts: [{ profile: { name }, wa_id: waId }],
              messages: [{ from: waId, id, timestamp: "1790000000", type: "text", text: { body: text } }],
            },
          },
        ],
      },
    ],
  });
}

/** Lands one sealed webhook segment holding `bodies`, received from `at` on, one per second. */
export function landWebhooks(home: HomeLayout, bodies: string[], at: Date, writerId = "t"): string {
  const writer = new SegmentWriter({
    landingRoot: home.landing.root,
    kind: "webhooks",
    writerId,
    maxBytes: 1 << 30,
    durable: false,
  });
  bodies.forEach((body, i) => {
    const line = receiptLine({
      receiptId: `${writerId}-${at.getTime()}-${i}`,
      receivedAt: new Date(at.getTime() + i * 1000),
      path: "/webhook",
      remoteAddr: "127.0.0.1",
      headers: { "content-type": "application/json" },
      signature: "valid",
      body: Buffer.from(body, "utf8"),
    });
    writer.append(JSON.stringify(line), at);
  });
  writer.seal();
  return writer.sealed[0]!;
}

export function landOutbound(home: HomeLayout, recipients: string[], at: Date, writerId = "o"): void {
  const writer = new SegmentWriter({
    landingRoot: home.landing.root,
    kind: "outbound",
    writerId,
    maxBytes: 1 << 30,
    durable: false,
  });
  recipients.forEach((r, i) => {
    writer.append(
      JSON.stringify({
        v: 1,
        message_id: `wamid.${writerId}${i}`,
        sent_at: new Date(at.getTime() + i * 1000).toISOString(),
        phone_number_id: "PNID1",
        recipient_wa_id: r,
        recipient_user_id: null,
        sender_kind: "agent",
        agent_id: "a1",
        agent_name: "Ann",
        automation_id: null,
        template_name: null,
        template_category: null,
        template_language: null,
        campaign_id: null,
        message_type: "text",
        text: `hello ${i}`,
        reply_to_message_id: null,
      }),
      at,
    );
  });
  writer.seal();
}

export interface CrmContact {
  id: string;
  full_name: string;
  phone: string;
}

/** Lands a sealed CRM snapshot folder with contacts, one order per contact and its item. */
export function landCrmSnapshot(home: HomeLayout, id: string, contacts: CrmContact[]): void {
  const dir = join(home.landing.root, "crm", "default", id);
  mkdirSync(dir, { recursive: true });
  const updated = "2026-09-30T10:00:00.000Z";
  const c = contacts.map((x) =>
    JSON.stringify({
      id: x.id,
      full_name: x.full_name,
      phone: x.phone,
      country: "HK",
      email: null,
      customer_grade: null,
      postal_code: null,
      address: null,
      city: null,
      lead_source: "whatsapp",
      tags: null,
      marketing_opt_in: 1,
      opt_in_at: null,
      owner_agent_id: null,
      created_at: updated,
      updated_at: updated,
      deleted_at: null,
    }),
  );
  const o = contacts.map((x) =>
    JSON.stringify({
      id: `ord-${x.id}`,
      contact_id: x.id,
      ordered_at: updated,
      status: "paid",
      payment_method: "card",
      channel: "whatsapp",
      campaign_id: null,
      currency: "HKD",
      total_amount: 100,
      updated_at: updated,
    }),
  );
  const it = contacts.map((x) =>
    JSON.stringify({
      order_id: `ord-${x.id}`,
      line_no: 1,
      sku: "SKU1",
      product_name: "Phone case",
      quantity: 1,
      unit_price: 100,
      updated_at: updated,
    }),
  );
  writeFileSync(join(dir, "contacts.ndjson"), c.join("\n") + "\n");
  writeFileSync(join(dir, "orders.ndjson"), o.join("\n") + "\n");
  writeFileSync(join(dir, "order_items.ndjson"), it.join("\n") + "\n");
  writeFileSync(join(dir, "products.ndjson"), "");
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ snapshot_id: id, crm: "default", counts: {} }));
}

export function landLeads(home: HomeLayout, rows: string[]): void {
  const dir = join(home.landing.marketing, "leads");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "leads-2026-09.csv"),
    ["lead_id,created_at,channel,campaign_id,phone,country,crm_contact_id", ...rows, ""].join("\n"),
  );
}

/** dbt-free stand-ins for the real steps: ingest = the real loader; transform = a tiny SQL mart. */
export const fakeIngest: StepFn = async (ctx) => {
  const reports = await withWarehouse(ctx.loaded.home.warehouse, { timezone: "UTC" }, (wh) =>
    loadLanded(wh, ctx.loaded.home, ctx.log),
  );
  return {
    detail: `${reports.reduce((n, r) => n + r.files, 0)} file(s)`,
    rowsIn: reports.reduce((n, r) => n + r.lines, 0),
    rowsOut: reports.reduce((n, r) => n + r.loaded, 0),
  };
};

export const fakeTransform: StepFn = async (ctx) => {
  await withWarehouse(ctx.loaded.home.warehouse, { timezone: "UTC" }, async (wh) => {
    await wh.run("create schema if not exists marts");
    await wh.run(
      `create or replace table marts.fct_messages as
       select m->>'id' as message_id, m->>'from' as customer_wa_id, m->'text'->>'body' as text, r.received_at
       from raw.webhook_receipts r,
            unnest(json_extract(r.payload, '$.entry[*].changes[*].value.messages[*]')) as t(m)`,
    );
    await wh.run(
      `create or replace table marts.dim_customers as
       select record_id as customer_id, full_name, phone from raw.crm_contacts`,
    );
  });
  return {
    detail: "fake marts",
    dbt: [
      { uniqueId: "model.scrm.fct_messages", status: "success", seconds: 0.1, message: null, failures: null },
      {
        uniqueId: "test.scrm.not_null_fct_messages_message_id",
        status: "pass",
        seconds: 0.01,
        message: null,
        failures: 0,
      },
    ],
  };
};

export function fakeRegistry(): StepRegistry {
  const r = new StepRegistry();
  r.register("ingest", fakeIngest);
  r.register("transform", fakeTransform);
  return r;
}
