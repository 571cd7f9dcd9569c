import { AGENTS } from "./agents.ts";
import type { Campaign } from "./campaigns.ts";
import { MARKETS, type Lang, type Market } from "./markets.ts";
import { personName, profileName, nameVariant } from "./names.ts";
import { dropBrazilNinthDigit, mobileNumber } from "./phones.ts";
import type { Rng } from "./rng.ts";
import { DAY_MS } from "./time.ts";

export type Archetype =
  "loyal" | "regular" | "occasional" | "price_sensitive" | "churner" | "complainer" | "browser" | "dormant";

const ARCHETYPES: readonly (readonly [Archetype, number])[] = [
  ["loyal", 8],
  ["regular", 25],
  ["occasional", 30],
  ["price_sensitive", 8],
  ["churner", 7],
  ["complainer", 4],
  ["browser", 13],
  ["dormant", 5],
];

/** Expected sessions (conversations the customer starts) per day. */
export const SESSION_RATE: Record<Archetype, number> = {
  loyal: 0.08,
  regular: 0.028,
  occasional: 0.009,
  price_sensitive: 0.05,
  churner: 0.43,
  complainer: 0.035,
  browser: 0.022,
  dormant: 0.002,
};

/** Chance that a product inquiry turns into an order. */
export const CONVERSION: Record<Archetype, number> = {
  loyal: 0.45,
  regular: 0.25,
  occasional: 0.2,
  price_sensitive: 0.15,
  churner: 0.12,
  complainer: 0.15,
  browser: 0.03,
  dormant: 0.2,
};

export interface Customer {
  readonly idx: number;
  readonly market: Market;
  readonly lang: Lang;
  readonly archetype: Archetype;
  /** Canonical, valid E.164 digits. */
  readonly e164: string;
  /** What WhatsApp reports (may lack Brazil's ninth digit); null for BSUID-only users. */
  waId: string | null;
  readonly userId: string | null;
  readonly parentUserId: string | null;
  readonly username: string | null;
  readonly showUserId: boolean;
  readonly crmName: string;
  readonly profileName: string;
  readonly acquiredAt: number;
  readonly acquisition: "existing" | "ctwa" | "organic" | "other_channel";
  readonly leadSource: string;
  readonly campaign: Campaign | null;
  readonly adId: string | null;
  readonly churnAt: number | null;
  readonly decayFrom: number | null;
  readonly readReceipts: boolean;
  readonly optIn: boolean;
  readonly ownerAgent: number;
  /** Number held by the CRM (digits, possibly without Brazil's ninth digit). */
  readonly crmDigits: string;
  readonly brQuirk: "none" | "wa_without_9" | "crm_without_9";
  readonly crmId: string | null;
  readonly dupCrmId: string | null;
  readonly dupPhone: string | null;
  readonly dupName: string | null;
  readonly invalidRecipient: boolean;
  readonly inExperiment: boolean;
  // Mutable simulation state.
  stoppedMarketing: boolean;
  sessions: number;
  lastInbound: number;
  lastHuman: number;
  lastOutboundId: string | null;
  lastReactionTo: string | null;
  interestSku: number;
  buyAt: number;
  ordersPlaced: number;
  lastOrderNo: string | null;
  fepUntil: number;
  fepConv: string | null;
  lastTemplateAt: number;
  discountMentions: number;
  complaints: number;
  inquiries: number;
  changedNumber: boolean;
  csat: number[];
}

export interface CustomerOptions {
  n: number;
  startMs: number;
  endMs: number;
  campaigns: readonly Campaign[];
}

function pickMarket(rng: Rng): Market {
  return rng.pickWeighted(MARKETS.map((m) => [m, m.weight] as const));
}

function bsuid(rng: Rng, country: string): string {
  return `${country}.${rng.int(1, 9)}${rng.digits(19)}`;
}

/** Draws the customers, their identities (phone / BSUID), archetype and lifecycle dates. */
export function createCustomers(rng: Rng, opts: CustomerOptions): Customer[] {
  const { n, startMs, endMs } = opts;
  const days = Math.max(1, (endMs - startMs) / DAY_MS);
  const ctwa = opts.campaigns.filter((c) => c.kind === "ctwa_ad");
  const out: Customer[] = [];
  let crmSeq = 0;
  const usedNumbers = new Set<string>();
  for (let idx = 0; idx < n; idx++) {
    const market = pickMarket(rng);
    const lang = rng.pickWeighted(market.langs);
    const archetype = rng.pickWeighted(ARCHETYPES);
    let e164 = mobileNumber(rng, market.code);
    while (usedNumbers.has(e164)) e164 = mobileNumber(rng, market.code);
    usedNumbers.add(e164);
    const crmName = personName(rng, market.code);
    const pname = profileName(rng, market.code, crmName);
    // Acquisition: 55% existed before the period, the rest arrive over it (growing).
    let acquisition: Customer["acquisition"];
    let acquiredAt: number;
    if (archetype !== "churner" && rng.chance(0.55)) {
      acquisition = "existing";
      acquiredAt = startMs - rng.int(30, 900) * DAY_MS - rng.int(0, DAY_MS - 1);
    } else {
      const u = Math.sqrt(rng.float()); // more arrivals later: growth
      // Churners arrive early enough that their 60 silent days (R16) fit in long periods.
      const span = archetype === "churner" ? (days > 130 ? days - 125 : days * 0.3) : days;
      acquiredAt = startMs + Math.floor(u * span * DAY_MS);
      acquisition = rng.chance(0.35) ? "ctwa" : rng.chance(0.6) ? "organic" : "other_channel";
    }
    if (archetype === "churner" && acquiredAt >= startMs && acquisition === "other_channel") acquisition = "organic";
    let campaign: Campaign | null = null;
    let adId: string | null = null;
    if (acquisition === "ctwa") {
      const live = ctwa.filter((c) => acquiredAt >= c.startMs && acquiredAt < c.endMs);
      if (live.length > 0) {
        campaign = rng.pick(live);
        adId = rng.pick(campaign.adIds);
      } else acquisition = "organic";
    }
    const leadSource =
      acquisition === "ctwa" || acquisition === "organic"
        ? rng.chance(0.95)
          ? "WhatsApp"
          : "Whatsapp"
        : rng.pickWeighted([
            ["LINE", market.code === "TW" ? 30 : 6],
            ["Web", 30],
            ["Store", 30],
            ["Facebook", 15],
            ["Instagram", 8],
            ["Referral", 6],
            ["WhatsApp", 15],
          ] as const);
    // Churners: engaged for 3-5 weeks, decay over 3-4 weeks, then silent.
    let churnAt: number | null = null;
    let decayFrom: number | null = null;
    if (archetype === "churner") {
      const base = Math.max(acquiredAt, startMs);
      decayFrom = base + rng.int(21, 35) * DAY_MS;
      churnAt = decayFrom + rng.int(21, 28) * DAY_MS;
    }
    // About 1% of users are known only by a business-scoped user id (no phone); small runs get one.
    const bsuidOnly = rng.chance(0.012) || (n >= 10 && idx === 3);
    const userId = bsuidOnly || rng.chance(0.3) ? bsuid(rng, market.code) : null;
    const parentUserId = userId && rng.chance(0.5) ? `${market.code}.ENT.${rng.digits(20)}` : null;
    let brQuirk: Customer["brQuirk"] = "none";
    if (market.code === "BR" && !bsuidOnly) {
      const r = rng.float();
      brQuirk = r < 0.12 ? "wa_without_9" : r < 0.24 ? "crm_without_9" : "none";
    }
    const waId = bsuidOnly ? null : brQuirk === "wa_without_9" ? dropBrazilNinthDigit(e164) : e164;
    const crmDigits = brQuirk === "crm_without_9" ? dropBrazilNinthDigit(e164) : e164;
    const inCrm = !rng.chance(0.05);
    const crmId = inCrm ? `C${String(++crmSeq).padStart(7, "0")}` : null;
    const dup = inCrm && rng.chance(0.04);
    let dupPhone: string | null = null;
    if (dup) {
      dupPhone = mobileNumber(rng, market.code);
      while (usedNumbers.has(dupPhone)) dupPhone = mobileNumber(rng, market.code);
      usedNumbers.add(dupPhone);
    }
    out.push({
      idx,
      market,
      lang,
      archetype,
      e164,
      waId,
      userId,
      parentUserId,
      username:
        userId && rng.chance(0.5)
          ? "@" +
            pname
              .toLowerCase()
              .replace(/[^a-z0-9]/g, "")
              .slice(0, 12) +
            rng.int(1, 99)
          : null,
      showUserId: userId !== null && rng.chance(0.5),
      crmName,
      profileName: pname,
      acquiredAt,
      acquisition,
      leadSource,
      campaign,
      adId,
      churnAt,
      decayFrom,
      readReceipts: !rng.chance(0.12),
      optIn: rng.chance(0.85),
      ownerAgent: rng.int(0, AGENTS.length - 1),
      crmDigits,
      brQuirk,
      crmId,
      dupCrmId: dup ? `C${String(++crmSeq).padStart(7, "0")}` : null,
      dupPhone,
      dupName: dup ? nameVariant(rng, crmName) : null,
      invalidRecipient: false,
      inExperiment: rng.chance(0.01),
      stoppedMarketing: false,
      sessions: 0,
      lastInbound: -Infinity,
      lastHuman: -Infinity,
      lastOutboundId: null,
      lastReactionTo: null,
      interestSku: -1,
      buyAt: Infinity,
      ordersPlaced: 0,
      lastOrderNo: null,
      fepUntil: -Infinity,
      fepConv: null,
      lastTemplateAt: -Infinity,
      discountMentions: 0,
      complaints: 0,
      inquiries: 0,
      changedNumber: false,
      csat: [],
    });
  }
  return out;
}

/** Expected sessions per day for a customer at instant `at` (before weekly/daily shaping). */
export function sessionRate(c: Customer, at: number): number {
  if (at < c.acquiredAt) return 0;
  if (c.churnAt !== null && c.decayFrom !== null) {
    if (at >= c.churnAt) return 0;
    if (at >= c.decayFrom) {
      const f = (at - c.decayFrom) / (c.churnAt - c.decayFrom);
      return 0.43 - f * (0.43 - 0.14);
    }
    return 0.43;
  }
  return SESSION_RATE[c.archetype];
}
