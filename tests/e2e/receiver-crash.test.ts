import { afterAll, describe, expect, it } from "vitest";
import { runCrashTest } from "../../ingest/receiver/crash-harness.ts";
import { tempHome } from "../helpers/temp-home.ts";

/**
 * SIGKILL the receiver (a child process) three times at random moments under concurrent signed
 * load; every POST answered 200 must end up in raw.webhook_receipts exactly once. The timing is
 * random; the assertion holds whatever it is. Bigger run: `npx tsx bench/receiver-crash.ts`.
 */
describe("receiver crash test", () => {
  const { home, cleanup } = tempHome("scrm-crash-");
  afterAll(() => cleanup());

  it("loses no acknowledged webhook and lands none twice across SIGKILLs", async () => {
    const r = await runCrashTest({
      homeDir: home.root,
      kills: 3,
      concurrency: 16,
      upMs: [300, 900],
      tailMs: 300,
      maxEvents: 20_000,
      segmentMaxBytes: 128 * 1024,
      segmentMaxAgeMs: 500,
    });
    console.log(
      `crash test: ${r.posted} posted, ${r.acknowledged} acknowledged, ${r.found} found once, ` +
        `${r.duplicates} duplicates, ${r.missing} missing, ${r.landedUnacknowledged} landed without a 200, ` +
        `${r.kills} kills, ${r.recoveredSegments} segment(s) recovered, ${r.ms} ms`,
    );
    expect(r.kills).toBe(3);
    expect(r.acknowledged).toBeGreaterThan(50); // meaningful, whatever the machine load
    expect(r.missing).toBe(0);
    expect(r.duplicates).toBe(0);
    expect(r.found).toBe(r.acknowledged);
    expect(r.duplicateReceiptIds).toBe(0);
    expect(r.quarantined).toBe(0);
    expect(r.openSegmentsLeft).toBe(0);
    expect(r.gracefulExitCode).toBe(0);
    expect(r.receipts).toBe(r.acknowledged + r.landedUnacknowledged);
  }, 90_000);
});
