import type { PipelineContext } from "./pipeline.ts";
import type { DbtNodeResult } from "./dbt.ts";

/**
 * The registry of named pipeline steps the scheduler's jobs refer to. The existing steps
 * (ingest, transform, dashboards, archive) are registered here; scoring, write-back, exports and
 * the weekly reports are registered by their own modules:
 *
 *   import { defaultRegistry } from "../scheduler/steps.ts";
 *   defaultRegistry.register("scoring", async (ctx) => ({ detail: "...", rowsIn, rowsOut }));
 *
 * A step must not hold the warehouse open when it returns (one writer at a time).
 */
export interface StepContext extends PipelineContext {
  readonly job: string;
  readonly runId: string;
  /** dbt selection of the job (for `transform`); empty = everything. */
  readonly dbtSelect: readonly string[];
  /** Aborted on SIGTERM; long steps may check it, the runner stops after the current step anyway. */
  readonly signal: AbortSignal;
}

export interface StepOutcome {
  readonly detail: string;
  readonly rowsIn?: number | null;
  readonly rowsOut?: number | null;
  /** Per-node dbt results (models, tests, seeds), recorded in ops.dbt_results. */
  readonly dbt?: readonly DbtNodeResult[];
}

export type StepFn = (ctx: StepContext) => Promise<StepOutcome>;

/** A step failure that still carries results worth recording (e.g. dbt's per-test failures). */
export class StepFailure extends Error {
  override readonly name = "StepFailure";
  constructor(
    message: string,
    readonly outcome: Partial<StepOutcome>,
  ) {
    super(message);
  }
}

export interface RegisteredStep {
  readonly name: string;
  readonly run: StepFn;
  readonly description: string;
}

export class StepRegistry {
  private readonly steps = new Map<string, RegisteredStep>();

  register(name: string, run: StepFn, opts: { description?: string; replace?: boolean } = {}): void {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`step name "${name}" must be lower-case kebab`);
    if (this.steps.has(name) && !opts.replace) throw new Error(`step "${name}" is already registered`);
    this.steps.set(name, { name, run, description: opts.description ?? "" });
  }

  get(name: string): RegisteredStep | undefined {
    return this.steps.get(name);
  }

  names(): string[] {
    return [...this.steps.keys()].sort();
  }

  /** A copy, so that tests can replace steps without touching the shared registry. */
  clone(): StepRegistry {
    const copy = new StepRegistry();
    for (const s of this.steps.values()) copy.register(s.name, s.run, { description: s.description });
    return copy;
  }
}

// pipeline.ts pulls in the demo generator and the site builder: load it only when a step runs.
const pipeline = () => import("./pipeline.ts");

export const ingestStep: StepFn = async (ctx) => {
  const r = await (await pipeline()).stepIngest(ctx);
  const sources = r.sources ?? [];
  return {
    detail: r.detail,
    rowsIn: sources.reduce((n, s) => n + s.lines, 0),
    rowsOut: sources.reduce((n, s) => n + s.loaded, 0),
  };
};

/** dbt build (optionally a selection), keeping run_results per model and test. */
export const transformStep: StepFn = (ctx) => transform(ctx, false);

/** The same build with every data test reading every row (weekly; see models/macros/tests/tested_rows.sql). */
export const transformAllRowsStep: StepFn = (ctx) => transform(ctx, true);

async function transform(ctx: StepContext, testAllRows: boolean): Promise<StepOutcome> {
  const { stepTransform, DbtBuildError } = await pipeline();
  try {
    const r = await stepTransform(ctx, ctx.dbtSelect, { testAllRows });
    const nodes = r.dbt ?? [];
    return { detail: r.detail, dbt: nodes, rowsOut: nodes.filter((n) => n.uniqueId.startsWith("model.")).length };
  } catch (err) {
    if (err instanceof DbtBuildError) throw new StepFailure(err.message, { detail: err.detail, dbt: err.nodes });
    throw err;
  }
}

export const dashboardsStep: StepFn = async (ctx) => {
  const r = await (await pipeline()).stepDashboards(ctx);
  return { detail: r.detail };
};

export const writebackStep: StepFn = async (ctx) => {
  const { writeback } = await import("../ingest/crm/ingest.ts");
  const r = await writeback(ctx, { dryRun: false });
  const detail = `${r.enqueued} enqueued, ${r.written} written, ${r.unchanged} unchanged, ${r.failed} failed`;
  if (r.failed > 0)
    throw new StepFailure(`CRM write-back: ${r.failed} record(s) failed (kept in crm_sync.outbox)`, { detail });
  return { detail, rowsIn: r.enqueued, rowsOut: r.written };
};

export const archiveStep: StepFn = async (ctx) => {
  const { compressLoadedLanding } = await import("./archive.ts");
  const { scheduleConfigOf } = await import("./schedule-config.ts");
  const retention = scheduleConfigOf(ctx.loaded.config).retention;
  if (!retention.compressLoaded) return { detail: "compression of loaded landing files is off" };
  const r = await compressLoadedLanding(ctx.loaded.home, {
    now: ctx.now(),
    olderThanHours: retention.compressAfterHours,
  });
  return {
    detail: `${r.files} loaded landing file(s) gzipped, ${(r.bytesBefore / 1024).toFixed(0)} -> ${(r.bytesAfter / 1024).toFixed(0)} KiB`,
    rowsIn: r.files,
    rowsOut: r.files,
  };
};

export function registerBuiltinSteps(registry: StepRegistry): StepRegistry {
  registry.register("ingest", ingestStep, { description: "CRM snapshot + load new landing files into raw" });
  registry.register("transform", transformStep, { description: "dbt build (job's dbtSelect)" });
  registry.register("transform-all-rows", transformAllRowsStep, {
    description: "dbt build whose data tests read every row, not only rows written since the last passing build",
  });
  registry.register("dashboards", dashboardsStep, { description: "static dashboard site" });
  registry.register("archive", archiveStep, { description: "gzip loaded landing files (R12)" });
  registry.register("writeback", writebackStep, { description: "send the CRM outbox's tags to the CRM" });
  return registry;
}

/** The process-wide registry: built-ins plus whatever other modules register. */
export const defaultRegistry: StepRegistry = registerBuiltinSteps(new StepRegistry());
