import { existsSync, readdirSync } from "node:fs";
import { silentLogger } from "../../core/log.ts";
import { Warehouse } from "../../core/warehouse.ts";
import { homeLayout } from "../../core/home.ts";
import { loadLanded } from "../load/loader.ts";
import { keepAliveAgent, postSigned, spawnReceiver, statusWebhookBody, type ChildReceiver } from "./load-client.ts";

/**
 * The crash test: the receiver runs as a child process; a load generator posts signed webhooks,
 * each with a unique marker (its status wamid), and records every marker answered 200; the child
 * is SIGKILLed at random moments and restarted. At the end it is stopped gracefully, the landing
 * zone is loaded with `loadLanded`, and every acknowledged marker must be in raw.webhook_receipts
 * exactly once. Unacknowledged POSTs are not retried (Meta would retry them; that duplicate is
 * the warehouse's dedup problem, not the receiver's), so they may or may not have landed.
 */
export interface CrashTestOptions {
  /** An empty folder used as the home. */
  readonly homeDir: string;
  readonly kills: number;
  readonly concurrency: number;
  /** The child runs this long (random in [min, max]) between restarts. */
  readonly upMs: readonly [number, number];
  /** Load after the last restart, before the graceful stop. */
  readonly tailMs: number;
  /** Safety cap on POSTs. */
  readonly maxEvents: number;
  readonly bodyBytes?: number;
  readonly segmentMaxBytes?: number;
  readonly segmentMaxAgeMs?: number;
  readonly progress?: (msg: string) => void;
}

export interface CrashTestResult {
  readonly posted: number;
  readonly acknowledged: number;
  readonly notAcknowledged: number;
  /** Acknowledged markers found exactly once. */
  readonly found: number;
  /** Acknowledged markers found more than once. */
  readonly duplicates: number;
  /** Acknowledged markers not found. */
  readonly missing: number;
  /** Markers landed although their POST got no 200 (killed between write and answer). */
  readonly landedUnacknowledged: number;
  readonly receipts: number;
  readonly duplicateReceiptIds: number;
  readonly quarantined: number;
  readonly segments: number;
  readonly openSegmentsLeft: number;
  readonly kills: number;
  readonly recoveredSegments: number;
  readonly gracefulExitCode: number | null;
  readonly ms: number;
}

const SECRET = "crash-test-app-secret";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function countFiles(dir: string, suffix: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(suffix))
    .length;
}

export async function runCrashTest(opts: CrashTestOptions): Promise<CrashTestResult> {
  const started = performance.now();
  const home = homeLayout(opts.homeDir);
  const say = opts.progress ?? (() => {});
  const env = {
    SCRM_HOME: home.root,
    WHATSAPP_APP_SECRET: SECRET,
    RECEIVER_WRITER_ID: "crash",
    RECEIVER_SEGMENT_MAX_BYTES: String(opts.segmentMaxBytes ?? 256 * 1024),
    RECEIVER_SEGMENT_MAX_AGE_MS: String(opts.segmentMaxAgeMs ?? 1000),
  };
  const acknowledged = new Set<string>();
  const posted = new Set<string>();
  let recoveredSegments = 0;
  let child: ChildReceiver | null = await spawnReceiver(env);
  const collectStderr = (c: ChildReceiver) => {
    for (const m of c.stderr().matchAll(/recovered (\d+) open segment/g)) recoveredSegments += Number(m[1]);
  };
  let stop = false;
  let seq = 0;
  const agent = keepAliveAgent(opts.concurrency);

  const worker = async () => {
    while (!stop && seq < opts.maxEvents) {
      const target = child;
      if (target === null) {
        await sleep(2);
        continue;
      }
      const marker = `wamid.crash.${++seq}`;
      posted.add(marker);
      try {
        const res = await postSigned(agent, target.port, SECRET, statusWebhookBody(marker, opts.bodyBytes ?? 1024));
        if (res.status === 200) acknowledged.add(marker);
      } catch {
        // connection refused or reset by the kill: not acknowledged, not retried
      }
    }
  };
  const workers = Array.from({ length: opts.concurrency }, worker);

  let kills = 0;
  for (let k = 0; k < opts.kills; k++) {
    const [lo, hi] = opts.upMs;
    await sleep(lo + Math.random() * (hi - lo));
    const victim = child!;
    child = null;
    victim.child.kill("SIGKILL");
    await victim.exited;
    kills += 1;
    say(`kill ${kills}: SIGKILL after ${acknowledged.size} acknowledged so far; restarting`);
    const next = await spawnReceiver(env);
    collectStderr(next);
    child = next;
  }
  await sleep(opts.tailMs);
  stop = true;
  await Promise.all(workers);
  agent.destroy();
  const last = child!;
  last.child.kill("SIGTERM");
  const exit = await last.exited;
  collectStderr(last);
  say(`stopped gracefully (exit ${exit.code ?? exit.signal}); loading the landing zone`);

  const openSegmentsLeft = countFiles(home.landing.webhooks, ".ndjson.open");
  const segments = countFiles(home.landing.webhooks, ".ndjson");
  const wh = await Warehouse.open(home.warehouse);
  try {
    await loadLanded(wh, home, silentLogger);
    const rows = await wh.rows<{ marker: string | null; n: number }>(
      `select json_extract_string(body, '$.entry[0].changes[0].value.statuses[0].id') as marker, count(*)::int as n
       from raw.webhook_receipts group by 1`,
    );
    const counts = new Map(rows.map((r) => [r.marker ?? "", r.n]));
    let found = 0;
    let duplicates = 0;
    let missing = 0;
    for (const m of acknowledged) {
      const n = counts.get(m) ?? 0;
      if (n === 1) found += 1;
      else if (n === 0) missing += 1;
      else duplicates += 1;
    }
    let landedUnacknowledged = 0;
    for (const m of counts.keys()) if (!acknowledged.has(m)) landedUnacknowledged += 1;
    const receipts = Number(await wh.scalar("select count(*)::int from raw.webhook_receipts"));
    const duplicateReceiptIds = Number(
      await wh.scalar("select (count(*) - count(distinct receipt_id))::int from raw.webhook_receipts"),
    );
    const quarantined = Number(await wh.scalar("select count(*)::int from raw.quarantine where source = 'webhooks'"));
    return {
      posted: posted.size,
      acknowledged: acknowledged.size,
      notAcknowledged: posted.size - acknowledged.size,
      found,
      duplicates,
      missing,
      landedUnacknowledged,
      receipts,
      duplicateReceiptIds,
      quarantined,
      segments,
      openSegmentsLeft,
      kills,
      recoveredSegments,
      gracefulExitCode: exit.code,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    wh.close();
  }
}

export const CRASH_SUMMARY_COLUMNS = [
  "posted",
  "acknowledged",
  "found once",
  "duplicates",
  "missing",
  "landed unacked",
  "kills",
  "recovered segs",
  "quarantined",
] as const;

export function crashSummaryRow(r: CrashTestResult): number[] {
  return [
    r.posted,
    r.acknowledged,
    r.found,
    r.duplicates,
    r.missing,
    r.landedUnacknowledged,
    r.kills,
    r.recoveredSegments,
    r.quarantined,
  ];
}
