import type { Rng } from "./rng.ts";
import { DAY_MS, isoDate } from "./time.ts";

/** Marketing campaigns across channels; WhatsApp click-to-WhatsApp ads carry ad ids for referrals. */
export interface Campaign {
  readonly id: string;
  readonly name: string;
  readonly channel: "whatsapp" | "line" | "facebook" | "instagram" | "web";
  readonly kind: "ctwa_ad" | "broadcast" | "social_ad" | "search_ad" | "line_oa";
  readonly objective: "acquisition" | "conversion" | "retention" | "awareness";
  readonly startMs: number;
  readonly endMs: number; // exclusive
  readonly budget: number; // USD
  readonly dailySpend: number; // USD
  readonly adIds: readonly string[];
  /** For broadcasts: template name and send days (UTC ms of local send instants are computed later). */
  readonly template: string | null;
  readonly headline: string;
  /** Expected clicks per USD. */
  readonly ctr: number;
}

const KINDS: readonly {
  channel: Campaign["channel"];
  kind: Campaign["kind"];
  objective: Campaign["objective"];
  names: readonly string[];
}[] = [
  {
    channel: "whatsapp",
    kind: "ctwa_ad",
    objective: "acquisition",
    names: ["CTWA iPhone launch", "CTWA Beauty week", "CTWA Sneaker drop", "CTWA Back to school"],
  },
  {
    channel: "whatsapp",
    kind: "broadcast",
    objective: "conversion",
    names: ["Weekly deals", "Flash sale", "Member day", "New arrivals"],
  },
  { channel: "line", kind: "line_oa", objective: "retention", names: ["LINE friends coupon", "LINE OA rich menu"] },
  { channel: "facebook", kind: "social_ad", objective: "acquisition", names: ["FB lookalike", "FB retargeting"] },
  {
    channel: "instagram",
    kind: "social_ad",
    objective: "awareness",
    names: ["IG reels cosmetics", "IG stories apparel"],
  },
  {
    channel: "web",
    kind: "search_ad",
    objective: "conversion",
    names: ["Search brand terms", "Search phones generic"],
  },
];

export const BROADCAST_TEMPLATES = [
  "weekly_deals_v2",
  "flash_sale_48h",
  "member_day_offer",
  "new_arrivals_drop",
] as const;

export function buildCampaigns(rng: Rng, startMs: number, endMs: number): Campaign[] {
  const days = Math.max(1, Math.round((endMs - startMs) / DAY_MS));
  const out: Campaign[] = [];
  let n = 0;
  const year = new Date(startMs).getUTCFullYear();
  for (const k of KINDS) {
    // Roughly one campaign of each name per ~60 days, at least one each.
    const count = Math.max(1, Math.round(days / 75)) * (k.kind === "ctwa_ad" || k.kind === "broadcast" ? 2 : 1);
    for (let i = 0; i < count; i++) {
      n++;
      const name = k.names[i % k.names.length] as string;
      const span = k.kind === "broadcast" ? days : Math.max(7, Math.min(days, rng.int(14, 45)));
      const offset = k.kind === "broadcast" || i === 0 ? 0 : rng.int(0, Math.max(0, days - span));
      const s = startMs + offset * DAY_MS;
      const e = Math.min(endMs, s + span * DAY_MS);
      const dailySpend = k.kind === "broadcast" ? 0 : Math.round(rng.int(40, 400) * (k.kind === "ctwa_ad" ? 1.5 : 1));
      const id = `CMP-${year}-${String(n).padStart(3, "0")}`;
      const adIds = k.kind === "ctwa_ad" || k.kind === "social_ad" ? [0, 1, 2].map(() => "12021" + rng.digits(12)) : [];
      out.push({
        id,
        name: `${name} ${isoDate(s).slice(0, 7)}`,
        channel: k.channel,
        kind: k.kind,
        objective: k.objective,
        startMs: s,
        endMs: e,
        budget: dailySpend * Math.round((e - s) / DAY_MS),
        dailySpend,
        adIds,
        template: k.kind === "broadcast" ? (BROADCAST_TEMPLATES[i % BROADCAST_TEMPLATES.length] as string) : null,
        headline: name,
        ctr: k.channel === "web" ? 2.5 : k.channel === "whatsapp" ? 3.2 : 1.8,
      });
    }
  }
  return out;
}

export function activeOn(c: Campaign, dayStartMs: number): boolean {
  return dayStartMs >= c.startMs && dayStartMs < c.endMs;
}
