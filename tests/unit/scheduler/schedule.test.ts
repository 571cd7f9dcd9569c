import { describe, expect, it } from "vitest";
import { defaultScheduleConfig, scheduleConfigSchema } from "../../../scheduler/schedule-config.ts";
import { registerBuiltinSteps, StepRegistry } from "../../../scheduler/steps.ts";
import {
  CronMatcher,
  dueTriggers,
  nextSlots,
  TriggerClock,
  wallClock,
  type Trigger,
} from "../../../scheduler/scheduler.ts";

/** Every trigger raised by a minute-by-minute fake clock from `from` to `to`. */
function simulate(jobs: Record<string, string>, tz: string, from: string, to: string, stepMinutes = 1): Trigger[] {
  const matchers = new Map(Object.entries(jobs).map(([k, v]) => [k, new CronMatcher(v)]));
  const clock = new TriggerClock(matchers, tz);
  const out: Trigger[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += stepMinutes * 60_000) out.push(...clock.tick(new Date(t)));
  return out;
}

const defaults = Object.fromEntries(Object.entries(defaultScheduleConfig().jobs).map(([k, j]) => [k, j.cron]));

describe("schedules from the config, in the business time zone (fake clock)", () => {
  it("a Monday in Hong Kong: micro-batches, hourly refresh, nightly at 01:00, export at 02:00, weekly reports", () => {
    // 2026-10-05 is a Monday; the local day is 2026-10-04T16:00Z .. 2026-10-05T16:00Z.
    const t = simulate(defaults, "Asia/Hong_Kong", "2026-10-04T16:00:00Z", "2026-10-05T16:00:00Z");
    const count = (job: string) => t.filter((x) => x.job === job).length;
    expect(count("micro-batch")).toBe(288);
    expect(count("hourly")).toBe(24);
    expect(t.filter((x) => x.job === "nightly").map((x) => [x.slot, x.at.toISOString()])).toEqual([
      ["2026-10-05 01:00", "2026-10-04T17:00:00.000Z"],
    ]);
    expect(t.filter((x) => x.job === "unread-export").map((x) => x.slot)).toEqual(["2026-10-05 02:00"]);
    expect(t.filter((x) => x.job === "weekly-reports").map((x) => x.slot)).toEqual(["2026-10-05 04:30"]);
    expect(count("weekly-full-tests")).toBe(0);
    expect(t.every((x) => !x.late)).toBe(true);
  });

  it("a week in Hong Kong: the build that tests every row runs once, Sunday 03:00 local", () => {
    const t = simulate(defaults, "Asia/Hong_Kong", "2026-10-04T16:00:00Z", "2026-10-11T16:00:00Z", 5);
    expect(t.filter((x) => x.job === "weekly-full-tests").map((x) => x.slot)).toEqual(["2026-10-11 03:00"]);
    const steps = defaultScheduleConfig().jobs["weekly-full-tests"]?.steps ?? [];
    expect(steps).toEqual(["ingest", "transform-all-rows"]);
    const builtins = registerBuiltinSteps(new StepRegistry());
    for (const step of steps) expect(builtins.get(step), step).toBeDefined();
  });

  it("Europe/London spring forward: the 01:00 nightly (a local time that does not exist) runs once, late, at 02:00 BST", () => {
    const t = simulate(
      { nightly: "0 1 * * *", half: "30 1 * * *" },
      "Europe/London",
      "2026-03-28T12:00:00Z",
      "2026-03-30T12:00:00Z",
    );
    expect(t.filter((x) => x.job === "nightly").map((x) => [x.slot, x.at.toISOString(), x.late])).toEqual([
      ["2026-03-29 01:00", "2026-03-29T01:00:00.000Z", true],
      ["2026-03-30 01:00", "2026-03-30T00:00:00.000Z", false],
    ]);
    expect(t.filter((x) => x.job === "half")).toHaveLength(2);
  });

  it("Europe/London fall back: 01:00-01:59 happens twice, the nightly runs once", () => {
    const t = simulate(
      { nightly: "0 1 * * *", q: "*/15 * * * *" },
      "Europe/London",
      "2026-10-24T12:00:00Z",
      "2026-10-26T12:00:00Z",
    );
    expect(t.filter((x) => x.job === "nightly").map((x) => x.at.toISOString())).toEqual([
      "2026-10-25T00:00:00.000Z",
      "2026-10-26T01:00:00.000Z",
    ]);
    // 48 h of real time are 47 h of wall clock (13:00 BST .. 12:00 GMT); the repeated hour raises nothing.
    expect(t.filter((x) => x.job === "q")).toHaveLength(47 * 4);
  });

  it("America/New_York: a 02:30 job on the spring-forward day runs at 03:00 EDT, and the weekly job keeps local time across DST", () => {
    const t = simulate(
      { j: "30 2 * * *", weekly: "30 4 * * 1" },
      "America/New_York",
      "2026-03-07T12:00:00Z",
      "2026-03-17T12:00:00Z",
    );
    const j = t.filter((x) => x.job === "j");
    expect(j.find((x) => x.slot === "2026-03-08 02:30")).toMatchObject({
      late: true,
      at: new Date("2026-03-08T07:00:00Z"),
    });
    expect(j).toHaveLength(10);
    expect(t.filter((x) => x.job === "weekly").map((x) => x.at.toISOString())).toEqual([
      "2026-03-09T08:30:00.000Z", // EDT (UTC-4)
      "2026-03-16T08:30:00.000Z",
    ]);
  });

  it("a stalled clock (suspend, blocked loop) coalesces missed slots into one late trigger per job", () => {
    const matchers = new Map([["mb", new CronMatcher("*/5 * * * *")]]);
    const [t] = dueTriggers(
      matchers,
      "Asia/Hong_Kong",
      new Date("2026-10-01T00:00:00Z"),
      new Date("2026-10-01T01:02:00Z"),
    );
    expect(t).toMatchObject({ job: "mb", slot: "2026-10-01 09:00", late: true, coalesced: 12 });
  });

  it("computes wall clocks and next slots", () => {
    expect(wallClock(new Date("2026-07-01T00:30:00Z"), "Europe/London").toISOString()).toBe("2026-07-01T01:30:00.000Z");
    expect(nextSlots("0 2 * * *", "Asia/Hong_Kong", new Date("2026-10-01T00:00:00Z"), 2)).toEqual([
      "2026-10-02 02:00",
      "2026-10-03 02:00",
    ]);
  });

  it("validates the config: cron syntax, retention never under 180 days", () => {
    expect(() => scheduleConfigSchema.parse({ retention: { days: 90 } })).toThrow(/180/);
    expect(() => scheduleConfigSchema.parse({ jobs: { x: { cron: "every day", steps: ["ingest"] } } })).toThrow(/cron/);
    const c = defaultScheduleConfig();
    expect(c.retry).toEqual({ retries: 3, delaySeconds: 300, backoffFactor: 1 });
    expect(c.retention.days).toBe(180);
  });
});
