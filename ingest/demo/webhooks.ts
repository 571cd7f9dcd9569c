import { createHmac, createHash } from "node:crypto";
import type { Rng } from "./rng.ts";
import { unixSeconds } from "./time.ts";

/**
 * Cloud API envelope builders. Message and status elements are serialised once into JSON
 * fragments; a POST body is assembled by concatenating fragments in the exact shapes of the
 * pywa / restfb fixtures, then escaped the way Meta sends it (non-ASCII as \uXXXX) and signed.
 */
export interface BusinessNumber {
  readonly phoneNumberId: string;
  readonly display: string;
}

export interface ContactRef {
  readonly waId: string | null;
  readonly userId: string | null;
  readonly parentUserId: string | null;
  readonly username: string | null;
  readonly name: string;
  /** Include user_id next to wa_id (newer payloads). */
  readonly showUserId: boolean;
}

export const WABA_ID = "104857263019475";

/** The contacts[] element (escaped like the rest of the body). */
export function contactFragment(c: ContactRef): string {
  const profile: Record<string, string> = { name: c.name };
  if (c.username && !c.waId) profile.username = c.username;
  const o: Record<string, unknown> = { profile };
  if (c.waId) o.wa_id = c.waId;
  if (c.userId && (!c.waId || c.showUserId)) {
    o.user_id = c.userId;
    if (c.parentUserId) o.parent_user_id = c.parentUserId;
  }
  return escapeNonAscii(JSON.stringify(o));
}

/** The sender fields of an inbound message: `from` for phone users, `from_user_id` for BSUID-only users. */
export function senderFields(c: Pick<ContactRef, "waId" | "userId" | "parentUserId">): Record<string, string> {
  if (c.waId) return { from: c.waId };
  const o: Record<string, string> = { from_user_id: c.userId ?? "" };
  if (c.parentUserId) o.from_parent_user_id = c.parentUserId;
  return o;
}

/** A wamid in the base64 shape Meta uses (`wamid.HBg...`), unique by construction (`n` is a run-wide counter). */
export function wamid(rng: Rng, waId: string | null, n: number): string {
  const wamidCounter = n;
  const phone = waId ?? "0";
  const inner = Buffer.concat([
    Buffer.from([0x1c, 0x18, phone.length]),
    Buffer.from(phone, "ascii"),
    Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, 0x14]),
    Buffer.from(wamidCounter.toString(16).toUpperCase().padStart(8, "0") + rng.hex(12).toUpperCase(), "ascii"),
    Buffer.from([0x00]),
  ]);
  return "wamid." + inner.toString("base64");
}

export function mediaId(rng: Rng): string {
  return String(rng.int(1, 9)) + rng.digits(15);
}

export function mediaSha(rng: Rng): string {
  return rng.bytes(32).toString("base64");
}

export function mediaUrl(id: string, rng: Rng): string {
  return `https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=${id}&source=webhook&ext=${rng.int(1700000000, 1799999999)}&hash=${rng.hex(24)}`;
}

/** One item waiting to be posted: a message, a status, a webhook-level error, an echo, or an account event. */
export interface WebhookItem {
  at: number; // received_at (ms)
  seq: number;
  kind: "message" | "status" | "error" | "echo" | "account";
  phone: number; // index of the business number
  contactKey: number; // customer index (messages), -1 otherwise
  contact: string | null; // contacts[] fragment for messages
  frag: string; // the element JSON
  field?: string; // account-level field name
  entryTime?: number; // account-level entry.time (seconds)
}

export function messageFrag(
  sender: Record<string, string>,
  id: string,
  atMs: number,
  type: string,
  body: Record<string, unknown>,
  extra?: Record<string, unknown>,
): string {
  const o: Record<string, unknown> = {};
  if (extra?.context) o.context = extra.context;
  if (extra?.referral) o.referral = extra.referral;
  Object.assign(o, sender);
  o.id = id;
  o.timestamp = unixSeconds(atMs);
  if (extra?.errors) o.errors = extra.errors;
  o.type = type;
  Object.assign(o, body);
  return escapeNonAscii(JSON.stringify(o));
}

const HEX_ESCAPE: string[] = [];
/** Meta sends the escaped-unicode form of the payload; signatures are over those bytes. */
export function escapeNonAscii(json: string): string {
  // eslint-disable-next-line no-control-regex
  return json.replace(/[^\x00-\x7f]/g, (ch) => {
    const code = ch.charCodeAt(0);
    let s = HEX_ESCAPE[code];
    if (s === undefined) {
      s = "\\u" + code.toString(16).padStart(4, "0");
      if (code < 0xffff) HEX_ESCAPE[code] = s;
    }
    return s;
  });
}

function metadataFrag(n: BusinessNumber): string {
  return `{"display_phone_number":"${n.display}","phone_number_id":"${n.phoneNumberId}"}`;
}

/**
 * Builds one POST body from a batch of items (all from the same kind family). Messages of one
 * contact share a change; statuses share a change per business number; sometimes statuses ride
 * in the same value as messages (mixed), sometimes the changes are split over two entries.
 */
export function buildBody(items: readonly WebhookItem[], numbers: readonly BusinessNumber[], rng: Rng): string {
  const first = items[0];
  if (!first) throw new Error("empty batch");
  if (first.kind === "account") {
    return `{"object":"whatsapp_business_account","entry":[{"id":"${WABA_ID}","time":${first.entryTime ?? 0},"changes":[{"field":"${first.field}","value":${first.frag}}]}]}`;
  }
  // Group into changes.
  interface Change {
    phone: number;
    contactKey: number;
    contacts: string[];
    messages: string[];
    statuses: string[];
    errors: string[];
    echoes: string[];
  }
  const changes: Change[] = [];
  const mixed = items.length > 1 && rng.chance(0.25);
  for (const it of items) {
    let ch: Change | undefined;
    if (it.kind === "message" || it.kind === "error") {
      ch = changes.find((c) => c.phone === it.phone && c.contactKey === it.contactKey && c.echoes.length === 0);
      if (!ch && mixed)
        ch = changes.find(
          (c) => c.phone === it.phone && c.contactKey === -1 && c.messages.length === 0 && c.echoes.length === 0,
        );
      if (ch && ch.contactKey === -1) ch.contactKey = it.contactKey;
    } else if (it.kind === "status") {
      ch = changes.find((c) => c.phone === it.phone && c.echoes.length === 0 && (mixed || c.messages.length === 0));
    } else {
      ch = undefined;
    }
    if (!ch) {
      ch = {
        phone: it.phone,
        contactKey: it.kind === "status" ? -1 : it.contactKey,
        contacts: [],
        messages: [],
        statuses: [],
        errors: [],
        echoes: [],
      };
      changes.push(ch);
    }
    if (it.contact && !ch.contacts.includes(it.contact)) ch.contacts.push(it.contact);
    if (it.kind === "message") ch.messages.push(it.frag);
    else if (it.kind === "status") ch.statuses.push(it.frag);
    else if (it.kind === "error") {
      // A message without its body plus a value-level error (pywa interactive_message_with_err).
      ch.messages.push(it.frag);
      ch.errors.push(
        `{"code":131000,"title":"Something went wrong","message":"Something went wrong","error_data":{"details":"Unsupported webhook payload"}}`,
      );
    } else ch.echoes.push(it.frag);
  }
  const changeJson = changes.map((c) => {
    const n = numbers[c.phone] as BusinessNumber;
    const field = c.echoes.length > 0 ? "smb_message_echoes" : "messages";
    let v = `{"messaging_product":"whatsapp","metadata":${metadataFrag(n)}`;
    if (c.contacts.length > 0) v += `,"contacts":[${c.contacts.join(",")}]`;
    if (c.messages.length > 0) v += `,"messages":[${c.messages.join(",")}]`;
    if (c.echoes.length > 0) v += `,"message_echoes":[${c.echoes.join(",")}]`;
    if (c.statuses.length > 0) v += `,"statuses":[${c.statuses.join(",")}]`;
    if (c.errors.length > 0) v += `,"errors":[${c.errors.join(",")}]`;
    v += "}";
    return `{"value":${v},"field":"${field}"}`;
  });
  if (changeJson.length > 1 && rng.chance(0.2)) {
    const cut = rng.int(1, changeJson.length - 1);
    return (
      `{"object":"whatsapp_business_account","entry":[` +
      `{"id":"${WABA_ID}","changes":[${changeJson.slice(0, cut).join(",")}]},` +
      `{"id":"${WABA_ID}","changes":[${changeJson.slice(cut).join(",")}]}]}`
    );
  }
  return `{"object":"whatsapp_business_account","entry":[{"id":"${WABA_ID}","changes":[${changeJson.join(",")}]}]}`;
}

export function sign(appSecret: string, body: Buffer): string {
  return "sha256=" + createHmac("sha256", appSecret).update(body).digest("hex");
}

/**
 * The landed line for one POST, built as a string in exactly the key order of `receiptLine`
 * (format.ts) so that it validates against `webhookReceiptLine` without a zod parse per line.
 */
export function receiptLineString(opts: {
  receiptId: string;
  receivedAt: number;
  remoteAddr: string;
  body: string; // ASCII only: every fragment went through escapeNonAscii
  appSecret: string;
}): string {
  // The body is ASCII (non-ASCII is \u-escaped), so latin1 hashing equals hashing its UTF-8 bytes.
  const sig = "sha256=" + createHmac("sha256", opts.appSecret).update(opts.body, "latin1").digest("hex");
  const sha = createHash("sha256").update(opts.body, "latin1").digest("hex");
  return (
    `{"v":1,"receipt_id":"${opts.receiptId}","received_at":"${new Date(opts.receivedAt).toISOString()}",` +
    `"method":"POST","path":"/webhooks/whatsapp","remote_addr":"${opts.remoteAddr}",` +
    `"headers":{"content-type":"application/json","content-length":"${opts.body.length}","user-agent":"facebookexternalua","x-hub-signature-256":"${sig}"},` +
    `"signature":"valid","body_sha256":"${sha}","body":${JSON.stringify(opts.body)},"body_base64":null}`
  );
}
