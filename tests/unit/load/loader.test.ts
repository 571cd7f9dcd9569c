import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { listValue } from "@duckdb/node-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../../core/log.ts";
import { Warehouse } from "../../../core/warehouse.ts";
import type { HomeLayout } from "../../../core/home.ts";
import { receiptLine, segmentRelativePath } from "../../../ingest/landing/format.ts";
import { SegmentWriter } from "../../../ingest/landing/segment-writer.ts";
import { loadLanded } from "../../../ingest/load/loader.ts";
import { fixtureBodies } from "../../helpers/fixtures.ts";
import { tempHome } from "../../helpers/temp-home.ts";

const at = new Date("2026-10-01T08:00:00.000Z");

function landWebhooks(home: HomeLayout, bodies: string[], extraLines: string[] = []): void {
  const writer = new SegmentWriter({
    landingRoot: home.landing.root,
    kind: "webhooks",
    writerId: "test",
    maxBytes: 1 << 30,
    durable: false,
  });
  bodies.forEach((body, i) => {
    const line = receiptLine({
      receiptId: `r-${i}`,
      receivedAt: new Date(at.getTime() + i * 1000),
      path: "/webhook",
      remoteAddr: "127.0.0.1",
      headers: { "content-type": "application/json", cookie: "session=secret" },
      signature: "valid",
      body: Buffer.from(body, "utf8"),
    });
    writer.append(JSON.stringify(line), at);
  });
  for (const l of extraLines) writer.append(l, at);
  writer.seal();
}

function receipt(i: number, body: string): string {
  return JSON.stringify(
    receiptLine({
      receiptId: `r-${i}`,
      receivedAt: new Date(at.getTime() + i * 1000),
      path: "/webhook",
      remoteAddr: "127.0.0.1",
      headers: { "content-type": "application/json", "x-request-id": `req-${i}` },
      signature: "valid",
      body: Buffer.from(body, "utf8"),
    }),
  );
}

/** Writes a sealed segment with exactly this text (bypassing the writer, to land broken files). */
function landSegment(home: HomeLayout, kind: "webhooks" | "outbound", seq: number, text: string): string {
  const rel = segmentRelativePath(kind, at, "test", seq);
  const abs = join(home.landing.root, rel);
  mkdirSync(join(abs, ".."), { recursive: true });
  writeFileSync(abs, text);
  return `landing/${rel}`;
}

type Row = Record<string, unknown>;
const receiptColumns =
  "receipt_id, line_no::int as line_no, received_at::varchar as received_at, path, remote_addr, headers::varchar as headers, signature, body_sha256, body";

describe("loading landed files into raw", () => {
  let home: HomeLayout;
  let cleanup: () => void;
  let wh: Warehouse;

  beforeEach(async () => {
    ({ home, cleanup } = tempHome());
    wh = await Warehouse.open(home.warehouse);
  });
  afterEach(() => {
    wh.close();
    cleanup();
  });

  it("lands every real fixture payload, byte for byte, and only once", async () => {
    const bodies = fixtureBodies().map((f) => f.body);
    landWebhooks(home, bodies);
    const [first] = await loadLanded(wh, home, silentLogger);
    expect(first).toMatchObject({
      source: "webhooks",
      files: 1,
      lines: bodies.length,
      loaded: bodies.length,
      quarantined: 0,
    });

    const stored = await wh.rows<{ body: string; headers: string }>(
      "select body, headers::varchar as headers from raw.webhook_receipts order by line_no",
    );
    expect(stored.map((r) => r.body)).toEqual(bodies);
    expect(stored[0]!.headers).not.toContain("cookie");

    const again = await loadLanded(wh, home, silentLogger);
    expect(again[0]).toMatchObject({ files: 0, alreadyLoaded: 1 });
    expect(Number(await wh.scalar("select count(*) from raw.webhook_receipts"))).toBe(bodies.length);
  });

  it("quarantines bad lines with file, line, field and reason while the rest loads", async () => {
    const good = fixtureBodies()[0]!.body;
    const signedButBroken = JSON.stringify(
      receiptLine({
        receiptId: "broken",
        receivedAt: at,
        path: "/webhook",
        remoteAddr: null,
        headers: {},
        signature: "valid",
        body: Buffer.from("{not json"),
      }),
    );
    const wrongTime = JSON.stringify({
      ...receiptLine({
        receiptId: "t",
        receivedAt: at,
        path: "/webhook",
        remoteAddr: null,
        headers: {},
        signature: "valid",
        body: Buffer.from(good),
      }),
      received_at: "yesterday",
    });
    landWebhooks(home, [good, good], ["this is not json", signedButBroken, wrongTime]);
    const [report] = await loadLanded(wh, home, silentLogger);
    expect(report).toMatchObject({ lines: 5, loaded: 2, quarantined: 3 });

    const q = await wh.rows<{ file: string; line_no: number; field: string | null; reason: string }>(
      "select file, line_no::int as line_no, field, reason from raw.quarantine order by line_no",
    );
    expect(q.map((r) => [r.line_no, r.field])).toEqual([
      [3, null],
      [4, "body"],
      [5, "received_at"],
    ]);
    expect(q[0]!.file).toMatch(/^landing\/webhooks\/2026-10-01\/wh-.*\.ndjson$/);
    expect(q[1]!.reason).toBe("body is not valid JSON");
    // Accounting: every landed line is either loaded or quarantined.
    const [acc] = await wh.rows<{ lines: number; loaded: number; quarantined: number }>(
      "select sum(lines)::int as lines, sum(loaded_rows)::int as loaded, sum(quarantined_rows)::int as quarantined from raw.load_ledger",
    );
    expect(acc!.lines).toBe(acc!.loaded + acc!.quarantined);
  });

  it("loads clean files whole and sends only a file with a line that is not JSON line by line", async () => {
    const bodies = fixtureBodies().map((f) => f.body);
    const lines = bodies.slice(0, 6).map((b, i) => receipt(i, b));
    const clean1 = landSegment(home, "webhooks", 1, lines.slice(0, 2).join("\n") + "\n");
    const torn = landSegment(
      home,
      "webhooks",
      2,
      [lines[2], "{not json", lines[3], '{"v":"1"}{"v":"1"}'].join("\n") + "\n",
    );
    const clean2 = landSegment(home, "webhooks", 3, lines.slice(4, 6).join("\n"));
    const [report] = await loadLanded(wh, home, silentLogger);
    expect(report).toMatchObject({ files: 3, lines: 8, loaded: 6, quarantined: 2 });

    const q = await wh.rows<Row>(
      "select file, line_no::int as line_no, field, reason, raw_line from raw.quarantine order by line_no",
    );
    expect(q).toEqual([
      { file: torn, line_no: 2, field: null, reason: "line is not valid JSON", raw_line: "{not json" },
      { file: torn, line_no: 4, field: null, reason: "line is not valid JSON", raw_line: '{"v":"1"}{"v":"1"}' },
    ]);
    const loaded = await wh.rows<Row>(
      "select file, line_no::int as line_no, receipt_id from raw.webhook_receipts order by rowid",
    );
    // stored in file and line order
    expect(loaded).toEqual([
      { file: clean1, line_no: 1, receipt_id: "r-0" },
      { file: clean1, line_no: 2, receipt_id: "r-1" },
      { file: torn, line_no: 1, receipt_id: "r-2" },
      { file: torn, line_no: 3, receipt_id: "r-3" },
      { file: clean2, line_no: 1, receipt_id: "r-4" },
      { file: clean2, line_no: 2, receipt_id: "r-5" },
    ]);
    const ledger = await wh.rows<Row>(
      "select file, lines::int as lines, loaded_rows::int as loaded, quarantined_rows::int as quarantined from raw.load_ledger order by file",
    );
    expect(ledger).toEqual([
      { file: clean1, lines: 2, loaded: 2, quarantined: 0 },
      { file: torn, lines: 4, loaded: 2, quarantined: 2 },
      { file: clean2, lines: 2, loaded: 2, quarantined: 0 },
    ]);
  });

  it("quarantines a corrupted body and keeps line numbers right across a blank line", async () => {
    const [a, b, c] = fixtureBodies().map((f) => f.body);
    const corrupted = receipt(1, b!).replace(/"body":"\{/, '"body":"{ ');
    const clean = landSegment(home, "webhooks", 1, receipt(9, c!) + "\n");
    const file = landSegment(home, "webhooks", 2, [receipt(0, a!), corrupted, "", receipt(2, c!)].join("\n") + "\n");
    const empty = landSegment(home, "webhooks", 3, "");
    const [report] = await loadLanded(wh, home, silentLogger);
    expect(report).toMatchObject({ files: 3, lines: 5, loaded: 3, quarantined: 2 });
    expect(
      await wh.rows<Row>(
        "select line_no::int as line_no, field, reason, raw_line from raw.quarantine order by line_no",
      ),
    ).toEqual([
      { line_no: 2, field: "body_sha256", reason: "body does not match its SHA-256", raw_line: corrupted },
      { line_no: 3, field: null, reason: "empty line", raw_line: "" },
    ]);
    expect(
      await wh.rows<Row>(
        "select file, line_no::int as line_no, receipt_id from raw.webhook_receipts order by file, line_no",
      ),
    ).toEqual([
      { file: clean, line_no: 1, receipt_id: "r-9" },
      { file, line_no: 1, receipt_id: "r-0" },
      { file, line_no: 4, receipt_id: "r-2" },
    ]);
    expect(
      await wh.rows<Row>(
        "select file, lines::int as lines, loaded_rows::int as loaded, quarantined_rows::int as quarantined from raw.load_ledger order by file",
      ),
    ).toEqual([
      { file: clean, lines: 1, loaded: 1, quarantined: 0 },
      { file, lines: 4, loaded: 2, quarantined: 2 },
      { file: empty, lines: 0, loaded: 0, quarantined: 0 },
    ]);
  });

  it("names each problem of a body that is no webhook envelope, on both paths", async () => {
    const bodies = ["[1,2]", '{"entry":[]}', '{"object":"whatsapp_business_account","entry":{}}', "{not json"];
    const lines = bodies.map((b, i) => receipt(i, b));
    const good = receipt(9, fixtureBodies()[0]!.body);
    // The first file reads as JSON throughout (fast path, then line by line); the second has a
    // line that is not JSON, which sends it straight down the careful path.
    const fast = landSegment(home, "webhooks", 1, [...lines, good].join("\n") + "\n");
    const careful = landSegment(home, "webhooks", 2, [...lines, good, "not json"].join("\n") + "\n");
    const [report] = await loadLanded(wh, home, silentLogger);
    expect(report).toMatchObject({ files: 2, lines: 11, loaded: 2, quarantined: 9 });
    const reasons = [
      { line_no: 1, field: "body.object", reason: 'body is not a webhook envelope (no "object")' },
      { line_no: 2, field: "body.object", reason: 'body is not a webhook envelope (no "object")' },
      { line_no: 3, field: "body.entry", reason: 'body has no "entry" array' },
      { line_no: 4, field: "body", reason: "body is not valid JSON" },
    ];
    const quarantined = (file: string) =>
      wh.rows<Row>(
        `select line_no::int as line_no, field, reason from raw.quarantine where file = '${file}' order by line_no`,
      );
    expect(await quarantined(fast)).toEqual(reasons);
    expect(await quarantined(careful)).toEqual([
      ...reasons,
      { line_no: 6, field: null, reason: "line is not valid JSON" },
    ]);
    expect(
      await wh.rows<Row>("select file, line_no::int as line_no, receipt_id from raw.webhook_receipts order by file"),
    ).toEqual([
      { file: fast, line_no: 5, receipt_id: "r-9" },
      { file: careful, line_no: 5, receipt_id: "r-9" },
    ]);
  });

  it("numbers the lines of every file in a batch loaded whole", async () => {
    const body = fixtureBodies()[0]!.body;
    const sizes = [3000, 1, 2500, 4000];
    const files = sizes.map((n, f) =>
      landSegment(
        home,
        "webhooks",
        f + 1,
        Array.from({ length: n }, (_, i) => receipt(f * 10000 + i, body)).join("\n") + "\n",
      ),
    );
    const [report] = await loadLanded(wh, home, silentLogger);
    expect(report).toMatchObject({ files: 4, lines: 9501, loaded: 9501, quarantined: 0 });
    const numbered = await wh.rows<Row>(
      `select file, count(*)::int as n,
              count(*) filter (where 'r-' || (list_position($1, file) - 1) * 10000 + line_no - 1 = receipt_id)::int as right
       from raw.webhook_receipts group by file order by file`,
      [listValue(files)],
    );
    expect(numbered).toEqual(files.map((file, f) => ({ file, n: sizes[f], right: sizes[f] })));
    // ...by the fast path: the careful path would number them right too.
    expect(await wh.rows<Row>("select file, whole from fast_files order by file")).toEqual(
      files.map((file) => ({ file, whole: true })),
    );
  });

  it("stores the same rows whether a file loads whole or line by line", async () => {
    const bodies = fixtureBodies().map((f) => f.body);
    const lines = bodies.map((b, i) => receipt(i, b));
    landSegment(home, "webhooks", 1, lines.join("\n") + "\n");
    landSegment(home, "webhooks", 2, [...lines, "not json"].join("\n") + "\n");
    await loadLanded(wh, home, silentLogger);
    const [whole, lineByLine] = await Promise.all(
      readdirSync(join(home.landing.webhooks, "2026-10-01")).map((name) =>
        wh.rows<Row>(`select ${receiptColumns} from raw.webhook_receipts where file like '%${name}' order by line_no`),
      ),
    );
    expect(whole).toHaveLength(bodies.length);
    expect(lineByLine).toEqual(whole);
    expect(whole!.map((r) => r.body)).toEqual(bodies);
  });

  it("loads the outbound log the same way, quarantining bad lines with their numbers", async () => {
    const message = (id: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        v: 1,
        message_id: id,
        sent_at: "2026-10-01T08:00:00.000Z",
        phone_number_id: "pn-1",
        recipient_wa_id: "15550001",
        recipient_user_id: null,
        sender_kind: "agent",
        agent_id: "a-1",
        agent_name: "Ana",
        automation_id: null,
        template_name: null,
        template_category: null,
        template_language: null,
        campaign_id: null,
        message_type: "text",
        text: "hello",
        reply_to_message_id: null,
        ...extra,
      });
    const clean = landSegment(home, "outbound", 1, [message("m-1"), message("m-2")].join("\n") + "\n");
    const bad = landSegment(
      home,
      "outbound",
      2,
      [message("m-3"), message("m-4", { sender_kind: "robot" }), "[]"].join("\n") + "\n",
    );
    const reports = await loadLanded(wh, home, silentLogger);
    expect(reports.find((r) => r.source === "outbound")).toMatchObject({
      files: 2,
      lines: 5,
      loaded: 3,
      quarantined: 2,
    });
    expect(
      await wh.rows<Row>(
        "select file, line_no::int as line_no, message_id from raw.outbound_messages order by file, line_no",
      ),
    ).toEqual([
      { file: clean, line_no: 1, message_id: "m-1" },
      { file: clean, line_no: 2, message_id: "m-2" },
      { file: bad, line_no: 1, message_id: "m-3" },
    ]);
    expect(await wh.rows<Row>("select line_no::int as line_no, field from raw.quarantine order by line_no")).toEqual([
      { line_no: 2, field: "sender_kind" },
      { line_no: 3, field: "v" },
    ]);
  });

  it("loads marketing CSVs, quarantining rows with the offending field and refusing a wrong header", async () => {
    const dir = join(home.landing.marketing, "ad_spend");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "ad_spend-2026-10.csv"),
      [
        "spend_date,channel,campaign_id,spend,currency,impressions,clicks",
        "2026-10-01,whatsapp,cmp-1,120.50,usd,1000,40",
        "2026-10-02,line,cmp-2,abc,USD,10,1",
        "2026-10-03,facebook,,88,USD,,",
        "",
      ].join("\n"),
    );
    const cdir = join(home.landing.marketing, "campaigns");
    mkdirSync(cdir, { recursive: true });
    writeFileSync(join(cdir, "campaigns.csv"), "id,name\n1,x\n");

    const reports = await loadLanded(wh, home, silentLogger);
    const spend = reports.find((r) => r.source === "ad_spend")!;
    expect(spend).toMatchObject({ files: 1, loaded: 2, quarantined: 1 });
    const q = await wh.rows<{ source: string; line_no: number; field: string; reason: string }>(
      "select source, line_no::int as line_no, field, reason from raw.quarantine order by source",
    );
    expect(q).toContainEqual({ source: "ad_spend", line_no: 3, field: "spend", reason: "missing or not a number" });
    expect(q.find((r) => r.source === "campaigns")).toMatchObject({ line_no: 0, field: "header" });
    expect(await wh.rows("select currency, campaign_id from raw.ad_spend order by line_no")).toEqual([
      { currency: "USD", campaign_id: "cmp-1" },
      { currency: "USD", campaign_id: null },
    ]);
  });
});
