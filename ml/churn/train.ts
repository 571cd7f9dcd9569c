/**
 * `scrm train`: point-in-time examples from several as-of dates, out-of-time split, forest vs
 * logistic vs the seed's rules on the same test slice (with and without WhatsApp features), the
 * model JSON + a markdown model card under <home>/models/<version>/, and a row in ml.model_runs.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Warehouse } from "../../core/warehouse.ts";
import {
  chooseAsOfDates,
  eligibleRows,
  frequentMarkets,
  splitOutOfTime,
  type EligibilityReport,
  type TimeSplit,
} from "./dataset.ts";
import {
  computeFeatures,
  dataEnd,
  dataStart,
  refreshSentiment,
  refreshTreatments,
  type FeatureRow,
  type FeatureSet,
} from "./features.ts";
import { modelCard } from "./model-card.ts";
import { compareModels, reasonReferences, type ComparisonResult, type SavedChurnModel } from "./model.ts";
import type { ForestOptions } from "../forest/index.ts";

export interface TrainOptions {
  horizonDays?: number;
  activeDays?: number;
  /**
   * Days between as-of dates (default 3). Every as-of date is another snapshot of every active
   * customer, at a different point of their order and message rhythm: weekly dates gave the
   * forest only 4-9 training snapshots on 150-180 days of data.
   */
  stepDays?: number;
  warmupDays?: number;
  /**
   * Latest as-of dates used as the test slice (default 5, about two weeks at the default step)
   * and the dates before them used for calibration and choosing the forest settings (default
   * 5). A single test date held only ~750 rows on the default demo, too few to tell the forest
   * and logistic regression apart (ROC AUC moved by a few points between seeds).
   */
  testDates?: number;
  calibrationDates?: number;
  forest?: ForestOptions;
  /** Minimum rows (and positives/negatives) per slice; below it training is skipped. */
  minRows?: number;
  minClass?: number;
  bands?: { high: number; medium: number };
}

export interface TrainResult {
  status: "trained" | "skipped";
  message: string;
  version: string;
  model?: SavedChurnModel;
  comparisons?: ComparisonResult[];
  split?: TimeSplit;
  /** Days between consecutive as-of dates. */
  stepDays?: number;
  eligibility?: EligibilityReport;
  modelPath?: string;
  cardPath?: string;
  seconds: number;
}

export function modelVersion(now: Date): string {
  return `churn-${now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-")}`;
}

export function modelsDir(homeRoot: string): string {
  return join(homeRoot, "models");
}

function countClasses(rows: readonly FeatureRow[]): { pos: number; neg: number } {
  let pos = 0;
  for (const r of rows) if (r.churned) pos++;
  return { pos, neg: rows.length - pos };
}

export async function trainChurn(
  wh: Warehouse,
  homeRoot: string,
  now: Date,
  opts: TrainOptions = {},
): Promise<TrainResult> {
  const started = performance.now();
  const horizonDays = opts.horizonDays ?? 60;
  const activeDays = opts.activeDays ?? 120;
  const version = modelVersion(now);
  const minRows = opts.minRows ?? 100;
  const minClass = opts.minClass ?? 10;
  const seconds = () => (performance.now() - started) / 1000;
  const skip = async (message: string, extra: Partial<TrainResult> = {}): Promise<TrainResult> => {
    await wh.run(
      "insert or replace into ml.model_runs (model_version, trained_at, status, message, horizon_days, train_seconds) values ($1, $2::timestamptz, 'skipped', $3, $4, $5)",
      [version, now.toISOString(), message, horizonDays, seconds()],
    );
    return { status: "skipped", message, version, seconds: seconds(), ...extra };
  };

  await refreshSentiment(wh);
  await refreshTreatments(wh);
  const start = await dataStart(wh);
  const end = await dataEnd(wh);
  if (!start || !end) return skip("no messages or orders in the warehouse");
  const stepDays = opts.stepDays ?? 3;
  const dates = chooseAsOfDates(start, end, { horizonDays, stepDays, warmupDays: opts.warmupDays ?? 42 });
  const nTest = opts.testDates ?? 5;
  const nCal = opts.calibrationDates ?? 5;
  if (dates.length < nTest + nCal + 1) {
    return skip(
      `too little history to train: ${dates.length} as-of date(s) with a fully observed ${horizonDays}-day outcome between ${start.toISOString().slice(0, 10)} and ${end.toISOString().slice(0, 10)}; need ${nTest + nCal + 1} (about ${horizonDays + (opts.warmupDays ?? 42) + stepDays * (nTest + nCal)} days of data)`,
    );
  }
  const rows = await computeFeatures(wh, dates, { horizonDays, activeDays });
  const { rows: usable, report } = eligibleRows(rows, { treatmentLookbackDays: horizonDays });
  const split = splitOutOfTime(
    dates.map((d) => d.toISOString()),
    { horizonDays, testDates: nTest, calibrationDates: nCal },
  );
  if (!split) return skip("too few as-of dates for an out-of-time split", { eligibility: report });
  const key = (r: FeatureRow) => new Date(r.as_of_at).toISOString();
  const inSet = (s: string[]) => {
    const set = new Set(s);
    return usable.filter((r) => set.has(key(r)));
  };
  const train = inSet(split.train);
  const cal = inSet(split.calibration);
  const test = inSet(split.test);
  for (const [name, part] of [
    ["train", train],
    ["calibration", cal],
    ["test", test],
  ] as const) {
    const c = countClasses(part);
    if (part.length < minRows || c.pos < minClass || c.neg < minClass) {
      return skip(
        `too few labelled examples to train: ${name} slice has ${part.length} rows (${c.pos} churned, ${c.neg} retained); need ${minRows} rows and ${minClass} of each class`,
        { split, eligibility: report },
      );
    }
  }
  const markets = frequentMarkets(train);
  const comparisons = (["whatsapp_and_orders", "orders_only"] as FeatureSet[]).map((set) =>
    compareModels(train, cal, test, set, markets, opts.forest),
  );
  const main = comparisons[0]!;
  const forestOptions = main.forestOptions;
  const model: SavedChurnModel = {
    kind: "scrm-churn",
    version,
    trainedAt: now.toISOString(),
    featureSet: "whatsapp_and_orders",
    featureNames: main.columns.filter((c) => !c.startsWith("market_")),
    markets,
    columns: main.columns,
    horizonDays,
    activeDays,
    forestOptions,
    forest: main.forest.toJSON(),
    platt: main.platt,
    reasons: reasonReferences(main, train, "whatsapp_and_orders"),
    bands: opts.bands ?? { high: 0.5, medium: 0.25 },
  };
  const dir = join(modelsDir(homeRoot), version);
  mkdirSync(dir, { recursive: true });
  const modelPath = join(dir, "model.json");
  const cardPath = join(dir, "model-card.md");
  writeFileSync(modelPath, JSON.stringify(model));
  const result: TrainResult = {
    status: "trained",
    message: `trained ${version} on ${train.length} rows; test ROC AUC ${main.evaluations[0]!.report.rocAuc.toFixed(3)}`,
    version,
    model,
    comparisons,
    split,
    stepDays,
    eligibility: report,
    modelPath,
    cardPath,
    seconds: 0,
  };
  result.seconds = seconds();
  writeFileSync(cardPath, modelCard(result, { train, cal, test }));
  await storeRun(wh, result, { train: train.length, cal: cal.length, test: test.length });
  return result;
}

async function storeRun(wh: Warehouse, r: TrainResult, n: { train: number; cal: number; test: number }): Promise<void> {
  const main = r.comparisons![0]!;
  const forest = main.evaluations.find((e) => e.model === "forest")!.report;
  await wh.transaction(async () => {
    await wh.run(
      `insert or replace into ml.model_runs values ($1, $2::timestamptz, 'trained', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
      [
        r.version,
        r.model!.trainedAt,
        r.message,
        r.model!.horizonDays,
        r.model!.featureSet,
        r.model!.columns.length,
        n.train,
        n.cal,
        n.test,
        r.split!.train.map((d) => d.slice(0, 10)).join(","),
        r.split!.calibration.map((d) => d.slice(0, 10)).join(","),
        r.split!.test.map((d) => d.slice(0, 10)).join(","),
        forest.rocAuc,
        forest.prAuc,
        forest.brier,
        forest.topDecileLift,
        r.modelPath!,
        r.cardPath!,
        r.seconds,
      ],
    );
    await wh.run("delete from ml.model_metrics where model_version = $1", [r.version]);
    for (const c of r.comparisons!) {
      for (const e of c.evaluations) {
        const m = e.report;
        await wh.run("insert into ml.model_metrics values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", [
          r.version,
          c.featureSet,
          e.model,
          m.n,
          m.positives,
          m.rocAuc,
          m.prAuc,
          m.brier,
          m.logLoss,
          m.ece,
          m.topDecileLift,
        ]);
      }
    }
  });
}

/** The metrics table as text (CLI output, report). */
export function metricsTable(comparisons: readonly ComparisonResult[]): string {
  const lines = [
    "| data set | model | ROC AUC | PR AUC | Brier | log loss | ECE | top-decile lift |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const c of comparisons) {
    for (const e of c.evaluations) {
      const m = e.report;
      lines.push(
        `| ${c.featureSet} | ${e.model} | ${m.rocAuc.toFixed(3)} | ${m.prAuc.toFixed(3)} | ${m.brier.toFixed(4)} | ${m.logLoss.toFixed(4)} | ${m.ece.toFixed(4)} | ${m.topDecileLift.toFixed(2)} |`,
      );
    }
  }
  return lines.join("\n");
}
