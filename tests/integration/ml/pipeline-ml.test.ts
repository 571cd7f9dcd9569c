import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../core/config.ts";
import { silentLogger } from "../../../core/log.ts";
import { noProgress } from "../../../core/progress.ts";
import { withWarehouse } from "../../../core/warehouse.ts";
import { anomaliesCommand, stepMl } from "../../../ml/cli.ts";
import { scoreAgainstGroundTruth } from "../../../ml/anomalies/evaluate.ts";
import {
  stepDemo,
  stepIngest,
  stepTransform,
  type PipelineContext,
  type StepReport,
} from "../../../scheduler/pipeline.ts";
import { tempHome } from "../../helpers/temp-home.ts";

/** The ML step on a small demo home: never crashes on too little history; anomalies vs the ground truth. */
const END = new Date("2026-10-01T00:00:00Z");

describe("stepMl on a small demo (80 customers x 35 days)", () => {
  const { home, cleanup } = tempHome("scrm-ml-e2e-");
  const ctx: PipelineContext = {
    loaded: { config: parseConfig({}, "test", {}), home, file: null },
    log: silentLogger,
    progress: noProgress,
    now: () => END,
  };
  let report: StepReport;

  beforeAll(async () => {
    await stepDemo(ctx, { customers: 80, days: 35, end: END });
    await stepIngest(ctx);
    await stepTransform(ctx);
    report = await stepMl(ctx);
    // demo + ingest + a full dbt build: minutes, not seconds, when the machine is shared
  }, 600_000);
  afterAll(() => cleanup());

  it("skips training with a clear message when 35 days cannot give a 60-day label, and still detects anomalies", async () => {
    expect(report.detail).toMatch(/training skipped \(too little history/);
    expect(report.detail).toMatch(/scoring skipped/);
    expect(report.detail).toMatch(/KPI anomalies/);
    const runs = await withWarehouse(home.warehouse, { readOnly: true }, (wh) =>
      wh.rows<{ status: string; message: string }>("select status, message from ml.model_runs"),
    );
    expect(runs[0]?.status).toBe("skipped");
  });

  it("finds the injected complaint spike (precision/recall against the generator's ground truth)", async () => {
    expect(existsSync(home.groundTruth)).toBe(true);
    const gt = JSON.parse(readFileSync(home.groundTruth, "utf8"));
    const r = await anomaliesCommand(ctx);
    const score = scoreAgainstGroundTruth(r.anomalies, gt.anomalies, gt.period.timezone);
    console.log("anomaly detection on the 35-day demo:", JSON.stringify(score));
    expect(score.perMetric.complaint_rate!.recall).toBeGreaterThanOrEqual(0.5);
    expect(score.overall.precision).toBeGreaterThan(0.2);
    expect(score.events.recall).toBeGreaterThanOrEqual(0.5);
  });
});
