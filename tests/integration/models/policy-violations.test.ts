import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../../core/project.ts";
import { withWarehouse } from "../../../core/warehouse.ts";
import { describeDbtFailure, runDbt } from "../../../scheduler/dbt.ts";
import { tempHome } from "../../helpers/temp-home.ts";

/**
 * fct_policy_violations is incremental per customer (replace_tail with tail_cutoffs): a message
 * that lands late can take a violation away, and the incremental run must delete it although it
 * emits no row for that customer. Two utility templates two hours apart to a customer who has not
 * written are a template_without_reply_24h violation (R4); the customer's reply between them,
 * landed a day later, clears it.
 */
const WA_ID = "85291234567";
const CUSTOMER = `+${WA_ID}`;

function outbound(line: number, id: string, sentAt: string, template: string): string {
  return `insert into raw.outbound_messages (file, line_no, message_id, sent_at, phone_number_id, recipient_wa_id,
            sender_kind, template_name, template_category, template_language, message_type, loaded_at)
          values ('outbound/2026-10-01.ndjson', ${line}, '${id}', '${sentAt}', '100', '${WA_ID}',
            'automation', '${template}', 'utility', 'en', 'template', '2026-10-01 12:00:00+00')`;
}

/** The reply's webhook receipt: the insert and its parameters (body, its SHA-256). */
function inboundReceipt(sentAt: string, loadedAt: string): [string, string[]] {
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "1",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "85230000000", phone_number_id: "100" },
              contacts: [{ wa_id: WA_ID, profile: { name: "Late Replier" } }],
              messages: [
                {
                  from: WA_ID,
                  id: "wamid.LATE-REPLY",
                  timestamp: String(Date.parse(sentAt) / 1000),
                  type: "text",
                  text: { body: "thanks, got it" },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  const sha = createHash("sha256").update(body).digest("hex");
  return [
    `insert into raw.webhook_receipts (receipt_id, file, line_no, received_at, signature, body_sha256, body, loaded_at)
     values ('late-1', 'webhooks/2026-10-01.ndjson', 1, '${sentAt}', 'valid', $1, $2, '${loadedAt}')`,
    [sha, body],
  ];
}

describe("fct_policy_violations incremental: a late reply removes a violation", () => {
  const { home, cleanup } = tempHome("scrm-policy-");
  const opts = {
    warehouse: home.warehouse,
    timezone: "Asia/Hong_Kong",
    currency: "USD",
    threads: 2,
    workDir: home.dbt,
  };
  const build = async () => {
    const run = await runDbt(
      [
        "build",
        "-s",
        "+fct_policy_violations",
        "--indirect-selection",
        "cautious",
        "--exclude-resource-type",
        "unit_test",
      ],
      opts,
    );
    if (run.exitCode !== 0) throw new Error(describeDbtFailure(run));
  };
  const kinds = () =>
    withWarehouse(home.warehouse, { readOnly: true }, (wh) =>
      wh.rows<{ kind: string; message_id: string }>(
        `select violation_kind as kind, message_id from marts.fct_policy_violations
         where customer_key = '${CUSTOMER}' order by all`,
      ),
    );
  let before: Array<{ kind: string; message_id: string }>;
  let after: Array<{ kind: string; message_id: string }>;

  beforeAll(async () => {
    await withWarehouse(home.warehouse, {}, async (wh) => {
      await wh.runFile(join(PROJECT_ROOT, "ingest/load/sql/raw-schema.sql"));
      await wh.run(outbound(1, "wamid.T1", "2026-10-01 08:00:00+00", "order_update"));
      await wh.run(outbound(2, "wamid.T2", "2026-10-01 10:00:00+00", "shipping_update"));
    });
    await build();
    before = await kinds();
    await withWarehouse(home.warehouse, {}, (wh) =>
      wh.run(...inboundReceipt("2026-10-01T09:00:00Z", "2026-10-02 00:00:00+00")),
    );
    await build();
    after = await kinds();
  }, 300_000);
  afterAll(() => cleanup());

  it("flags the second template while the customer has not replied", () => {
    expect(before).toEqual([{ kind: "template_without_reply_24h", message_id: "wamid.T2" }]);
  });

  it("drops the violation when the reply between the templates lands later", () => {
    expect(after).toEqual([]);
  });
});
