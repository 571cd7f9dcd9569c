/**
 * Registers the ML steps in the scheduler's registry (import this module once, e.g. from the
 * CLI entry): "scoring" = train if needed + score + recovery tags; "exports" = win-back and
 * unread lists (R29); "anomalies" = KPI anomaly detection (R26).
 */
import { defaultRegistry, type StepRegistry } from "../scheduler/steps.ts";
import {
  anomaliesCommand,
  exportChurnCommand,
  exportUnreadCommand,
  scoreCommand,
  stepMl,
  trainIfNeededCommand,
} from "./cli.ts";

export function registerMlSteps(registry: StepRegistry = defaultRegistry): StepRegistry {
  const has = (n: string) => registry.get(n) !== undefined;
  if (!has("scoring"))
    registry.register(
      "scoring",
      async (ctx) => {
        const t = await trainIfNeededCommand(ctx);
        const s = await scoreCommand(ctx);
        const trained = !t
          ? "model is recent"
          : t.status === "trained"
            ? `trained ${t.version}`
            : `training skipped: ${t.message}`;
        return {
          detail: `${trained}; ${s.message}`,
          rowsIn: s.scored,
          rowsOut: s.tags,
        };
      },
      { description: "churn model: retrain, score, queue recovery tags (R16, R27)" },
    );
  if (!has("exports"))
    registry.register(
      "exports",
      async (ctx) => {
        const c = await exportChurnCommand(ctx);
        const u = await exportUnreadCommand(ctx);
        return { detail: `${c.message}; ${u.message}`, rowsOut: c.rows + u.rows };
      },
      { description: "win-back list and R29 unread list (CSV + Parquet)" },
    );
  if (!has("ml"))
    registry.register(
      "ml",
      async (ctx) => {
        const r = await stepMl(ctx);
        return { detail: r.detail };
      },
      { description: "everything ML after a build: train if needed, score, exports, anomalies (scrm run)" },
    );
  if (!has("anomalies"))
    registry.register(
      "anomalies",
      async (ctx) => {
        const a = await anomaliesCommand(ctx);
        return { detail: `${a.anomalies.length} KPI anomalies over ${a.series} series`, rowsOut: a.anomalies.length };
      },
      { description: "KPI anomaly detection (R26)" },
    );
  return registry;
}

registerMlSteps();
