import type { Customer } from "./customers.ts";
import type { Rng } from "./rng.ts";
import { DAY_MS, HOUR_MS, MIN_MS, unixSeconds } from "./time.ts";

/** Outbound status webhooks: delivery model, pricing/conversation objects, errors and real-world quirks. */
export interface Pricing {
  billable: boolean;
  pricing_model: "PMP";
  type: "regular" | "free_customer_service" | "free_entry_point";
  category: string;
}

export const ERRORS: Record<number, { title: string; details: string }> = {
  131026: { title: "Receiver is incapable of receiving this message", details: "Message Undeliverable." },
  131047: {
    title: "Re-engagement message",
    details:
      "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
  },
  131049: {
    title: "This message was not delivered to maintain healthy ecosystem engagement.",
    details: "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.",
  },
  131050: {
    title:
      "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
    details: "The user has stopped marketing messages from this business.",
  },
  130472: {
    title: "User's number is part of an experiment",
    details: "Failed to send message because this user's phone number is part of an experiment",
  },
  131056: {
    title: "(Business Account, Consumer Account) pair rate limit hit",
    details:
      "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.",
  },
  131000: { title: "Something went wrong", details: "Message failed to send because of an unknown error." },
};

const HREF = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";

export function errorJson(code: number): string {
  const e = ERRORS[code] ?? { title: "Something went wrong", details: "Unknown error" };
  return JSON.stringify([{ code, title: e.title, message: e.title, error_data: { details: e.details }, href: HREF }]);
}

export interface StatusEvent {
  at: number; // received_at
  frag: string;
}

export interface StatusPlan {
  id: string;
  c: Customer;
  sentAt: number;
  pricing: Pricing;
  conversation: { id: string; expiresAt: number; origin: string } | null;
  failCode: number;
  voice: boolean;
  inSession: boolean;
  marketing: boolean;
  outage: boolean;
  bizOpaque: string | null;
}

function recipient(c: Customer): string {
  if (c.waId) return `"recipient_id":"${c.waId}"`;
  return (
    `"recipient_user_id":"${c.userId}"` + (c.parentUserId ? `,"parent_recipient_user_id":"${c.parentUserId}"` : "")
  );
}

function frag(
  p: StatusPlan,
  status: string,
  at: number,
  withPricing: boolean,
  withExpiry: boolean,
  errors: string | null,
): string {
  let s = `{"id":"${p.id}","status":"${status}","timestamp":"${unixSeconds(at)}",${recipient(p.c)}`;
  if (p.bizOpaque && status === "sent") s += `,"biz_opaque_callback_data":"${p.bizOpaque}"`;
  if (withPricing && p.conversation) {
    s += `,"conversation":{"id":"${p.conversation.id}"`;
    if (withExpiry) s += `,"expiration_timestamp":"${unixSeconds(p.conversation.expiresAt)}"`;
    s += `,"origin":{"type":"${p.conversation.origin}"}}`;
  }
  if (withPricing) {
    const pr = p.pricing;
    s += `,"pricing":{"billable":${pr.billable},"pricing_model":"PMP","type":"${pr.type}","category":"${pr.category}"}`;
  }
  if (errors) s += `,"errors":${errors}`;
  return s + "}";
}

function latency(rng: Rng): number {
  return rng.int(150, 2500);
}

export interface StatusCounts {
  statuses: number;
  failed: number;
  read: number;
}

/** Generates the status webhooks of one outbound message (time-ordered by received_at only by the writer). */
export function planStatuses(rng: Rng, p: StatusPlan, out: StatusEvent[], counts: StatusCounts): void {
  const c = p.c;
  const sentTs = p.sentAt + rng.int(300, 2500);
  if (p.failCode) {
    counts.failed++;
    if (rng.chance(0.3)) out.push({ at: sentTs + latency(rng), frag: frag(p, "sent", sentTs, true, true, null) });
    const failTs = sentTs + rng.int(200, 8000);
    out.push({ at: failTs + latency(rng), frag: frag(p, "failed", failTs, false, false, errorJson(p.failCode)) });
    return;
  }
  let deliveredTs: number;
  const online = p.inSession ? 0.95 : 0.6;
  if (rng.chance(online)) deliveredTs = sentTs + rng.int(400, 20_000);
  else deliveredTs = sentTs + Math.min(4 * DAY_MS, rng.logNormal(15 * MIN_MS, 1.5));
  if (p.outage) deliveredTs += rng.int(1, 6) * HOUR_MS;
  let readTs: number | null = null;
  if (c.readReceipts) {
    let readProb = p.inSession ? 0.9 : p.marketing ? 0.5 : 0.75;
    if (c.churnAt !== null && p.sentAt > (c.decayFrom ?? Infinity)) readProb *= 0.5;
    if (rng.chance(readProb)) {
      readTs =
        deliveredTs + (p.inSession ? rng.int(2000, 120_000) : Math.min(5 * DAY_MS, rng.logNormal(45 * MIN_MS, 1.4)));
    }
  }
  const readWithoutDelivered = readTs !== null && readTs - deliveredTs < 60_000 && rng.chance(0.15);
  let sentRecv = sentTs + latency(rng);
  let delRecv = deliveredTs + latency(rng);
  const quirk = rng.float();
  // A late `sent` after `delivered` (chatwoot#14529).
  if (quirk < 0.008) sentRecv = delRecv + rng.int(1000, 60_000);
  out.push({ at: sentRecv, frag: frag(p, "sent", sentTs, true, true, null) });
  if (!readWithoutDelivered) {
    if (readTs !== null && quirk > 0.992) delRecv = readTs + latency(rng) + rng.int(1000, 30_000); // read before delivered
    out.push({ at: delRecv, frag: frag(p, "delivered", deliveredTs, true, false, null) });
    if (quirk >= 0.008 && quirk < 0.016)
      out.push({ at: delRecv + rng.int(1000, 120_000), frag: frag(p, "delivered", deliveredTs, true, false, null) });
  }
  if (readTs !== null) {
    counts.read++;
    out.push({ at: readTs + latency(rng), frag: frag(p, "read", readTs, readWithoutDelivered, false, null) });
    if (p.voice) {
      const playTs = readTs + rng.int(5000, 300_000);
      out.push({ at: playTs + latency(rng), frag: frag(p, "played", playTs, false, false, null) });
    }
  }
}
