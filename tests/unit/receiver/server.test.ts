import { existsSync, readdirSync, readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfig, type Config } from "../../../core/config.ts";
import type { HomeLayout } from "../../../core/home.ts";
import type { Logger } from "../../../core/log.ts";
import { Warehouse } from "../../../core/warehouse.ts";
import { webhookReceiptLine, type WebhookReceiptLine } from "../../../ingest/landing/format.ts";
import { loadLanded } from "../../../ingest/load/loader.ts";
import { postWebhook } from "../../../ingest/receiver/load-client.ts";
import { startReceiver, type ReceiverOptions, type RunningReceiver } from "../../../ingest/receiver/server.ts";
import { signBody } from "../../../ingest/receiver/signature.ts";
import { fixtureBodies } from "../../helpers/fixtures.ts";
import { tempHome } from "../../helpers/temp-home.ts";

const SECRET = "first-app-secret-7f3a";
const ROTATED = "second-app-secret-91bc";
const VERIFY = "verify-token-5521";

function receiverConfig(over: Partial<Config["receiver"]> = {}): Config["receiver"] {
  return { ...parseConfig({ receiver: { port: 0 } }, "test", {}).receiver, ...over };
}

function capturingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
  };
}

function landedFiles(home: HomeLayout): string[] {
  const dir = home.landing.webhooks;
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function landedLines(home: HomeLayout): WebhookReceiptLine[] {
  return landedFiles(home).flatMap((f) =>
    readFileSync(f, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => webhookReceiptLine.parse(JSON.parse(l))),
  );
}

function get(port: number, path: string, method = "GET"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, agent: false }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("webhook receiver", () => {
  let home: HomeLayout;
  let cleanup: () => void;
  let rcv: RunningReceiver | null;
  let log: ReturnType<typeof capturingLog>;
  const agent = new Agent({ keepAlive: true });

  const start = async (over: Partial<ReceiverOptions> = {}, cfg: Partial<Config["receiver"]> = {}) => {
    rcv = await startReceiver({
      home,
      config: receiverConfig({ appSecrets: [SECRET, ROTATED], verifyToken: VERIFY, ...cfg }),
      log,
      ...over,
    });
    return rcv;
  };
  const post = (body: Buffer | string, headers: Record<string, string> = {}, path = "/webhook") =>
    postWebhook(agent, rcv!.port, Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8"), headers, { path });
  const signed = (body: string | Buffer, secret = SECRET) =>
    post(body, { "x-hub-signature-256": signBody(secret, Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8")) });

  beforeEach(() => {
    ({ home, cleanup } = tempHome("scrm-receiver-"));
    log = capturingLog();
    rcv = null;
  });
  afterEach(async () => {
    await rcv?.close();
    cleanup();
  });

  it("answers Meta's verification handshake only for the right token", async () => {
    const { port } = await start();
    const ok = await get(port, `/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(ok).toEqual({ status: 200, body: "1158201444" });
    const root = await get(port, `/?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=77`);
    expect(root).toEqual({ status: 200, body: "77" });
    const bad = await get(port, "/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444");
    expect(bad.status).toBe(403);
    expect(bad.body).not.toContain("1158201444");
    expect(rcv!.metrics().rejections).toEqual({ handshake_bad_token: 1 });
  });

  it("lands a validly signed POST byte for byte and answers 200 only once it is on disk", async () => {
    await start();
    const body = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"t":"\\u00e4 ä"}}]}]}';
    const res = await signed(body);
    expect(res.status).toBe(200);
    // Acknowledged means in the (still open) segment already.
    const open = landedFiles(home);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatch(/\.ndjson\.open$/);
    expect(readFileSync(open[0]!, "utf8")).toContain(JSON.stringify(body));
    await rcv!.close();
    const [line] = landedLines(home);
    expect(line).toMatchObject({ body, signature: "valid", method: "POST", path: "/webhook", body_base64: null });
    expect(line!.receipt_id.startsWith(rcv!.writerTag + "-")).toBe(true);
    expect(line!.headers["x-hub-signature-256"]).toBe(signBody(SECRET, body));
    expect(landedFiles(home).every((f) => f.endsWith(".ndjson"))).toBe(true);
  });

  it("refuses invalid, missing and proxy-re-serialised signatures with 401 and lands nothing", async () => {
    await start();
    const wire = '{"object":"whatsapp_business_account","entry":[{"id":"1","text":"\\u00e4\\u00f6\\u00e5"}]}';
    const sig = signBody(SECRET, wire);
    expect((await post(wire)).status).toBe(401);
    expect((await post(wire, { "x-hub-signature-256": signBody("not-our-secret", wire) })).status).toBe(401);
    expect((await post(wire, { "x-hub-signature-256": "sha256=deadbeef" })).status).toBe(401);
    const reserialised = JSON.stringify(JSON.parse(wire));
    expect(reserialised).not.toBe(wire);
    expect((await post(reserialised, { "x-hub-signature-256": sig })).status).toBe(401);
    const pretty = JSON.stringify(JSON.parse(wire), null, 1);
    expect((await post(pretty, { "x-hub-signature-256": sig })).status).toBe(401);
    const m = rcv!.metrics();
    expect(m.rejections).toEqual({ missing_signature: 1, bad_signature: 3, malformed_signature: 1 });
    expect(m.acknowledged).toBe(0);
    await rcv!.close();
    expect(landedLines(home)).toEqual([]);
  });

  it("accepts every configured secret (rotation)", async () => {
    await start();
    const body = '{"object":"whatsapp_business_account","entry":[]}';
    expect((await signed(body, ROTATED)).status).toBe(200);
    expect((await signed(body, SECRET)).status).toBe(200);
    await rcv!.close();
    expect(landedLines(home)).toHaveLength(2);
  });

  it("answers 413 above maxBodyBytes without reading on, declared or streamed", async () => {
    const { port } = await start({}, { maxBodyBytes: 10_000 });
    const big = Buffer.alloc(50_000, 0x20);
    const declared = await post(big, { "x-hub-signature-256": signBody(SECRET, big) }).catch((e: Error) => e);
    expect(declared instanceof Error ? declared.message : declared.status).toBe(413);
    // Chunked: no content-length, the limit trips while streaming.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: "/webhook",
          method: "POST",
          agent: false,
          headers: { "x-hub-signature-256": "x" },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write(Buffer.alloc(8_000, 0x20));
      setTimeout(() => req.end(Buffer.alloc(8_000, 0x20)), 50);
    });
    expect(streamed).toBe(413);
    const ok = Buffer.from(`{"object":"x","entry":[],"pad":"${"y".repeat(9_000)}"}`);
    expect((await signed(ok)).status).toBe(200);
    expect(rcv!.metrics().rejections).toEqual({ too_large: 2 });
    await rcv!.close();
    expect(landedLines(home)).toHaveLength(1);
  });

  it("answers 405 to other methods and 404 elsewhere; health and metrics respond", async () => {
    const { port } = await start();
    expect((await get(port, "/webhook", "PUT")).status).toBe(405);
    expect((await get(port, "/webhook", "DELETE")).status).toBe(405);
    expect((await get(port, "/nope")).status).toBe(404);
    const health = await get(port, "/healthz");
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: "ok", durable: true });
    await signed('{"object":"whatsapp_business_account","entry":[]}');
    const metrics = JSON.parse((await get(port, "/metrics")).body) as Record<string, unknown>;
    expect(metrics).toMatchObject({
      acknowledged: 1,
      rejections: { method_not_allowed: 2, not_found: 1 },
      landed: { lines: 1 },
      ack_latency_ms: { window: 1 },
    });
    expect((metrics.ack_latency_ms as { p99: number }).p99).toBeGreaterThan(0);
  });

  it("lands a signed body that is not JSON (the loader quarantines it) and a 1,000-update batch as one line", async () => {
    await start();
    const notJson = "this is not json {";
    expect((await signed(notJson)).status).toBe(200);
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    expect((await signed(binary)).status).toBe(200);
    const statuses = Array.from({ length: 1000 }, (_, i) => ({
      id: `wamid.batch.${i}`,
      status: "delivered",
      timestamp: "1750030073",
      recipient_id: "16505551234",
    }));
    const batch = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: "1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", statuses } }] }],
    });
    expect((await signed(batch)).status).toBe(200);
    await rcv!.close();
    const lines = landedLines(home);
    expect(lines.map((l) => l.body)).toEqual([notJson, null, batch]);
    expect(Buffer.from(lines[1]!.body_base64!, "base64").equals(binary)).toBe(true);

    const wh = await Warehouse.open(home.warehouse);
    try {
      const [report] = await loadLanded(wh, home, { info() {}, warn() {}, error() {} });
      expect(report).toMatchObject({ lines: 3, loaded: 1, quarantined: 2 });
      const n = await wh.scalar(
        "select json_array_length(payload->'entry'->0->'changes'->0->'value'->'statuses')::int from raw.webhook_receipts",
      );
      expect(n).toBe(1000);
    } finally {
      wh.close();
    }
  });

  it("refuses to start without an app secret, unless allowUnsigned (then lands as not-checked)", async () => {
    await expect(startReceiver({ home, config: receiverConfig({ appSecrets: [] }), log })).rejects.toThrow(
      /no WhatsApp app secret configured.*WHATSAPP_APP_SECRET/,
    );
    rcv = await startReceiver({ home, config: receiverConfig({ appSecrets: [] }), log, allowUnsigned: true });
    expect((await post('{"object":"x","entry":[]}')).status).toBe(200);
    await rcv.close();
    expect(landedLines(home).map((l) => l.signature)).toEqual(["not-checked"]);
  });

  it("lands every fixture payload byte-identical, loads each exactly, and logs no secret or phone number", async () => {
    await start({ segmentMaxBytes: 8_000 });
    const fixtures = fixtureBodies();
    const statuses: number[] = [];
    for (const f of fixtures) statuses.push((await signed(f.body, ROTATED)).status);
    expect(statuses).toEqual(fixtures.map(() => 200));
    // A few rejected ones so that rejection logging is exercised too.
    await post(fixtures[0]!.body, { "x-hub-signature-256": signBody(SECRET, "other") });
    await get(rcv!.port, `/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=5`);
    await rcv!.close();
    expect(landedFiles(home).length).toBeGreaterThan(1); // rotated by size
    const lines = landedLines(home);
    expect(lines.map((l) => l.body).sort()).toEqual(fixtures.map((f) => f.body).sort());
    expect(new Set(lines.map((l) => l.receipt_id)).size).toBe(lines.length);

    const wh = await Warehouse.open(home.warehouse);
    try {
      const [report] = await loadLanded(wh, home, { info() {}, warn() {}, error() {} });
      expect(report).toMatchObject({ lines: fixtures.length, loaded: fixtures.length, quarantined: 0 });
      const rows = await wh.rows<{ body: string; n: number }>(
        "select body, count(*)::int as n from raw.webhook_receipts group by body",
      );
      const counts = new Map(rows.map((r) => [r.body, r.n]));
      for (const f of fixtures) expect(counts.get(f.body), f.name).toBe(1);
    } finally {
      wh.close();
    }

    const text = log.lines.join("\n");
    expect(text).toMatch(/listening/);
    expect(text).toMatch(/bad_signature/);
    for (const secret of [SECRET, ROTATED, VERIFY]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/\d{8,}/);
    const phoneLike = (text.match(/\+?\d[\d\s().-]{7,}\d/g) ?? []).filter((m) => m.replace(/\D/g, "").length >= 8);
    expect(phoneLike).toEqual([]);
    for (const phone of ["16505551234", "15550783881"]) expect(text).not.toContain(phone);
  });

  it("stops gracefully: stops accepting, finishes in-flight POSTs, then seals", async () => {
    const { port } = await start();
    const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    const headers = { "x-hub-signature-256": signBody(SECRET, body), "content-length": String(body.length) };
    // Three POSTs whose bodies are still arriving when close() is called.
    const pending = Array.from({ length: 3 }, () => {
      const req = request({ host: "127.0.0.1", port, path: "/webhook", method: "POST", agent: false, headers });
      const done = new Promise<number>((resolve, reject) => {
        req.on("response", (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
      });
      req.write(body.subarray(0, 10));
      return { req, done };
    });
    while (rcv!.metrics().requests.in_flight < 3) await new Promise((r) => setTimeout(r, 5));
    const closing = rcv!.close();
    await expect(get(port, "/healthz")).rejects.toThrow(); // no longer accepting
    for (const p of pending) p.req.end(body.subarray(10));
    expect(await Promise.all(pending.map((p) => p.done))).toEqual([200, 200, 200]);
    await closing;
    expect(landedFiles(home).every((f) => f.endsWith(".ndjson"))).toBe(true);
    expect(landedLines(home)).toHaveLength(3);
    expect(existsSync(join(home.landing.root, ".receiver-rcv.lock"))).toBe(false);
  });
});
