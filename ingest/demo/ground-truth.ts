import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Customer } from "./customers.ts";
import type { Anomaly } from "./simulate.ts";

/** What the generator planted, for tests and benchmarks only (never read by the product). */
export interface GroundTruth {
  version: 1;
  seed: number;
  period: { start: string; end: string; timezone: string };
  churners: {
    customer: number;
    wa_id: string | null;
    user_id: string | null;
    crm_id: string | null;
    decay_from: string;
    churn_date: string;
    last_inbound: string | null;
    observable: boolean;
  }[];
  anomalies: { kind: string; start: string; end: string; metric: string }[];
  duplicate_clusters: string[][];
  number_changes: { customer: number; from: string; to: string; at: string }[];
  policy_violations: unknown[];
  customers: {
    customer: number;
    archetype: string;
    market: string;
    wa_id: string | null;
    user_id: string | null;
    crm_ids: string[];
    br_quirk?: string;
  }[];
}

export function buildGroundTruth(args: {
  seed: number;
  startMs: number;
  endMs: number;
  timezone: string;
  customers: readonly Customer[];
  anomalies: readonly Anomaly[];
  duplicates: string[][];
  numberChanges: GroundTruth["number_changes"];
  violations: unknown[];
  lateIds: Map<number, { id: string }>;
}): GroundTruth {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    version: 1,
    seed: args.seed,
    period: { start: iso(args.startMs), end: iso(args.endMs), timezone: args.timezone },
    churners: args.customers
      .filter((c) => c.churnAt !== null && c.churnAt < args.endMs)
      .map((c) => ({
        customer: c.idx,
        wa_id: c.waId,
        user_id: c.userId,
        crm_id: c.crmId,
        decay_from: iso(c.decayFrom ?? 0),
        churn_date: iso(c.churnAt ?? 0).slice(0, 10),
        last_inbound: c.lastInbound > -Infinity ? iso(c.lastInbound) : null,
        /** No inbound for 60+ days by the end of the period (R16). */
        observable: c.lastInbound > -Infinity && args.endMs - c.lastInbound >= 60 * 86_400_000,
      })),
    anomalies: args.anomalies.map((a) => ({
      kind: a.kind,
      start: iso(a.startMs),
      end: iso(a.endMs),
      metric: a.metric,
    })),
    duplicate_clusters: args.duplicates,
    number_changes: args.numberChanges,
    policy_violations: args.violations,
    customers: args.customers.map((c) => {
      const ids = [c.crmId ?? args.lateIds.get(c.idx)?.id, c.dupCrmId].filter(
        (x): x is string => typeof x === "string",
      );
      const o: GroundTruth["customers"][number] = {
        customer: c.idx,
        archetype: c.archetype,
        market: c.market.code,
        wa_id: c.waId,
        user_id: c.userId,
        crm_ids: ids,
      };
      if (c.brQuirk !== "none") o.br_quirk = c.brQuirk;
      return o;
    }),
  };
}

export function writeGroundTruth(path: string, gt: GroundTruth): number {
  mkdirSync(dirname(path), { recursive: true });
  const text = JSON.stringify(gt);
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}
