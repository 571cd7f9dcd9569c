import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * The landing zone's line formats, defined once. The webhook receiver, the demo generator and
 * the loaders all go through this module; `ingest/landing/README.md` documents it for humans.
 */

export const LANDING_FORMAT_VERSION = 1;

/** Headers worth keeping for an audit; everything else (cookies, auth) is dropped at the door. */
export const AUDIT_HEADERS = [
  "content-type",
  "content-length",
  "user-agent",
  "x-hub-signature-256",
  "x-forwarded-for",
  "x-request-id",
] as const;

export const signatureStatus = z.enum(["valid", "not-checked"]);

/** One line per received webhook POST. */
export const webhookReceiptLine = z
  .object({
    v: z.literal(LANDING_FORMAT_VERSION),
    receipt_id: z.string().min(1),
    received_at: z.iso.datetime({ offset: true }),
    method: z.literal("POST"),
    path: z.string(),
    remote_addr: z.string().nullable(),
    headers: z.record(z.string(), z.string()),
    signature: signatureStatus,
    body_sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** The body exactly as received when it is valid UTF-8 (JSON string escaping is lossless). */
    body: z.string().nullable(),
    /** Only when the body was not valid UTF-8: its bytes in base64, so that nothing is lost. */
    body_base64: z.string().nullable(),
  })
  .strict();
export type WebhookReceiptLine = z.infer<typeof webhookReceiptLine>;

export const senderKind = z.enum(["agent", "bot", "automation", "campaign"]);
export type SenderKind = z.infer<typeof senderKind>;

export const templateCategory = z.enum(["marketing", "utility", "authentication", "service"]);

/**
 * One line per message the business sent (agents, bots, automations, campaigns). Cloud API
 * webhooks only report the status of outbound messages, so their content comes from here.
 */
export const outboundMessageLine = z
  .object({
    v: z.literal(LANDING_FORMAT_VERSION),
    message_id: z.string().min(1),
    sent_at: z.iso.datetime({ offset: true }),
    phone_number_id: z.string().min(1),
    recipient_wa_id: z.string().nullable(),
    recipient_user_id: z.string().nullable(),
    sender_kind: senderKind,
    agent_id: z.string().nullable(),
    agent_name: z.string().nullable(),
    automation_id: z.string().nullable(),
    template_name: z.string().nullable(),
    template_category: templateCategory.nullable(),
    template_language: z.string().nullable(),
    campaign_id: z.string().nullable(),
    message_type: z.string().min(1),
    text: z.string().nullable(),
    reply_to_message_id: z.string().nullable(),
  })
  .strict();
export type OutboundMessageLine = z.infer<typeof outboundMessageLine>;

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Builds the landed line for one POST from its raw bytes; never re-serialises the body. */
export function receiptLine(input: {
  receiptId: string;
  receivedAt: Date;
  path: string;
  remoteAddr: string | null;
  headers: Record<string, string | string[] | undefined>;
  signature: z.infer<typeof signatureStatus>;
  body: Uint8Array;
}): WebhookReceiptLine {
  const headers: Record<string, string> = {};
  for (const name of AUDIT_HEADERS) {
    const value = input.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  let text: string | null = null;
  try {
    text = utf8.decode(input.body);
  } catch {
    text = null;
  }
  return {
    v: LANDING_FORMAT_VERSION,
    receipt_id: input.receiptId,
    received_at: input.receivedAt.toISOString(),
    method: "POST",
    path: input.path,
    remote_addr: input.remoteAddr,
    headers,
    signature: input.signature,
    body_sha256: sha256Hex(input.body),
    body: text,
    body_base64: text === null ? Buffer.from(input.body).toString("base64") : null,
  };
}

/** Sealed segments end in `.ndjson`; a segment still being written ends in `.ndjson.open`. */
export const SEALED_SUFFIX = ".ndjson";
export const OPEN_SUFFIX = ".ndjson.open";

/** `<kind>/<YYYY-MM-DD>/<prefix>-<yyyymmddThhmmssZ>-<writer>-<seq>.ndjson` (UTC date of the first line). */
export function segmentRelativePath(
  kind: "webhooks" | "outbound",
  firstLineAt: Date,
  writerId: string,
  seq: number,
): string {
  const iso = firstLineAt.toISOString();
  const day = iso.slice(0, 10);
  const stamp = iso.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const prefix = kind === "webhooks" ? "wh" : "out";
  return `${kind}/${day}/${prefix}-${stamp}-${writerId}-${String(seq).padStart(6, "0")}${SEALED_SUFFIX}`;
}
