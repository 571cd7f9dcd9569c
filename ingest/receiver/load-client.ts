import { spawn, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { signBody } from "./signature.ts";

/**
 * Test and benchmark tooling: a signed-webhook poster over keep-alive connections, ~2 KB status
 * webhook bodies with a unique marker (the wamid), and the receiver as a child process.
 */

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

export interface PostResult {
  readonly status: number;
  readonly body: string;
}

export function postWebhook(
  agent: Agent,
  port: number,
  body: Buffer,
  headers: Record<string, string>,
  opts: { host?: string; path?: string; timeoutMs?: number } = {},
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: opts.host ?? "127.0.0.1",
        port,
        path: opts.path ?? "/webhook",
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": body.length, ...headers },
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

export function postSigned(agent: Agent, port: number, secret: string, body: Buffer): Promise<PostResult> {
  return postWebhook(agent, port, body, { "x-hub-signature-256": signBody(secret, body) });
}

/** A realistic `statuses` webhook of about `targetBytes` whose status id is `marker`. */
export function statusWebhookBody(marker: string, targetBytes = 2048): Buffer {
  const envelope = {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
              statuses: [
                {
                  id: marker,
                  status: "delivered",
                  timestamp: "1750030073",
                  recipient_id: "16505551234",
                  biz_opaque_callback_data: "",
                  conversation: { id: "6ceb9d929c1ee8b1c7f1b2a6b1c5e1a0", origin: { type: "marketing" } },
                  pricing: { billable: true, pricing_model: "PMP", type: "regular", category: "marketing" },
                },
              ],
            },
          },
        ],
      },
    ],
  };
  const base = JSON.stringify(envelope);
  const padTo = Math.max(0, targetBytes - base.length - 12);
  const statuses = envelope.entry[0]!.changes[0]!.value.statuses[0]!;
  statuses.biz_opaque_callback_data = "x".repeat(padTo);
  return Buffer.from(JSON.stringify(envelope), "utf8");
}

export const RUN_CHILD = fileURLToPath(new URL("./run-child.ts", import.meta.url));

export interface ChildReceiver {
  readonly child: ChildProcess;
  readonly port: number;
  /** Resolves with the exit code (or signal) once the process is gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Starts `run-child.ts` under tsx and waits for its `READY <port>` line. */
export function spawnReceiver(env: Record<string, string>, timeoutMs = 20_000): Promise<ChildReceiver> {
  const child = spawn(process.execPath, ["--import", "tsx", RUN_CHILD], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`receiver child did not start within ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString("utf8");
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), exited, stderr: () => err });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`receiver child exited (${code ?? signal}) before it was ready: ${err}`));
    });
  });
}

/** p-th percentile (0-100) of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
