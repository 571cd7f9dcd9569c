import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HomeLayout } from "../../../core/home.ts";
import { silentLogger, type Logger } from "../../../core/log.ts";
import { GroupCommitWriter } from "../../../ingest/receiver/group-commit.ts";
import { acquireWriterLock, receiverRunTag, recoverOpenSegments } from "../../../ingest/receiver/recovery.ts";
import { tempHome } from "../../helpers/temp-home.ts";

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(join(e.parentPath, e.name));
  }
  return out.sort();
}

const at = new Date("2026-10-01T08:00:00.000Z");

describe("group commit", () => {
  let home: HomeLayout;
  let cleanup: () => void;
  beforeEach(() => ({ home, cleanup } = tempHome("scrm-gc-")));
  afterEach(() => cleanup());

  const writer = (over: Partial<ConstructorParameters<typeof GroupCommitWriter>[0]> = {}) =>
    new GroupCommitWriter({
      landingRoot: home.landing.root,
      writer: "t_run1",
      maxSegmentBytes: 1 << 30,
      maxSegmentAgeMs: 60_000,
      durable: true,
      log: silentLogger,
      ...over,
    });

  it("acknowledges concurrent lines with shared fsyncs, in order, and seals on close", async () => {
    const w = writer();
    const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ i }));
    await Promise.all(lines.map((l) => w.append(l, at)));
    expect(w.stats.linesCommitted).toBe(500);
    expect(w.stats.commits).toBeLessThan(500);
    const open = files(home.landing.webhooks);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatch(/\.ndjson\.open$/);
    // Acknowledged lines are in the open file before it is sealed.
    expect(readFileSync(open[0]!, "utf8")).toBe(lines.join("\n") + "\n");
    await w.close();
    const sealed = files(home.landing.webhooks);
    expect(sealed).toHaveLength(1);
    expect(sealed[0]).toMatch(/2026-10-01\/wh-20261001T080000Z-t_run1-000001\.ndjson$/);
    expect(readFileSync(sealed[0]!, "utf8")).toBe(lines.join("\n") + "\n");
    await expect(w.append("late", at)).rejects.toThrow(/closing/);
  });

  it("rotates by size: every sealed segment is complete and never reopened", async () => {
    const w = writer({ maxSegmentBytes: 1000 });
    for (let i = 0; i < 50; i++) await w.append(JSON.stringify({ i, pad: "x".repeat(80) }), at);
    await w.close();
    const sealed = files(home.landing.webhooks);
    expect(sealed.length).toBeGreaterThan(3);
    expect(sealed.every((f) => f.endsWith(".ndjson"))).toBe(true);
    const all = sealed.flatMap((f) => readFileSync(f, "utf8").trimEnd().split("\n"));
    expect(all.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(w.sealed).toEqual(sealed);
  });

  it("rotates by age even when no more lines arrive", async () => {
    const w = writer({ maxSegmentAgeMs: 100 });
    await w.append('{"a":1}', at);
    await new Promise((r) => setTimeout(r, 400));
    expect(files(home.landing.webhooks).map((f) => f.endsWith(".ndjson"))).toEqual([true]);
    await w.append('{"a":2}', at);
    await w.close();
    expect(files(home.landing.webhooks)).toHaveLength(2);
  });

  it("starts a new segment when the UTC day changes", async () => {
    const w = writer();
    await w.append('{"a":1}', at);
    await w.append('{"a":2}', new Date("2026-10-02T00:00:01Z"));
    await w.close();
    const sealed = files(home.landing.webhooks);
    expect(sealed.map((f) => f.split("/").slice(-2, -1)[0])).toEqual(["2026-10-01", "2026-10-02"]);
  });
});

describe("crash recovery", () => {
  let home: HomeLayout;
  let cleanup: () => void;
  beforeEach(() => ({ home, cleanup } = tempHome("scrm-recover-")));
  afterEach(() => cleanup());

  it("seals a crashed run's open segment as is, cutting only a torn final line", () => {
    const dir = join(home.landing.webhooks, "2026-10-01");
    mkdirSync(dir, { recursive: true });
    const mine = join(dir, "wh-20261001T080000Z-rcv_abc123-000001.ndjson.open");
    const empty = join(dir, "wh-20261001T080100Z-rcv_abc123-000002.ndjson.open");
    const tornOnly = join(dir, "wh-20261001T080200Z-rcv_abc123-000003.ndjson.open");
    const other = join(dir, "wh-20261001T080000Z-other_abc-000001.ndjson.open");
    writeFileSync(mine, '{"a":1}\n{"a":2}\n{"a":3,"tor');
    writeFileSync(empty, "");
    writeFileSync(tornOnly, '{"a":');
    writeFileSync(other, '{"b":1}\n');
    const warnings: string[] = [];
    const log: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
    const report = recoverOpenSegments(home.landing.webhooks, "rcv", log);
    expect(report.lines).toBe(2);
    expect(report.sealed).toEqual([mine.replace(/\.open$/, "")]);
    expect(report.removed.sort()).toEqual([empty, tornOnly].sort());
    expect(readFileSync(mine.replace(/\.open$/, ""), "utf8")).toBe('{"a":1}\n{"a":2}\n');
    expect(existsSync(other)).toBe(true); // another writer's file is not ours to seal
    expect(warnings.join("\n")).toMatch(/recovered 1 open segment/);
    expect(recoverOpenSegments(home.landing.webhooks, "rcv", log).sealed).toEqual([]);
  });

  it("allows one live receiver per writer id and takes over a dead one's lock", () => {
    const release = acquireWriterLock(home.landing.root, "rcv");
    writeFileSync(join(home.landing.root, ".receiver-rcv.lock"), `${process.ppid}\n`);
    expect(() => acquireWriterLock(home.landing.root, "rcv")).toThrow(/another receiver/);
    writeFileSync(join(home.landing.root, ".receiver-rcv.lock"), "999999999\n"); // no such process
    const again = acquireWriterLock(home.landing.root, "rcv");
    again();
    release();
    expect(existsSync(join(home.landing.root, ".receiver-rcv.lock"))).toBe(false);
  });

  it("makes run tags unique and refuses writer ids that would break file names", () => {
    const a = receiverRunTag("rcv", 1);
    const b = receiverRunTag("rcv", 1);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^rcv_[a-z0-9]+$/);
    // A start time whose base-36 form ends in digits: the tag must still hold no digit run that
    // the logs' phone-number check would flag (random hex here once made "…h33365788").
    const digitHeavy = Number.parseInt("mjo8m999", 36);
    for (let i = 0; i < 2000; i += 1) expect(receiverRunTag("rcv", digitHeavy)).not.toMatch(/\d{6,}/);
    expect(() => receiverRunTag("a-b")).toThrow();
  });
});
