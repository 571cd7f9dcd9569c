import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { redact, type Logger } from "../core/log.ts";
import { withOps } from "./ops-store.ts";

export interface AlertInput {
  readonly severity: "critical" | "warning";
  readonly message: string;
  readonly runId?: string | null;
  readonly job?: string | null;
  readonly step?: string | null;
}

export interface AlertResult {
  readonly alertId: string;
  readonly delivered: boolean;
  readonly deliveryError: string | null;
  readonly recorded: boolean;
}

/**
 * Raises an alert three ways: an error log line, a row in ops.alerts, and (when configured) a
 * JSON POST to the alert URL. Phone numbers and secrets are redacted from the message first.
 * Never throws: an alert that cannot be delivered is still logged and recorded.
 */
export async function raiseAlert(
  input: AlertInput,
  opts: { log: Logger; now: Date; warehouse: string | null; url?: string; timeoutMs?: number },
): Promise<AlertResult> {
  const alertId = randomUUID();
  const message = redact(input.message);
  const where = [input.job && `job ${input.job}`, input.step && `step ${input.step}`].filter(Boolean).join(", ");
  opts.log.error(`ALERT [${input.severity}]${where ? ` (${where})` : ""}: ${message}`);

  let delivered = false;
  let deliveryError: string | null = null;
  if (opts.url) {
    const payload = {
      alert_id: alertId,
      severity: input.severity,
      raised_at: opts.now.toISOString(),
      host: hostname(),
      run_id: input.runId ?? null,
      job: input.job ?? null,
      step: input.step ?? null,
      message,
      text: `[scrm ${input.severity}]${where ? ` ${where}:` : ""} ${message}`,
    };
    try {
      const res = await fetch(opts.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
      });
      delivered = res.ok;
      if (!res.ok) deliveryError = `HTTP ${res.status}`;
    } catch (err) {
      deliveryError = (err as Error).message;
    }
    if (!delivered) opts.log.warn(`alert ${alertId} could not be POSTed: ${deliveryError}`);
  }

  let recorded = false;
  if (opts.warehouse) {
    try {
      await withOps(opts.warehouse, (wh) =>
        wh.run("insert into ops.alerts values ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9)", [
          alertId,
          opts.now.toISOString(),
          input.runId ?? null,
          input.job ?? null,
          input.step ?? null,
          input.severity,
          message,
          delivered,
          deliveryError,
        ]),
      );
      recorded = true;
    } catch (err) {
      opts.log.warn(`alert ${alertId} could not be recorded in ops.alerts: ${(err as Error).message}`);
    }
  }
  return { alertId, delivered, deliveryError, recorded };
}
