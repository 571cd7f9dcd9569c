import { AGENTS, AUTOMATIONS, onShift, responseDelayMs, type Agent } from "./agents.ts";
import { BROADCAST_TEMPLATES, type Campaign } from "./campaigns.ts";
import { CATALOGUE, PRODUCT_WEIGHTS, type Product } from "./catalogue.ts";
import { CONVERSION, sessionRate, type Customer } from "./customers.ts";
import type { LandingWriter } from "./landing-writer.ts";
import { localPrice, type Lang } from "./markets.ts";
import type { OrderSink } from "./orders.ts";
import { mobileNumber } from "./phones.ts";
import type { Rng } from "./rng.ts";
import { planStatuses, type Pricing, type StatusCounts, type StatusEvent } from "./statuses.ts";
import {
  AGENT_REPLY,
  BOT_AFTER_HOURS,
  BOT_HANDOFF,
  BOT_MENU,
  CSAT_QUESTION,
  CSAT_TITLES,
  MENU_ROWS,
  fill,
  inboundText,
  type Intent,
  type Reply,
} from "./texts.ts";
import { DAY_MS, HOUR_MS, MIN_MS, localMidnightUtc, tzOffsetMs, unixSeconds } from "./time.ts";
import {
  contactFragment,
  escapeNonAscii,
  mediaId,
  mediaSha,
  mediaUrl,
  messageFrag,
  senderFields,
  wamid,
  type BusinessNumber,
  type WebhookItem,
} from "./webhooks.ts";

/**
 * The day-by-day simulation. Each local business day: anomalies, account-level events,
 * broadcasts, then every customer may open a conversation (inbound messages, bot, agents,
 * CSAT, orders). Events land in the writer's per-UTC-day buckets; the writer flushes finished days.
 */
export const BUSINESS_NUMBERS: readonly BusinessNumber[] = [
  { phoneNumberId: "109283746500011", display: "85230018888" },
  { phoneNumberId: "109283746500029", display: "551130018888" },
];

export interface Anomaly {
  kind: "complaint_spike" | "delivery_outage";
  startMs: number;
  endMs: number;
  metric: string;
}

export interface SimCounts extends StatusCounts {
  inbound: number;
  outbound: number;
  outboundUnlogged: number;
  echoes: number;
  accountEvents: number;
  valueErrors: number;
  byType: Record<string, number>;
}

type SenderKind = "agent" | "bot" | "automation" | "campaign";

interface OutSpec {
  kind: SenderKind;
  agent?: Agent;
  automation?: string;
  template?: { name: string; category: "marketing" | "utility" | "authentication" };
  campaign?: Campaign;
  type: string;
  text: string | null;
  replyTo?: string | null;
  voice?: boolean;
  notLogged?: boolean;
  forceFail?: number;
  inSession?: boolean;
}

const HOUR_WEIGHTS = [
  0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1, 2, 3, 4.5, 4.5, 3.5, 4, 14, 14, 4, 3.5, 3, 3, 3, 2.5, 1.5, 0.8,
];
const WEEKDAY_FACTOR = [0.75, 1.0, 1.15, 1.0, 1.0, 1.1, 0.8];

const SHOWCASE = [
  "request_welcome",
  "referral",
  "image",
  "video",
  "audio",
  "voice",
  "document",
  "sticker",
  "location",
  "contacts",
  "list_reply",
  "button_reply",
  "nfm_reply",
  "button",
  "reaction",
  "unreaction_empty",
  "unreaction_missing",
  "order",
  "system",
  "unsupported",
  "value_error",
  "forwarded",
  "echo",
] as const;
type Showcase = (typeof SHOWCASE)[number];

export interface SimOptions {
  rng: Rng;
  tz: string;
  startMs: number;
  endMs: number;
  customers: Customer[];
  campaigns: readonly Campaign[];
  writer: LandingWriter;
  orders: OrderSink;
  onDay?: (done: number, total: number) => Promise<void> | void;
}

export class Simulation {
  readonly counts: SimCounts = {
    inbound: 0,
    outbound: 0,
    outboundUnlogged: 0,
    statuses: 0,
    failed: 0,
    read: 0,
    echoes: 0,
    accountEvents: 0,
    valueErrors: 0,
    byType: {},
  };
  readonly anomalies: Anomaly[] = [];
  readonly numberChanges: { customer: number; from: string; to: string; at: string }[] = [];
  readonly policyViolations: { kind: string; customer: number; template: string; count: number }[] = [];
  private msgN = 0;
  private convN = 0;
  private readonly rng: Rng;
  private readonly contactCache = new Map<number, string>();
  private showcase: Showcase[] = [...SHOWCASE];
  private offset = 0;
  private dayStart = 0;
  private weekday = 0;
  private complaintSpike = false;
  private readonly statusBuf: StatusEvent[] = [];
  private readonly restockTargets = new Set<number>();
  private readonly flashRecipients: number[] = [];

  constructor(private readonly o: SimOptions) {
    this.rng = o.rng;
    const days = (o.endMs - o.startMs) / DAY_MS;
    const spikeStart = o.startMs + Math.floor(days * 0.6) * DAY_MS;
    this.anomalies.push({
      kind: "complaint_spike",
      startMs: spikeStart,
      endMs: spikeStart + (days >= 30 ? 4 : 3) * DAY_MS,
      metric: "complaint_rate",
    });
    const outStart = o.startMs + Math.floor(days * 0.35) * DAY_MS + 6 * HOUR_MS;
    this.anomalies.push({
      kind: "delivery_outage",
      startMs: outStart,
      endMs: outStart + 20 * HOUR_MS,
      metric: "delivery_failure_rate",
    });
    const n = o.customers.length;
    const spam = Math.max(1, Math.round(n * 0.003));
    for (let i = 0; i < spam; i++) this.restockTargets.add(this.rng.int(0, n - 1));
  }

  private count(type: string): void {
    this.counts.byType[type] = (this.counts.byType[type] ?? 0) + 1;
  }

  private inOutage(at: number): boolean {
    const a = this.anomalies[1] as Anomaly;
    return at >= a.startMs && at < a.endMs;
  }

  private phoneIdx(c: Customer): number {
    return c.market.code === "BR" ? 1 : 0;
  }

  private contact(c: Customer): string {
    let s = this.contactCache.get(c.idx);
    if (s === undefined) {
      s = contactFragment({
        waId: c.waId,
        userId: c.userId,
        parentUserId: c.parentUserId,
        username: c.username,
        name: c.profileName,
        showUserId: c.showUserId,
      });
      this.contactCache.set(c.idx, s);
    }
    return s;
  }

  private newId(c: Customer): string {
    return wamid(this.rng, c.waId ?? c.userId?.replace(/\D/g, "").slice(0, 15) ?? null, ++this.msgN);
  }

  // ---------------------------------------------------------------- inbound

  private inbound(
    c: Customer,
    at: number,
    type: string,
    body: Record<string, unknown>,
    extra?: Record<string, unknown>,
  ): string {
    const id = this.newId(c);
    const countAs = (extra?.countAs as string | undefined) ?? type;
    if (extra) delete extra.countAs;
    const item: WebhookItem = {
      at: at + this.rng.int(200, 3000),
      seq: this.o.writer.nextSeq(),
      kind: "message",
      phone: this.phoneIdx(c),
      contactKey: c.idx,
      contact: this.contact(c),
      frag: messageFrag(senderFields(c), id, at, type, body, extra),
    };
    if (this.o.writer.inRange(at)) {
      this.o.writer.addItem(item);
      this.counts.inbound++;
      this.count(countAs);
    }
    c.lastInbound = Math.max(c.lastInbound, at);
    return id;
  }

  private text(c: Customer, at: number, body: string, extra?: Record<string, unknown>): string {
    return this.inbound(c, at, "text", { text: { body } }, extra);
  }

  // ---------------------------------------------------------------- outbound

  private pricingFor(
    c: Customer,
    at: number,
    spec: OutSpec,
  ): { pricing: Pricing; conv: { id: string; expiresAt: number; origin: string } | null } {
    if (at < c.fepUntil && c.fepConv) {
      return {
        pricing: { billable: false, pricing_model: "PMP", type: "free_entry_point", category: "referral_conversion" },
        conv: { id: c.fepConv, expiresAt: c.fepUntil, origin: "referral_conversion" },
      };
    }
    const csw = at - c.lastInbound < DAY_MS;
    const t = spec.template;
    if (!t)
      return {
        pricing: { billable: false, pricing_model: "PMP", type: "free_customer_service", category: "service" },
        conv: null,
      };
    if (t.category === "utility" && csw)
      return {
        pricing: { billable: false, pricing_model: "PMP", type: "free_customer_service", category: "utility" },
        conv: null,
      };
    return { pricing: { billable: true, pricing_model: "PMP", type: "regular", category: t.category }, conv: null };
  }

  private outbound(c: Customer, at: number, spec: OutSpec): string {
    const rng = this.rng;
    const id = this.newId(c);
    const w = this.o.writer;
    if (!w.inRange(at)) return id;
    const t = spec.template;
    if (!spec.notLogged) {
      const line = JSON.stringify({
        v: 1,
        message_id: id,
        sent_at: new Date(at).toISOString(),
        phone_number_id: (BUSINESS_NUMBERS[this.phoneIdx(c)] as BusinessNumber).phoneNumberId,
        recipient_wa_id: c.waId,
        recipient_user_id: c.waId ? null : c.userId,
        sender_kind: spec.kind,
        agent_id: spec.agent?.id ?? null,
        agent_name: spec.agent?.name ?? null,
        automation_id: spec.automation ?? null,
        template_name: t?.name ?? null,
        template_category: t ? t.category : spec.kind === "agent" || spec.kind === "bot" ? "service" : null,
        template_language: t ? c.market.templateLang[c.lang] : null,
        campaign_id: spec.campaign?.id ?? null,
        message_type: spec.type,
        text: spec.text,
        reply_to_message_id: spec.replyTo ?? null,
      });
      w.addOutbound(at, line);
      this.counts.outbound++;
    } else this.counts.outboundUnlogged++;
    if (spec.kind === "agent") c.lastHuman = Math.max(c.lastHuman, at);
    if (t) c.lastTemplateAt = at;
    c.lastOutboundId = id;
    // Failure decision.
    let failCode = spec.forceFail ?? 0;
    const marketing = t?.category === "marketing";
    if (!failCode) {
      if (c.invalidRecipient) failCode = 131026;
      else if (marketing && c.stoppedMarketing) failCode = 131050;
      else if (marketing && c.inExperiment) failCode = 130472;
      else if (marketing && rng.chance(0.025)) failCode = 131049;
      else if (!t && at - c.lastInbound > DAY_MS) failCode = 131047;
      else if (this.inOutage(at) && rng.chance(0.45)) failCode = 131000;
      else if (rng.chance(0.005)) failCode = 131026;
      else if (rng.chance(0.002)) failCode = 131056;
    }
    const { pricing, conv } = this.pricingFor(c, at, spec);
    const buf = this.statusBuf;
    buf.length = 0;
    planStatuses(
      rng,
      {
        id,
        c,
        sentAt: at,
        pricing,
        conversation: conv,
        failCode,
        voice: spec.voice === true,
        inSession: spec.inSession === true,
        marketing,
        outage: this.inOutage(at),
        bizOpaque: spec.campaign ? `campaign=${spec.campaign.id}` : null,
      },
      buf,
      this.counts,
    );
    const phone = this.phoneIdx(c);
    for (const ev of buf) {
      if (!w.inRange(ev.at)) continue;
      w.addItem({ at: ev.at, seq: w.nextSeq(), kind: "status", phone, contactKey: -1, contact: null, frag: ev.frag });
      this.counts.statuses++;
    }
    return id;
  }

  // ---------------------------------------------------------------- agents

  private localHour(at: number): { hour: number; weekday: number } {
    const local = at + this.offset;
    return { hour: Math.floor((local % DAY_MS) / HOUR_MS), weekday: new Date(local).getUTCDay() };
  }

  /** Who answers, and when: the owner if on shift, else any agent on shift, else the next shift. */
  private agentReply(c: Customer, after: number): { agent: Agent; at: number; waited: boolean } {
    const rng = this.rng;
    let t = after;
    for (let h = 0; h < 96; h++) {
      const { hour, weekday } = this.localHour(t);
      const on = AGENTS.filter((a) => onShift(a, weekday, hour));
      if (on.length > 0) {
        const owner = AGENTS[c.ownerAgent] as Agent;
        const agent = on.includes(owner) && rng.chance(0.7) ? owner : rng.pick(on);
        const base = h === 0 ? t : t + rng.int(0, 25) * MIN_MS;
        return { agent, at: base + responseDelayMs(rng, agent), waited: h > 0 };
      }
      t = (Math.floor((t + this.offset) / HOUR_MS) + 1) * HOUR_MS - this.offset;
    }
    return { agent: AGENTS[0] as Agent, at: after + 10 * HOUR_MS, waited: true };
  }

  // ---------------------------------------------------------------- sessions

  private product(c: Customer): Product {
    if (c.interestSku >= 0 && this.rng.chance(0.7)) return CATALOGUE[c.interestSku] as Product;
    const i = this.rng.weighted(PRODUCT_WEIGHTS);
    c.interestSku = i;
    return CATALOGUE[i] as Product;
  }

  private chooseIntent(c: Customer, at: number): Intent {
    const rng = this.rng;
    if (this.complaintSpike && rng.chance(0.5)) return "complaint";
    const late = c.churnAt !== null && c.decayFrom !== null && at >= c.decayFrom;
    const w: [Intent, number][] = [
      ["inquiry", 22],
      ["price", 18],
      ["discount", c.archetype === "price_sensitive" ? 25 : 5],
      ["quote", 2],
      ["complaint", c.archetype === "complainer" ? 18 : late ? 12 : 1.6],
      ["size", 7],
      ["shipping", c.ordersPlaced > 0 ? 14 : 2],
      ["store", 5],
      ["agent", 3],
      ["expensive", c.archetype === "price_sensitive" ? 8 : 2],
      ["greet", 4],
      ["negative", late ? 14 : 0.5],
      ["smalltalk", 3],
    ];
    return rng.pickWeighted(w);
  }

  private vars(c: Customer, p: Product): { p: string; s: string; o: string; price: string; cur: string } {
    return {
      p: this.rng.chance(0.7) ? p.name : (this.rng.pick(p.messy) as string),
      s: p.sizes ? (this.rng.pick(p.sizes) as string) : "M",
      o: c.lastOrderNo ?? "#" + this.rng.digits(6),
      price: String(localPrice(p.usd, c.market)),
      cur: c.market.currency,
    };
  }

  private replyFor(intent: Intent): Reply {
    switch (intent) {
      case "price":
      case "expensive":
        return "price";
      case "discount":
        return "discount";
      case "quote":
        return "quote";
      case "complaint":
      case "negative":
        return "complaint";
      case "size":
        return "size";
      case "shipping":
        return "shipping";
      case "store":
        return "store";
      case "inquiry":
        return "stock";
      case "thanks":
        return "close";
      default:
        return "generic";
    }
  }

  private nextShowcase(c: Customer): Showcase | null {
    if (this.showcase.length === 0 || !c.waId) return null;
    return this.showcase.shift() ?? null;
  }

  /** One conversation opened by the customer at `t0`. */
  session(c: Customer, t0: number, forced?: Intent): void {
    const rng = this.rng;
    const lang: Lang = c.lang;
    const p = this.product(c);
    const v = this.vars(c, p);
    let t = t0;
    const first = c.sessions === 0;
    c.sessions++;
    const show = this.nextShowcase(c);
    if ((first && rng.chance(0.2)) || show === "request_welcome") {
      this.inbound(c, t, "request_welcome", {});
      t += rng.int(1000, 3000);
      this.outbound(c, t, {
        kind: "bot",
        automation: AUTOMATIONS.welcome,
        type: "interactive",
        text: BOT_MENU[lang],
        inSession: true,
      });
      t += rng.int(5000, 60_000);
    }
    const intent: Intent = forced ?? this.chooseIntent(c, t);
    if (intent === "complaint") c.complaints++;
    if (intent === "inquiry" || intent === "price" || intent === "size") c.inquiries++;
    // The customer's opening messages.
    let lastIn = "";
    if (rng.chance(0.25) && intent !== "greet") {
      lastIn = this.text(c, t, inboundText(rng, "greet", lang));
      t += rng.int(3000, 40_000);
    }
    const body = fill(inboundText(rng, intent, lang), v);
    const extra: Record<string, unknown> = {};
    if ((first && c.adId && c.campaign) || show === "referral") {
      const camp = c.campaign;
      extra.referral = {
        source_url: `https://fb.me/${rng.hex(9)}`,
        source_id: c.adId ?? camp?.adIds[0] ?? "120210000000000000",
        source_type: "ad",
        headline: camp?.headline ?? "Nova Store",
        body: `${p.name} ${rng.pick(["now in stock", "limited offer", "chat with us"])}`,
        media_type: rng.chance(0.5) ? "image" : "video",
        image_url: `https://scontent.xx.fbcdn.net/v/t45.1600-4/${rng.digits(9)}_n.jpg`,
        video_url: `https://video.xx.fbcdn.net/v/t42.1790-2/${rng.digits(9)}_n.mp4`,
        thumbnail_url: `https://scontent.xx.fbcdn.net/v/t15.5256-10/${rng.digits(9)}_n.jpg`,
        ctwa_clid: "Afd" + rng.bytes(30).toString("base64url"),
      };
      extra.countAs = "referral";
      c.fepConv = rng.hex(32);
    }
    if (show === "forwarded") extra.context = { forwarded: true };
    lastIn = this.text(c, t, body, extra);
    if (intent === "discount") c.discountMentions++;
    // Price-sensitive customers say "discount" again and again (R15: 3+ -> price-sensitive).
    if (c.archetype === "price_sensitive" && intent !== "discount" && rng.chance(0.35)) {
      t += rng.int(5000, 60_000);
      lastIn = this.text(c, t, fill(inboundText(rng, "discount", lang), v));
      c.discountMentions++;
    }
    // Media and other message types now and then.
    const media =
      show ??
      (rng.chance(0.16)
        ? rng.pickWeighted<Showcase>([
            ["image", 35],
            ["sticker", 18],
            ["voice", 18],
            ["audio", 3],
            ["video", 6],
            ["document", 5],
            ["location", 6],
            ["contacts", 1.5],
            ["unsupported", 1.5],
            ["reaction", 0],
            ["forwarded", 0],
          ])
        : null);
    if (media && media !== "request_welcome" && media !== "referral" && media !== "forwarded") {
      t += rng.int(2000, 40_000);
      const r = this.extraMessage(c, t, media, p, lang, intent);
      if (r) lastIn = r;
    }
    if (first && (c.acquisition === "ctwa" || show === "referral") && c.fepConv) c.fepUntil = t + 72 * HOUR_MS;
    // The bot greets when no human touched the chat in the last 12 h (R4 automation pause).
    const humanRecently = t - c.lastHuman < 12 * HOUR_MS;
    if (!humanRecently && rng.chance(0.65)) {
      t += rng.int(500, 2500);
      const menuId = this.outbound(c, t, {
        kind: "bot",
        automation: AUTOMATIONS.welcome,
        type: "interactive",
        text: BOT_MENU[lang],
        replyTo: lastIn,
        inSession: true,
      });
      if (rng.chance(0.3) || show === "list_reply") {
        t += rng.int(4000, 45_000);
        const row =
          intent === "store"
            ? MENU_ROWS[2]
            : intent === "shipping"
              ? MENU_ROWS[1]
              : intent === "agent"
                ? MENU_ROWS[3]
                : MENU_ROWS[0];
        const lr: Record<string, string> = { id: row.id, title: row.title };
        if (rng.chance(0.5)) lr.description = row.description;
        lastIn = this.inbound(
          c,
          t,
          "interactive",
          { interactive: { type: "list_reply", list_reply: lr } },
          {
            context: { from: (BUSINESS_NUMBERS[this.phoneIdx(c)] as BusinessNumber).display, id: menuId },
            countAs: "list_reply",
          },
        );
      }
    }
    // Store address and simple order status: the bot answers; some still want a human.
    if ((intent === "store" || (intent === "shipping" && c.ordersPlaced > 0)) && rng.chance(0.7)) {
      t += rng.int(500, 2000);
      this.outbound(c, t, {
        kind: intent === "store" ? "bot" : "automation",
        automation: intent === "store" ? undefined : AUTOMATIONS.orderStatus,
        type: "text",
        text: fill(AGENT_REPLY[intent === "store" ? "store" : "shipping"][lang][0] as string, v),
        replyTo: lastIn,
        inSession: true,
      });
      if (rng.chance(0.5)) {
        t += rng.int(10_000, 120_000);
        this.text(c, t, inboundText(rng, "thanks", lang));
      }
      this.afterSession(c, t, show);
      return;
    }
    // Hand-off to a human.
    const { hour } = this.localHour(t);
    const reply = this.agentReply(c, t);
    if (reply.waited) {
      this.outbound(c, t + rng.int(800, 2500), {
        kind: "automation",
        automation: AUTOMATIONS.afterHours,
        type: "text",
        text: BOT_AFTER_HOURS[lang],
        inSession: true,
      });
    } else if (hour >= 0 && rng.chance(0.3)) {
      this.outbound(c, t + rng.int(800, 2500), {
        kind: "bot",
        automation: AUTOMATIONS.handoff,
        type: "text",
        text: BOT_HANDOFF[lang],
        inSession: true,
      });
    }
    // A customer kept waiting for long sometimes writes again, upset.
    if (reply.at - t > 40 * MIN_MS && rng.chance(0.25)) {
      const tt = t + rng.int(20, 40) * MIN_MS;
      lastIn = this.text(c, tt, inboundText(rng, "negative", lang));
    }
    let ta = reply.at;
    let agent = reply.agent;
    let turns = 1 + (rng.chance(0.5) ? 1 : 0) + (rng.chance(0.2) ? 1 : 0);
    let replyKind: Reply = this.replyFor(intent);
    for (let turn = 0; turn < turns; turn++) {
      const voice = agent.voice && rng.chance(0.12);
      const manager = rng.chance(0.004); // sent from WhatsApp Manager: statuses only, no log line
      const text = fill(rng.pick(AGENT_REPLY[replyKind][lang]), v);
      const outId = this.outbound(c, ta, {
        kind: "agent",
        agent,
        type: voice ? "audio" : replyKind === "stock" && rng.chance(0.3) ? "image" : "text",
        text: voice ? null : text,
        replyTo: turn === 0 ? lastIn : null,
        voice,
        notLogged: manager,
        inSession: true,
      });
      // The customer answers.
      if (turn === turns - 1 && !rng.chance(0.6)) break;
      t = ta + rng.int(20_000, 15 * MIN_MS);
      let next: Intent;
      if (replyKind === "price" || replyKind === "stock") {
        next = rng.pickWeighted<Intent>([
          ["expensive", c.archetype === "price_sensitive" ? 30 : 8],
          ["discount", c.archetype === "price_sensitive" ? 30 : 8],
          ["buy", 10],
          ["size", p.sizes ? 15 : 0],
          ["thanks", 25],
          ["smalltalk", 15],
        ]);
      } else
        next = rng.pickWeighted<Intent>([
          ["thanks", 60],
          ["smalltalk", 25],
          ["negative", intent === "complaint" ? 20 : 2],
        ]);
      if (next === "discount") c.discountMentions++;
      if (rng.chance(0.05)) {
        // A reaction to the agent's message instead of words.
        lastIn = this.inbound(c, t, "reaction", {
          reaction: { message_id: outId, emoji: rng.pick(["👍", "❤️", "😂", "🙏", "😮"]) },
        });
        c.lastReactionTo = outId;
      } else lastIn = this.text(c, t, fill(inboundText(rng, next, lang), v));
      if (next === "buy" && c.buyAt === Infinity) c.buyAt = t + rng.int(1, 6) * HOUR_MS;
      replyKind = this.replyFor(next);
      if (turn === turns - 1 && next !== "thanks") turns++;
      if (turns > 5) break;
      const r2 = this.agentReply(c, t);
      ta = r2.at;
      if (!r2.waited) agent = rng.chance(0.85) ? agent : r2.agent;
      else agent = r2.agent;
    }
    // Funnel: inquiry -> price -> order in ~3.7 days on average (R25).
    if (
      (intent === "inquiry" || intent === "price" || intent === "discount" || intent === "size") &&
      c.buyAt === Infinity
    ) {
      if (rng.chance(CONVERSION[c.archetype])) c.buyAt = t0 + Math.max(2 * HOUR_MS, rng.logNormal(2.8 * DAY_MS, 0.8));
    }
    // CSAT survey after a resolved conversation (R31).
    if (rng.chance(0.3) || show === "button_reply") {
      const ts = ta + rng.int(2, 15) * MIN_MS;
      const qid = this.outbound(c, ts, {
        kind: "bot",
        automation: AUTOMATIONS.csat,
        type: "interactive",
        text: CSAT_QUESTION[lang],
      });
      if (rng.chance(0.45) || show === "button_reply") {
        const waitMin = (reply.at - t0) / MIN_MS;
        let score = c.archetype === "complainer" || intent === "complaint" ? 2.6 : 4.2;
        if (waitMin > 30) score -= 0.8;
        if (c.churnAt !== null && t0 > (c.decayFrom ?? Infinity)) score -= 1.2;
        const s = Math.max(1, Math.min(5, Math.round(score + rng.normal() * 0.9)));
        c.csat.push(s);
        this.inbound(
          c,
          ts + rng.int(1, 30) * MIN_MS,
          "interactive",
          { interactive: { type: "button_reply", button_reply: { id: `csat_${s}`, title: CSAT_TITLES[s - 1] } } },
          {
            context: { from: (BUSINESS_NUMBERS[this.phoneIdx(c)] as BusinessNumber).display, id: qid },
            countAs: "button_reply",
          },
        );
      }
    }
    this.afterSession(c, ta, show);
  }

  private afterSession(c: Customer, t: number, show: Showcase | null): void {
    const rng = this.rng;
    if (
      show === "reaction" ||
      show === "unreaction_empty" ||
      show === "unreaction_missing" ||
      (c.lastOutboundId && rng.chance(0.01))
    ) {
      const target = c.lastOutboundId ?? "wamid.unknown";
      const tt = t + rng.int(1, 60) * MIN_MS;
      if (show === "unreaction_empty")
        this.inbound(c, tt, "reaction", { reaction: { message_id: target, emoji: "" } }, { countAs: "unreaction" });
      else if (show === "unreaction_missing")
        this.inbound(c, tt, "reaction", { reaction: { message_id: target } }, { countAs: "unreaction" });
      else {
        this.inbound(c, tt, "reaction", { reaction: { message_id: target, emoji: rng.pick(["👍", "❤️", "🙏"]) } });
        if (rng.chance(0.1))
          this.inbound(
            c,
            tt + rng.int(1, 30) * MIN_MS,
            "reaction",
            { reaction: { message_id: target, emoji: "" } },
            { countAs: "unreaction" },
          );
      }
    }
    if (show === "system" || (!c.changedNumber && c.waId && rng.chance(0.0008)))
      this.changeNumber(c, t + rng.int(1, 48) * HOUR_MS);
    if (show === "value_error" || rng.chance(0.0005)) {
      const at = t + rng.int(1, 30) * MIN_MS;
      if (this.o.writer.inRange(at) && c.waId) {
        const id = this.newId(c);
        this.o.writer.addItem({
          at: at + rng.int(200, 2000),
          seq: this.o.writer.nextSeq(),
          kind: "error",
          phone: this.phoneIdx(c),
          contactKey: c.idx,
          contact: this.contact(c),
          frag: messageFrag(
            senderFields(c),
            id,
            at,
            "interactive",
            {},
            {
              context: {
                from: (BUSINESS_NUMBERS[this.phoneIdx(c)] as BusinessNumber).display,
                id: c.lastOutboundId ?? id,
              },
            },
          ),
        });
        this.counts.valueErrors++;
        this.counts.inbound++;
        this.count("interactive_error");
      }
    }
    if (show === "nfm_reply") this.feedbackFlow(c, t + rng.int(1, 4) * HOUR_MS, true);
    if (show === "button")
      this.templateReply(c, t + rng.int(1, 4) * HOUR_MS, c.lastOutboundId ?? "", "Shop now", "SHOP_NOW");
    if (show === "order") this.buy(c, t + rng.int(1, 12) * HOUR_MS, true);
    if (show === "echo") this.echo(c, t + rng.int(5, 90) * MIN_MS);
  }

  private extraMessage(c: Customer, t: number, kind: Showcase, p: Product, lang: Lang, intent: Intent): string | null {
    const rng = this.rng;
    const mid = mediaId(rng);
    const withUrl = rng.chance(0.5);
    const media = (mime: string, more: Record<string, unknown> = {}): Record<string, unknown> => {
      const o: Record<string, unknown> = { ...more, mime_type: mime, sha256: mediaSha(rng), id: mid };
      if (withUrl) o.url = mediaUrl(mid, rng);
      return o;
    };
    switch (kind) {
      case "image":
        return this.inbound(c, t, "image", {
          image: media("image/jpeg", rng.chance(0.4) ? { caption: intent === "complaint" ? "😡" : p.name } : {}),
        });
      case "video":
        return this.inbound(c, t, "video", { video: media("video/mp4", rng.chance(0.3) ? { caption: p.name } : {}) });
      case "audio":
        return this.inbound(c, t, "audio", { audio: { ...media("audio/ogg; codecs=opus"), voice: false } });
      case "voice":
        return this.inbound(
          c,
          t,
          "audio",
          { audio: { ...media("audio/ogg; codecs=opus"), voice: true } },
          { countAs: "voice" },
        );
      case "document":
        return this.inbound(c, t, "document", {
          document: media("application/pdf", {
            filename: rng.pick(["receipt.pdf", "invoice_2026.pdf", "quotation_request.pdf", "IMG_2041.pdf"]),
          }),
        });
      case "sticker":
        return this.inbound(c, t, "sticker", { sticker: { ...media("image/webp"), animated: rng.chance(0.3) } });
      case "location": {
        const loc: Record<string, unknown> = {
          latitude: 22.28 + rng.float() * 0.1,
          longitude: 114.15 + rng.float() * 0.1,
        };
        if (rng.chance(0.4)) {
          loc.name = "Home";
          loc.address = `${rng.int(1, 300)} ${rng.pick(["Nathan Road", "Hennessy Road", "King's Road"])}`;
        }
        return this.inbound(c, t, "location", { location: loc });
      }
      case "contacts": {
        const friend = mobileNumber(rng, c.market.code);
        const phone: Record<string, string> = { phone: "+" + friend, type: "CELL" };
        if (rng.chance(0.6)) phone.wa_id = friend;
        return this.inbound(c, t, "contacts", {
          contacts: [{ name: { first_name: "Friend", formatted_name: `Friend ${rng.int(1, 99)}` }, phones: [phone] }],
        });
      }
      case "unsupported":
        return this.inbound(
          c,
          t,
          "unsupported",
          { unsupported: { type: rng.pick(["edit", "poll_creation", "gif", "media_placeholder"]) } },
          {
            errors: [
              {
                code: 131051,
                title: "Message type unknown",
                message: "Message type unknown",
                error_data: { details: "Message type is currently not supported." },
              },
            ],
          },
        );
      case "list_reply":
      case "button_reply":
      case "nfm_reply":
      case "button":
      case "reaction":
      case "unreaction_empty":
      case "unreaction_missing":
      case "order":
      case "system":
      case "value_error":
      case "echo":
        return null; // handled by the flows
      default:
        return null;
    }
    void lang;
  }

  private changeNumber(c: Customer, at: number): void {
    if (!c.waId || !this.o.writer.inRange(at)) return;
    const from = c.waId;
    const to = mobileNumber(this.rng, c.market.code);
    const id = this.newId(c);
    this.o.writer.addItem({
      at: at + this.rng.int(200, 2000),
      seq: this.o.writer.nextSeq(),
      kind: "message",
      phone: this.phoneIdx(c),
      contactKey: -2 - c.idx,
      contact: null, // system messages carry no contacts
      frag: messageFrag({ from }, id, at, "system", {
        system: { body: `User ${c.profileName} changed from ${from} to ${to}`, wa_id: to, type: "user_changed_number" },
      }),
    });
    this.counts.inbound++;
    this.count("system");
    c.waId = to;
    c.changedNumber = true;
    this.contactCache.delete(c.idx);
    this.numberChanges.push({ customer: c.idx, from, to, at: new Date(at).toISOString() });
  }

  private echo(c: Customer, at: number): void {
    if (!c.waId || !this.o.writer.inRange(at)) return;
    const n = BUSINESS_NUMBERS[this.phoneIdx(c)] as BusinessNumber;
    const id = this.newId(c);
    // Coexistence echoes for Brazilian numbers come without the ninth digit (chatwoot#13986).
    const to = c.market.code === "BR" && c.waId.length === 13 ? c.waId.slice(0, 4) + c.waId.slice(5) : c.waId;
    this.o.writer.addItem({
      at: at + this.rng.int(200, 2000),
      seq: this.o.writer.nextSeq(),
      kind: "echo",
      phone: this.phoneIdx(c),
      contactKey: c.idx,
      contact: this.contact(c),
      frag: escapeNonAscii(
        JSON.stringify({
          from: n.display,
          to,
          id,
          timestamp: unixSeconds(at),
          type: "text",
          text: { body: fill(AGENT_REPLY.generic[c.lang][0] as string, {}) },
        }),
      ),
    });
    this.counts.echoes++;
  }

  private templateReply(c: Customer, at: number, context: string, text: string, payload: string): void {
    this.inbound(
      c,
      at,
      "button",
      { button: { payload, text } },
      context
        ? { context: { from: (BUSINESS_NUMBERS[this.phoneIdx(c)] as BusinessNumber).display, id: context } }
        : undefined,
    );
  }

  private feedbackFlow(c: Customer, at: number, force: boolean): void {
    const rng = this.rng;
    const id = this.outbound(c, at, {
      kind: "automation",
      automation: "auto_feedback_flow",
      template: { name: "order_feedback_flow", category: "utility" },
      type: "interactive",
      text: "How was your order? Tell us in 1 minute.",
    });
    if (force || rng.chance(0.15)) {
      const resp: Record<string, string> = {
        delivery_rating: String(rng.int(2, 5)),
        purchase_rating: String(rng.int(2, 5)),
        comment_text: rng.pick(["Fast delivery", "Box was damaged", "Great!", "Size too small", ""]),
      };
      if (rng.chance(0.7)) resp.flow_token = rng.bytes(18).toString("base64url") + ".";
      this.inbound(
        c,
        at + rng.int(2, 120) * MIN_MS,
        "interactive",
        {
          interactive: {
            type: "nfm_reply",
            nfm_reply: { response_json: JSON.stringify(resp), body: "Sent", name: "flow" },
          },
        },
        {
          context: { from: (BUSINESS_NUMBERS[this.phoneIdx(c)] as BusinessNumber).display, id },
          countAs: "nfm_reply",
        },
      );
    }
  }

  /** The customer buys: a conversation that ends with an order (CRM) and utility notifications. */
  buy(c: Customer, t: number, catalogOrder = false): void {
    const rng = this.rng;
    const w = this.o.writer;
    if (!w.inRange(t)) {
      c.buyAt = Infinity;
      return;
    }
    const p = c.interestSku >= 0 ? (CATALOGUE[c.interestSku] as Product) : this.product(c);
    const v = this.vars(c, p);
    const qty =
      p.category === "phone"
        ? 1
        : rng.pickWeighted([
            [1, 70],
            [2, 22],
            [3, 8],
          ] as const);
    const unit = localPrice(p.usd, c.market);
    let lastIn: string;
    if (catalogOrder || rng.chance(0.2)) {
      lastIn = this.inbound(c, t, "order", {
        order: {
          catalog_id: "354160437058781",
          text: rng.chance(0.5) ? "" : fill(inboundText(rng, "buy", c.lang), v),
          product_items: [{ product_retailer_id: p.sku, quantity: qty, item_price: unit, currency: c.market.currency }],
        },
      });
    } else lastIn = this.text(c, t, fill(inboundText(rng, "buy", c.lang), v));
    const r = this.agentReply(c, t);
    this.outbound(c, r.at, {
      kind: "agent",
      agent: r.agent,
      type: "text",
      text: fill(rng.pick(AGENT_REPLY.price[c.lang]), v),
      replyTo: lastIn,
      inSession: true,
    });
    if (rng.chance(0.2)) {
      this.outbound(c, r.at + rng.int(30, 120) * 1000, {
        kind: "automation",
        automation: "auto_payment_otp",
        template: { name: "payment_otp", category: "authentication" },
        type: "template",
        text: `${rng.digits(6)} is your verification code.`,
      });
    }
    const orderAt = r.at + rng.int(2, 40) * MIN_MS;
    const order = this.o.orders.add(rng, {
      customer: c,
      crmId: c.crmId,
      at: orderAt,
      product: p,
      qty,
      unit,
      channel: "whatsapp",
      campaignId: c.campaign && orderAt - c.acquiredAt < 30 * DAY_MS ? c.campaign.id : null,
      endMs: this.o.endMs,
    });
    c.ordersPlaced++;
    c.lastOrderNo = order.id;
    c.buyAt = Infinity;
    c.interestSku = -1;
    if (order.status === "cancelled") return;
    // Utility notifications for the order (R19), respecting the 12 h pause after a human — mostly (R4).
    this.outbound(c, orderAt + rng.int(30, 180) * 1000, {
      kind: "automation",
      automation: AUTOMATIONS.orderStatus,
      template: { name: "order_confirmation", category: "utility" },
      type: "template",
      text: `Order ${order.id} confirmed. Total ${order.total} ${c.market.currency}.`,
    });
    let ship = orderAt + rng.int(20, 60) * HOUR_MS;
    if (ship - c.lastHuman < 12 * HOUR_MS && !rng.chance(0.03))
      ship = c.lastHuman + 12 * HOUR_MS + rng.int(1, 60) * MIN_MS;
    this.outbound(c, ship, {
      kind: "automation",
      automation: AUTOMATIONS.orderStatus,
      template: { name: "shipping_update", category: "utility" },
      type: "template",
      text: `Your order ${order.id} has shipped 🚚`,
    });
    if (rng.chance(0.02)) {
      // The same event notified twice within the hour (R4: at least 6 h apart).
      this.outbound(c, ship + rng.int(5, 50) * MIN_MS, {
        kind: "automation",
        automation: AUTOMATIONS.orderStatus,
        template: { name: "shipping_update", category: "utility" },
        type: "template",
        text: `Your order ${order.id} has shipped 🚚`,
      });
      this.policyViolations.push({
        kind: "duplicate_service_notification",
        customer: c.idx,
        template: "shipping_update",
        count: 2,
      });
    }
    if (order.status === "paid" && rng.chance(0.25)) this.feedbackFlow(c, ship + rng.int(48, 96) * HOUR_MS, false);
  }

  // ---------------------------------------------------------------- broadcasts & automations

  private broadcast(camp: Campaign, at: number, fraction: number, template: string, reminder = false): void {
    const rng = this.rng;
    let t = at;
    const recipients: number[] = [];
    const pool = reminder ? this.flashRecipients.splice(0) : this.o.customers.map((c) => c.idx);
    for (const i of pool) {
      const c = this.o.customers[i] as Customer;
      if (c.acquiredAt > at) continue;
      if (!c.optIn && !rng.chance(0.01)) continue; // a few slip through without opt-in (R4)
      if (!rng.chance(fraction)) continue;
      if (reminder && c.lastInbound > at - DAY_MS) continue;
      recipients.push(i);
    }
    for (const i of recipients) {
      const c = this.o.customers[i] as Customer;
      t += rng.int(5, 40);
      const id = this.outbound(c, t, {
        kind: "campaign",
        template: { name: template, category: "marketing" },
        campaign: camp,
        type: "template",
        text: rng.chance(0.5)
          ? `🔥 ${camp.headline}: up to 30% off this week! Reply STOP to opt out.`
          : `${camp.headline} — new deals for you. Reply STOP to opt out.`,
      });
      if (!reminder && template === "flash_sale_48h") this.flashRecipients.push(i);
      // Responses: quick-reply buttons, a few opt-outs, some start a conversation.
      if (c.churnAt !== null && at >= c.churnAt) continue;
      if (rng.chance(0.045)) {
        const rt = t + rng.int(1, 180) * MIN_MS;
        const stop = rng.chance(0.12);
        this.templateReply(
          c,
          rt,
          rng.chance(0.9) ? id : "",
          stop ? "Stop promotions" : rng.pick(["Shop now", "Remind me later"]),
          stop ? "STOP" : rng.pick(["SHOP_NOW", "REMIND_LATER"]),
        );
        if (stop) c.stoppedMarketing = true;
        else if (rng.chance(0.5)) this.session(c, rt + rng.int(1, 10) * MIN_MS, "price");
      }
    }
  }

  private accountEvents(day: number, dayStart: number): void {
    const w = this.o.writer;
    const rng = this.rng;
    const add = (at: number, field: string, value: unknown): void => {
      if (!w.inRange(at)) return;
      w.addItem({
        at,
        seq: w.nextSeq(),
        kind: "account",
        phone: 0,
        contactKey: -1,
        contact: null,
        frag: escapeNonAscii(JSON.stringify(value)),
        field,
        entryTime: Math.floor(at / 1000) - rng.int(0, 3),
      });
      this.counts.accountEvents++;
    };
    const at = dayStart + rng.int(1, 23) * HOUR_MS + rng.int(0, 3_599_999);
    const names = [
      ...BROADCAST_TEMPLATES,
      "order_confirmation",
      "shipping_update",
      "payment_otp",
      "order_feedback_flow",
      "restock_alert",
      "winback_15",
    ];
    if (day === 0) {
      names.forEach((name, i) =>
        add(at + i * 1000, "message_template_status_update", {
          event: "APPROVED",
          message_template_id: 1689556908129800 + i,
          message_template_name: name,
          message_template_language: "en_US",
          reason: "NONE",
          message_template_category: name.includes("otp")
            ? "AUTHENTICATION"
            : BROADCAST_TEMPLATES.includes(name as (typeof BROADCAST_TEMPLATES)[number]) ||
                name.includes("restock") ||
                name.includes("winback")
              ? "MARKETING"
              : "UTILITY",
        }),
      );
    }
    const days = Math.round((this.o.endMs - this.o.startMs) / DAY_MS);
    if (day === Math.floor(days / 2)) {
      add(at, "message_template_status_update", {
        event: "FLAGGED",
        message_template_id: 1689556908129801,
        message_template_name: "flash_sale_48h",
        message_template_language: "en_US",
        reason: null,
      });
      add(at + 3 * HOUR_MS, "message_template_status_update", {
        event: "PAUSED",
        message_template_id: 1689556908129801,
        message_template_name: "flash_sale_48h",
        message_template_language: "en_US",
        reason: null,
        other_info: {
          title: "FIRST_PAUSE",
          description: "Your message template has been paused for 3 hours due to low quality.",
        },
      });
    }
    if (new Date(dayStart + this.offset).getUTCDate() === 1 || day === 1) {
      const d = new Date(dayStart + this.offset);
      add(at, "account_update", {
        volume_tier_info: {
          tier_update_time: Math.floor(at / 1000),
          pricing_category: "UTILITY",
          tier: rng.pick(["0:250000", "250001:2000000"]),
          effective_month: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`,
          region: "Rest of Asia Pacific",
        },
        event: "VOLUME_BASED_PRICING_TIER_UPDATE",
      });
    }
    if (day === 2) add(at, "account_update", { phone_number: BUSINESS_NUMBERS[0]?.display, event: "VERIFIED_ACCOUNT" });
  }

  private localTime(dayStart: number, weekday: number): number {
    const rng = this.rng;
    const w = weekday === 2 ? HOUR_WEIGHTS.map((x, h) => (h === 10 || h === 11 ? x * 1.4 : x)) : HOUR_WEIGHTS;
    const h = rng.weighted(w);
    return dayStart + h * HOUR_MS + rng.int(0, HOUR_MS - 1);
  }

  // ---------------------------------------------------------------- the day loop

  async run(): Promise<void> {
    const { tz, startMs, endMs, customers, campaigns } = this.o;
    const rng = this.rng;
    const firstDay = Math.floor((startMs + tzOffsetMs(tz, startMs)) / DAY_MS);
    const lastDay = Math.floor((endMs - 1 + tzOffsetMs(tz, endMs - 1)) / DAY_MS);
    const total = lastDay - firstDay + 1;
    const spike = this.anomalies[0] as Anomaly;
    // Showcase: one customer gets each rare message type early, so that small runs show them all.
    const showcaseDays = Math.max(1, Math.floor(total / 3));
    for (let d = firstDay; d <= lastDay; d++) {
      const dayIdx = d - firstDay;
      const dayStart = localMidnightUtc(tz, d);
      const nextStart = localMidnightUtc(tz, d + 1);
      this.dayStart = dayStart;
      this.offset = tzOffsetMs(tz, dayStart + 12 * HOUR_MS);
      this.weekday = new Date(d * DAY_MS).getUTCDay();
      this.complaintSpike = dayStart + 12 * HOUR_MS >= spike.startMs && dayStart + 12 * HOUR_MS < spike.endMs;
      this.accountEvents(dayIdx, dayStart);
      // Broadcasts: weekly deals on Friday 14:00, flash sale every other Tuesday 10:00 with a reminder next day.
      for (const camp of campaigns) {
        if (camp.kind !== "broadcast" || dayStart + 12 * HOUR_MS < camp.startMs || dayStart >= camp.endMs) continue;
        const tpl = camp.template ?? "weekly_deals_v2";
        if (tpl === "weekly_deals_v2" && this.weekday === 5) this.broadcast(camp, dayStart + 14 * HOUR_MS, 0.35, tpl);
        else if (tpl === "flash_sale_48h" && this.weekday === 2 && Math.floor(dayIdx / 7) % 2 === 0)
          this.broadcast(camp, dayStart + 10 * HOUR_MS, 0.25, tpl);
        else if (tpl === "flash_sale_48h" && this.weekday === 3 && this.flashRecipients.length > 0) {
          this.broadcast(camp, dayStart + 10 * HOUR_MS + 30 * MIN_MS, 0.1, "flash_sale_reminder", true);
        } else if (tpl === "member_day_offer" && new Date(dayStart + this.offset + HOUR_MS).getUTCDate() === 15)
          this.broadcast(camp, dayStart + 19 * HOUR_MS, 0.3, tpl);
        else if (tpl === "new_arrivals_drop" && dayIdx % 10 === 4)
          this.broadcast(camp, dayStart + 12 * HOUR_MS, 0.2, tpl);
      }
      this.flashRecipients.length = this.weekday === 3 ? 0 : this.flashRecipients.length;
      const wf = (WEEKDAY_FACTOR[this.weekday] ?? 1) * (this.complaintSpike ? 1.3 : 1);
      for (const c of customers) {
        if (c.buyAt < nextStart && c.buyAt >= dayStart) this.buy(c, c.buyAt);
        else if (c.buyAt < dayStart) c.buyAt = Infinity;
        if (c.acquiredAt >= nextStart) continue;
        // The first conversation of a new customer happens on the acquisition day.
        if (c.acquiredAt >= dayStart && c.acquisition !== "existing" && c.sessions === 0) {
          this.session(c, c.acquiredAt);
          continue;
        }
        const rate = sessionRate(c, dayStart);
        if (rate > 0 && rng.float() < rate * wf) {
          this.session(c, this.localTime(dayStart, this.weekday));
        } else if (
          this.showcase.length > 0 &&
          dayIdx < showcaseDays &&
          c.waId &&
          c.acquiredAt < dayStart &&
          rng.chance(0.2) &&
          (c.churnAt === null || dayStart < c.churnAt)
        ) {
          this.session(c, this.localTime(dayStart, this.weekday));
        }
        // Automations: win-back after 45 quiet days; restock alerts gone wrong (same content > 5 a month, R4).
        if (
          c.optIn &&
          c.lastInbound > -Infinity &&
          dayStart - c.lastInbound >= 45 * DAY_MS &&
          dayStart - c.lastInbound < 46 * DAY_MS &&
          rng.chance(0.5)
        ) {
          this.outbound(c, dayStart + 11 * HOUR_MS + rng.int(0, HOUR_MS), {
            kind: "automation",
            automation: AUTOMATIONS.winback,
            template: { name: "winback_15", category: "marketing" },
            type: "template",
            text: "We miss you! Here is 15% off your next order: BACK15",
          });
        }
        if (this.restockTargets.has(c.idx) && dayIdx >= 2 && dayIdx < 10 && c.acquiredAt < dayStart) {
          this.outbound(c, dayStart + 9 * HOUR_MS + rng.int(0, HOUR_MS), {
            kind: "automation",
            automation: AUTOMATIONS.restock,
            template: { name: "restock_alert", category: "marketing" },
            type: "template",
            text: "Good news: the item you wanted is back in stock!",
          });
          if (dayIdx === 9)
            this.policyViolations.push({
              kind: "same_content_over_5_per_month",
              customer: c.idx,
              template: "restock_alert",
              count: 8,
            });
        }
        // Orders through other channels (no WhatsApp messages), for the CRM.
        if (c.archetype === "loyal" || c.archetype === "regular") {
          if (rng.chance(c.archetype === "loyal" ? 0.004 : 0.0015)) {
            const p = CATALOGUE[rng.weighted(PRODUCT_WEIGHTS)] as Product;
            this.o.orders.add(rng, {
              customer: c,
              crmId: c.dupCrmId && rng.chance(0.3) ? c.dupCrmId : c.crmId,
              at: this.localTime(dayStart, this.weekday),
              product: p,
              qty: 1,
              unit: localPrice(p.usd, c.market),
              channel: rng.pickWeighted([
                ["web", 45],
                ["store", 40],
                ["line", c.market.code === "TW" ? 30 : 5],
              ] as const),
              campaignId: null,
              endMs,
            });
          }
        }
      }
      // A slow trickle of messages sent from the WhatsApp Manager is already mixed in (agents); also one
      // echo from the Business app now and then.
      if (rng.chance(0.02)) {
        const c = customers[rng.int(0, customers.length - 1)] as Customer;
        if (c.sessions > 0) this.echo(c, dayStart + rng.int(9, 20) * HOUR_MS);
      }
      this.o.writer.flushUntil(nextStart);
      await this.o.orders.flushIfLarge();
      await this.o.onDay?.(dayIdx + 1, total);
    }
  }
}
