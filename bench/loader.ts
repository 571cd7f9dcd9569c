/**
 * Loader throughput: events/s loading landed webhook segments into `raw` with `loadLanded`
 * (checks, quarantine, ledger, one transaction per batch) against bare DuckDB reading the same
 * files into a table (`create table t as select * from read_ndjson([...])`), in the same run.
 * Each round loads into fresh databases, bare DuckDB first, and takes the ratio of the two; the
 * median round is reported, so that one round slowed by other work on the machine does not
 * decide it.
 *   npx tsx bench/loader.ts [--events 50000] [--segment-mib 16] [--rounds 5]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { homeLayout } from "../core/home.ts";
import { silentLogger } from "../core/log.ts";
import { textTable } from "../core/text-table.ts";
import { Warehouse } from "../core/warehouse.ts";
import { receiptLine } from "../ingest/landing/format.ts";
import { SegmentWriter } from "../ingest/landing/segment-writer.ts";
import { listLanded } from "../ingest/load/landing-files.ts";
import { loadLanded } from "../ingest/load/loader.ts";
import { fixtureBodies } from "../tests/helpers/fixtures.ts";
import { bareNdjsonLoad } from "./bare-duckdb.ts";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "50000" },
    "segment-mib": { type: "string", default: "16" },
    rounds: { type: "string", default: "5" },
    keep: { type: "boolean", default: false },
  },
});

const events = Number(values.events);
const dir = mkdtempSync(join(tmpdir(), "scrm-bench-loader-"));
const home = homeLayout(dir);
try {
  // Land real fixture payloads (cycled, each POST its own receipt) the way the receiver does.
  const bodies = fixtureBodies().map((f) => Buffer.from(f.body, "utf8"));
  const writer = new SegmentWriter({
    landingRoot: home.landing.root,
    kind: "webhooks",
    writerId: "bench",
    maxBytes: Number(values["segment-mib"]) * 1024 * 1024,
    durable: false,
  });
  const t0 = Date.parse("2026-10-01T00:00:00Z");
  let landedBytes = 0;
  for (let i = 0; i < events; i++) {
    const at = new Date(t0 + i * 50);
    const line = JSON.stringify(
      receiptLine({
        receiptId: `bench-${i}`,
        receivedAt: at,
        path: "/webhook",
        remoteAddr: "127.0.0.1",
        headers: { "content-type": "application/json", "x-hub-signature-256": "sha256=" + "0".repeat(64) },
        signature: "valid",
        body: bodies[i % bodies.length]!,
      }),
    );
    landedBytes += line.length + 1;
    writer.append(line, at);
  }
  writer.seal();
  const files = listLanded(home.root, home.landing.webhooks).map((f) => f.abs);

  const eps = (n: number, ms: number) => Math.round(n / (ms / 1000));
  const rounds: Array<{ bare: { rows: number; ms: number }; load: { rows: number; ms: number }; ratio: number }> = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    const bare = await bareNdjsonLoad(files, join(dir, `bare-${round}.duckdb`));
    const wh = await Warehouse.open(join(dir, `warehouse-${round}.duckdb`));
    try {
      const started = performance.now();
      const [report] = await loadLanded(wh, home, silentLogger);
      const load = { rows: report!.loaded, ms: performance.now() - started };
      if (report!.quarantined !== 0) throw new Error(`${report!.quarantined} line(s) quarantined`);
      rounds.push({ bare, load, ratio: eps(load.rows, load.ms) / eps(bare.rows, bare.ms) });
    } finally {
      wh.close();
    }
  }
  const { bare, load, ratio } = [...rounds].sort((x, y) => x.ratio - y.ratio)[Math.floor(rounds.length / 2)]!;

  process.stdout.write(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} (other work on the machine skews these figures)\n`,
  );
  process.stdout.write(
    `loader: ${events} webhook receipts (${(landedBytes / 1024 / 1024).toFixed(1)} MiB) in ${files.length} segment(s); ` +
      `the median of ${rounds.length} round(s)\n\n`,
  );
  process.stdout.write(
    textTable(
      ["run", "rows", "seconds", "events/s"],
      [
        ["loadLanded -> raw", load.rows, (load.ms / 1000).toFixed(2), eps(load.rows, load.ms)],
        ["bare read_ndjson", bare.rows, (bare.ms / 1000).toFixed(2), eps(bare.rows, bare.ms)],
      ],
    ).replace(/\n\(\d+ rows?\)$/, "") + "\n\n",
  );
  process.stdout.write(
    textTable(
      ["round", "bare s", "loadLanded s", "ratio"],
      rounds.map((r, i) => [i + 1, (r.bare.ms / 1000).toFixed(2), (r.load.ms / 1000).toFixed(2), r.ratio.toFixed(2)]),
    ).replace(/\n\(\d+ rows?\)$/, "") + "\n\n",
  );
  process.stdout.write(
    `loadLanded / bare DuckDB: ${ratio.toFixed(2)} (target >= 0.5: ${ratio >= 0.5 ? "met" : "NOT met"}; ` +
      `rounds: ${rounds.map((r) => r.ratio.toFixed(2)).join(", ")})\n`,
  );
  if (values.keep) process.stdout.write(`home kept at ${dir}\n`);
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}
