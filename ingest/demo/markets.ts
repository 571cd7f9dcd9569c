/** The seven markets the demo business sells in, with currency, languages and numbering plans. */
export type MarketCode = "HK" | "TW" | "KR" | "SG" | "MY" | "BR" | "IN";
export type Lang = "zh-Hant" | "zh-Hans" | "ko" | "en" | "pt";

export interface Market {
  readonly code: MarketCode;
  readonly callingCode: string;
  readonly currency: string;
  /** Local currency units per USD (rounded, for list prices). */
  readonly perUsd: number;
  /** Share of customers. */
  readonly weight: number;
  readonly langs: readonly (readonly [Lang, number])[];
  /** Template language code used when sending templates to this market. */
  readonly templateLang: Record<Lang, string>;
  readonly cities: readonly string[];
}

const TL: Record<Lang, string> = { "zh-Hant": "zh_HK", "zh-Hans": "zh_CN", ko: "ko", en: "en", pt: "pt_BR" };

export const MARKETS: readonly Market[] = [
  {
    code: "HK",
    callingCode: "852",
    currency: "HKD",
    perUsd: 7.8,
    weight: 30,
    langs: [
      ["zh-Hant", 70],
      ["en", 30],
    ],
    templateLang: TL,
    cities: ["Hong Kong", "Kowloon", "Sha Tin", "Tsuen Wan", "Tuen Mun"],
  },
  {
    code: "TW",
    callingCode: "886",
    currency: "TWD",
    perUsd: 32,
    weight: 15,
    langs: [
      ["zh-Hant", 90],
      ["en", 10],
    ],
    templateLang: { ...TL, "zh-Hant": "zh_TW" },
    cities: ["Taipei", "New Taipei", "Taichung", "Kaohsiung", "Tainan"],
  },
  {
    code: "KR",
    callingCode: "82",
    currency: "KRW",
    perUsd: 1350,
    weight: 12,
    langs: [
      ["ko", 90],
      ["en", 10],
    ],
    templateLang: TL,
    cities: ["Seoul", "Busan", "Incheon", "Daegu", "Seongnam"],
  },
  {
    code: "SG",
    callingCode: "65",
    currency: "SGD",
    perUsd: 1.35,
    weight: 12,
    langs: [
      ["en", 70],
      ["zh-Hans", 30],
    ],
    templateLang: TL,
    cities: ["Singapore"],
  },
  {
    code: "MY",
    callingCode: "60",
    currency: "MYR",
    perUsd: 4.7,
    weight: 10,
    langs: [
      ["en", 55],
      ["zh-Hans", 45],
    ],
    templateLang: TL,
    cities: ["Kuala Lumpur", "Petaling Jaya", "Penang", "Johor Bahru", "Ipoh"],
  },
  {
    code: "BR",
    callingCode: "55",
    currency: "BRL",
    perUsd: 5.2,
    weight: 11,
    langs: [
      ["pt", 90],
      ["en", 10],
    ],
    templateLang: TL,
    cities: ["São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Porto Alegre"],
  },
  {
    code: "IN",
    callingCode: "91",
    currency: "INR",
    perUsd: 83,
    weight: 10,
    langs: [["en", 100]],
    templateLang: { ...TL, en: "en_IN" },
    cities: ["Mumbai", "Delhi", "Bengaluru", "Chennai", "Hyderabad", "Pune"],
  },
];

export const MARKET_BY_CODE: Record<MarketCode, Market> = Object.fromEntries(MARKETS.map((m) => [m.code, m])) as Record<
  MarketCode,
  Market
>;

/** Rounds a price in local currency the way shops do. */
export function localPrice(usd: number, market: Market): number {
  const v = usd * market.perUsd;
  if (market.perUsd >= 100) return Math.round(v / 100) * 100;
  if (market.perUsd >= 10) return Math.round(v / 10) * 10;
  return Math.round(v);
}
