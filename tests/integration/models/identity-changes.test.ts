import { createHash } from "node:crypto";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../../core/project.ts";
import { withWarehouse } from "../../../core/warehouse.ts";
import { describeDbtFailure, runDbt } from "../../../scheduler/dbt.ts";
import { tempHome } from "../../helpers/temp-home.ts";
import { differingTables, tableHashes } from "./table-hashes.ts";

/**
 * incremental == full refresh when new data changes the identity of old messages. On a small
 * seeded demo, a first load adds two customers known by a business-scoped user id (BSUID):
 *   A  known only by the user id: their messages are keyed by it;
 *   B  seen once next to phone W1: their phone-less messages are keyed +W1, among W1's own
 *      messages (B's inbound message answers W1's templates, opens W1's service window).
 * A second load links A's user id to phone WA (a status webhook), and shows B next to a newer
 * phone W2 (an inbound message): a full refresh re-keys A's old messages to +WA (A's first
 * conversation joins the one WA opened an hour earlier, and is gone with its exchange) and B's to
 * +W2 (leaving W1 with an unanswered template, a costlier one, fewer conversations). The
 * incremental build must give every mart and intermediate table the same content.
 */
const TZ = "Asia/Hong_Kong";
const A = "HK.1000000000000000001";
const WA = "85291000001";
const B = "HK.2000000000000000002";
const W1 = "85291000002";
const W2 = "85291000003";

const scrm = (home: string, ...args: string[]) =>
  execa("node", [join(PROJECT_ROOT, "bin/scrm.js"), "--home", home, ...args], { env: { SCRM_TIMEZONE: TZ } });

const unix = (at: string) => String(Date.parse(at) / 1000);

interface Inbound {
  id: string;
  at: string;
  waId?: string;
  userId?: string;
  text: string;
}

interface Status {
  id: string;
  status: "sent" | "delivered" | "read";
  at: string;
  waId?: string;
  userId?: string;
}

interface Outbound {
  id: string;
  at: string;
  waId?: string;
  userId?: string;
  sender: "agent" | "automation";
  template?: string;
  text?: string;
}

/** A Cloud API webhook body with one inbound message (and its contact) or one status. */
function webhookBody(event: { inbound: Inbound } | { status: Status }): string {
  const value: Record<string, unknown> = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "85230000000", phone_number_id: "100" },
  };
  if ("inbound" in event) {
    const m = event.inbound;
    value.contacts = [{ profile: { name: "Fixture" }, wa_id: m.waId, user_id: m.userId }];
    value.messages = [
      {
        ...(m.waId ? { from: m.waId } : { from_user_id: m.userId }),
        id: m.id,
        timestamp: unix(m.at),
        type: "text",
        text: { body: m.text },
      },
    ];
  } else {
    const s = event.status;
    value.statuses = [
      { id: s.id, status: s.status, timestamp: unix(s.at), recipient_id: s.waId, recipient_user_id: s.userId },
    ];
  }
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "1", changes: [{ field: "messages", value }] }],
  });
}

/** Lands the events in raw as one load (loaded now, after everything landed before). */
async function land(
  warehouse: string,
  load: string,
  webhooks: Array<{ inbound: Inbound } | { status: Status }>,
  outbound: Outbound[],
): Promise<void> {
  await withWarehouse(warehouse, {}, async (wh) => {
    for (const [i, event] of webhooks.entries()) {
      const body = webhookBody(event);
      const at = "inbound" in event ? event.inbound.at : event.status.at;
      await wh.run(
        `insert into raw.webhook_receipts (receipt_id, file, line_no, received_at, signature, body_sha256, body, loaded_at)
         values ($1, $2, $3, $4::timestamptz, 'valid', $5, $6, now())`,
        [`${load}-${i + 1}`, `webhooks/${load}.ndjson`, i + 1, at, sha256(body), body],
      );
    }
    for (const [i, o] of outbound.entries()) {
      await wh.run(
        `insert into raw.outbound_messages (file, line_no, message_id, sent_at, phone_number_id, recipient_wa_id,
           recipient_user_id, sender_kind, agent_id, automation_id, template_name, template_category, template_language,
           message_type, text, loaded_at)
         values ($1, $2, $3, $4::timestamptz, '100', nullif($5, ''), nullif($6, ''), $7,
           case when $7 = 'agent' then 'agent_fixture' end, case when $7 = 'automation' then 'auto_fixture' end,
           nullif($8, ''), case when $8 <> '' then 'utility' end, case when $8 <> '' then 'en' end,
           case when $8 <> '' then 'template' else 'text' end, nullif($9, ''), now())`,
        [
          `outbound/${load}.ndjson`,
          i + 1,
          o.id,
          o.at,
          o.waId ?? "",
          o.userId ?? "",
          o.sender,
          o.template ?? "",
          o.text ?? "",
        ],
      );
    }
  });
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

const delivered = (id: string, at: string, to: { waId?: string; userId?: string }): Array<{ status: Status }> => [
  { status: { id, status: "sent", at, ...to } },
  { status: { id, status: "delivered", at, ...to } },
];

/** The first load: A and B as their user ids alone, next to WA's and W1's own messages. */
const FIRST_WEBHOOKS: Array<{ inbound: Inbound } | { status: Status }> = [
  { inbound: { id: "wamid.IDWA-IN1", at: "2026-09-24T01:00:00Z", waId: WA, text: "hello, I want to order" } },
  {
    inbound: { id: "wamid.IDA-IN1", at: "2026-09-24T02:00:00Z", userId: A, text: "what is the price of the red bag?" },
  },
  ...delivered("wamid.IDA-OUT1", "2026-09-24T02:10:00Z", { userId: A }),
  { inbound: { id: "wamid.IDA-IN2", at: "2026-09-26T08:00:00Z", userId: A, text: "is there a discount?" } },
  { inbound: { id: "wamid.IDB-IN0", at: "2026-09-23T01:00:00Z", waId: W1, userId: B, text: "hi" } },
  ...delivered("wamid.IDW1-T1", "2026-09-25T00:00:00Z", { waId: W1 }),
  { inbound: { id: "wamid.IDB-IN1", at: "2026-09-25T01:00:00Z", userId: B, text: "price please" } },
  ...delivered("wamid.IDW1-T2", "2026-09-25T02:00:00Z", { waId: W1 }),
  { inbound: { id: "wamid.IDB-IN2", at: "2026-09-26T10:00:00Z", userId: B, text: "any discount code?" } },
  { inbound: { id: "wamid.IDW1-IN1", at: "2026-09-27T09:00:00Z", waId: W1, text: "thanks" } },
];

const FIRST_OUTBOUND: Outbound[] = [
  { id: "wamid.IDWA-OUT1", at: "2026-09-24T01:30:00Z", waId: WA, sender: "agent", text: "Sure, which one?" },
  { id: "wamid.IDA-OUT1", at: "2026-09-24T02:10:00Z", userId: A, sender: "agent", text: "It is 300 HKD" },
  { id: "wamid.IDA-T1", at: "2026-09-25T03:00:00Z", userId: A, sender: "automation", template: "order_update" },
  { id: "wamid.IDA-T2", at: "2026-09-25T05:00:00Z", userId: A, sender: "automation", template: "order_update" },
  { id: "wamid.IDW1-T1", at: "2026-09-25T00:00:00Z", waId: W1, sender: "automation", template: "order_update" },
  { id: "wamid.IDW1-T2", at: "2026-09-25T02:00:00Z", waId: W1, sender: "automation", template: "shipping_update" },
  { id: "wamid.IDB-OUT1", at: "2026-09-26T10:05:00Z", userId: B, sender: "agent", text: "Try SAVE10" },
];

/** The second load: A's user id next to phone WA (a status), B's next to a newer phone W2 (an inbound message). */
const SECOND_WEBHOOKS: Array<{ inbound: Inbound } | { status: Status }> = [
  ...delivered("wamid.IDA-OUT2", "2026-09-29T04:00:00Z", { waId: WA, userId: A }),
  { inbound: { id: "wamid.IDB-IN3", at: "2026-09-30T02:00:00Z", waId: W2, userId: B, text: "my new number" } },
];

describe("dbt models: incremental equals full refresh when new data re-keys old messages", () => {
  const { home, cleanup } = tempHome("scrm-identity-");
  const fullWarehouse = join(home.root, "full.duckdb");
  const keysOf = (warehouse: string) =>
    withWarehouse(warehouse, { readOnly: true }, (wh) =>
      wh.rows<{ message_id: string; customer_key: string }>(
        `select message_id, customer_key from marts.fct_messages
         where message_id in ('wamid.IDA-IN1', 'wamid.IDA-T1', 'wamid.IDB-IN1', 'wamid.IDB-OUT1') order by all`,
      ),
    );
  let before: Array<{ message_id: string; customer_key: string }>;
  let incremental: Record<string, string>;
  let full: Record<string, string>;
  let incrementalKeys: Array<{ message_id: string; customer_key: string }>;

  beforeAll(async () => {
    await scrm(home.root, "demo", "--customers", "30", "--days", "14", "--end", "2026-10-01");
    await scrm(home.root, "ingest");
    await land(home.warehouse, "identity-1", FIRST_WEBHOOKS, FIRST_OUTBOUND);
    const opts = (warehouse: string, workDir: string) => ({
      warehouse,
      timezone: TZ,
      currency: "USD",
      threads: 2,
      workDir: join(home.root, workDir),
    });
    const first = await runDbt(["build"], opts(home.warehouse, "dbt-a"));
    if (first.exitCode !== 0) throw new Error(describeDbtFailure(first));
    before = await keysOf(home.warehouse);
    await land(home.warehouse, "identity-2", SECOND_WEBHOOKS, []);
    copyFileSync(home.warehouse, fullWarehouse);
    const inc = await runDbt(["build"], opts(home.warehouse, "dbt-a"));
    if (inc.exitCode !== 0) throw new Error(describeDbtFailure(inc));
    const fr = await runDbt(["build", "--full-refresh"], opts(fullWarehouse, "dbt-b"));
    if (fr.exitCode !== 0) throw new Error(describeDbtFailure(fr));
    incremental = await tableHashes(home.warehouse);
    full = await tableHashes(fullWarehouse);
    incrementalKeys = await keysOf(home.warehouse);
  }, 600_000);
  afterAll(() => cleanup());

  it("keys the first load's messages by the user id alone (A) and by the phone it was seen with (B)", () => {
    expect(before).toEqual([
      { message_id: "wamid.IDA-IN1", customer_key: A },
      { message_id: "wamid.IDA-T1", customer_key: A },
      { message_id: "wamid.IDB-IN1", customer_key: `+${W1}` },
      { message_id: "wamid.IDB-OUT1", customer_key: `+${W1}` },
    ]);
  });

  it("re-keys the old messages to the phone the new data links them to", () => {
    expect(incrementalKeys).toEqual([
      { message_id: "wamid.IDA-IN1", customer_key: `+${WA}` },
      { message_id: "wamid.IDA-T1", customer_key: `+${WA}` },
      { message_id: "wamid.IDB-IN1", customer_key: `+${W2}` },
      { message_id: "wamid.IDB-OUT1", customer_key: `+${W2}` },
    ]);
  });

  it("gives exactly the same content in every mart and intermediate table", () => {
    expect(Object.keys(incremental).length).toBeGreaterThan(20);
    expect(Object.keys(incremental).sort()).toEqual(Object.keys(full).sort());
    expect(differingTables(incremental, full)).toEqual([]);
  });
});
