import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../../core/log.ts";
import { Warehouse } from "../../../core/warehouse.ts";
import type { HomeLayout } from "../../../core/home.ts";
import { receiptLine } from "../../../ingest/landing/format.ts";
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
