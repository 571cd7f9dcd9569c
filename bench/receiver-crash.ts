/**
 * The receiver crash test at a larger scale than tests/e2e/receiver-crash.test.ts: signed load
 * from 64 keep-alive clients, the receiver child SIGKILLed at random moments and restarted, then
 * stopped gracefully and loaded; every acknowledged marker must be in the warehouse exactly once.
 *   npx tsx bench/receiver-crash.ts [--kills 5] [--concurrency 64] [--min-up 1000] [--max-up 3000] [--keep]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { textTable } from "../core/text-table.ts";
import { CRASH_SUMMARY_COLUMNS, crashSummaryRow, runCrashTest } from "../ingest/receiver/crash-harness.ts";

const { values } = parseArgs({
  options: {
    kills: { type: "string", default: "5" },
    concurrency: { type: "string", default: "64" },
    "min-up": { type: "string", default: "1000" },
    "max-up": { type: "string", default: "3000" },
    max: { type: "string", default: "500000" },
    keep: { type: "boolean", default: false },
  },
});

const dir = mkdtempSync(join(tmpdir(), "scrm-bench-crash-"));
try {
  const r = await runCrashTest({
    homeDir: dir,
    kills: Number(values.kills),
    concurrency: Number(values.concurrency),
    upMs: [Number(values["min-up"]), Number(values["max-up"])],
    tailMs: 1000,
    maxEvents: Number(values.max),
    bodyBytes: 2048,
    segmentMaxBytes: 4 * 1024 * 1024,
    segmentMaxAgeMs: 2000,
    progress: (m) => process.stderr.write(m + "\n"),
  });
  process.stdout.write(
    "\n" + textTable([...CRASH_SUMMARY_COLUMNS], [crashSummaryRow(r)]).replace(/\n\(\d+ rows?\)$/, "") + "\n\n",
  );
  process.stdout.write(
    `segments sealed ${r.segments}, open left ${r.openSegmentsLeft}, duplicate receipt ids ${r.duplicateReceiptIds}, ` +
      `graceful exit ${r.gracefulExitCode}, ${(r.ms / 1000).toFixed(1)} s\n`,
  );
  const ok = r.missing === 0 && r.duplicates === 0 && r.found === r.acknowledged && r.openSegmentsLeft === 0;
  process.stdout.write(ok ? "PASS: every acknowledged webhook landed exactly once\n" : "FAIL\n");
  if (values.keep) process.stdout.write(`home kept at ${dir}\n`);
  process.exitCode = ok ? 0 : 1;
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}
