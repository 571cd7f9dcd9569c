import { getCountries, parsePhoneNumberWithError, ParseError, type CountryCode } from "libphonenumber-js/max";

/**
 * Phone normalisation to E.164 (R2). Numbers that cannot be normalised are kept by the caller with
 * the reason returned here; nothing is dropped.
 */
export interface NormalisedPhone {
  readonly e164: string | null;
  /** The region the number belongs to (from the number itself, not from the record). */
  readonly region: string | null;
  /** Why the number could not be normalised; null when `e164` is set. */
  readonly error: string | null;
}

const COUNTRIES = new Set<string>(getCountries());
const regionNames = new Map<string, CountryCode>();
{
  const display = new Intl.DisplayNames(["en"], { type: "region" });
  for (const code of getCountries()) {
    const name = display.of(code);
    if (name) regionNames.set(fold(name), code);
  }
  const aliases: Record<string, CountryCode> = {
    "hong kong": "HK",
    "hong kong sar": "HK",
    macau: "MO",
    macao: "MO",
    "hong kong sar china": "HK",
    hongkong: "HK",
    taiwan: "TW",
    "taiwan roc": "TW",
    "republic of china": "TW",
    korea: "KR",
    "south korea": "KR",
    "republic of korea": "KR",
    brasil: "BR",
    "united states of america": "US",
    usa: "US",
    uk: "GB",
    "great britain": "GB",
    "viet nam": "VN",
    香港: "HK",
    台灣: "TW",
    台湾: "TW",
    대한민국: "KR",
    한국: "KR",
    新加坡: "SG",
    马来西亚: "MY",
    馬來西亞: "MY",
  };
  for (const [name, code] of Object.entries(aliases)) regionNames.set(fold(name), code);
}

function fold(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** An ISO 3166-1 alpha-2 code from a code or a country name ("Hong Kong", "Brasil"); null if unknown. */
export function resolveRegion(value: string | null | undefined): CountryCode | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = trimmed.toUpperCase() === "UK" ? "GB" : trimmed.toUpperCase();
    return COUNTRIES.has(code) ? (code as CountryCode) : null;
  }
  return regionNames.get(fold(trimmed)) ?? null;
}

const BR_MOBILE_8 = /^(\d{2})([6-9]\d{7})$/;

function tryParse(text: string, region: CountryCode | undefined): { e164: string; region: string | null } | string {
  try {
    const n = parsePhoneNumberWithError(text, region ? { defaultCountry: region } : undefined);
    if (n.isValid()) return { e164: n.number, region: n.country ?? null };
    // Brazil's ninth digit: mobiles gained a leading 9 (2012-2016); old 8-digit mobiles are invalid now.
    if (n.countryCallingCode === "55") {
      const m = BR_MOBILE_8.exec(n.nationalNumber);
      if (m) {
        const fixed = parsePhoneNumberWithError(`+55${m[1]}9${m[2]}`);
        if (fixed.isValid()) return { e164: fixed.number, region: "BR" };
      }
    }
    return `not a valid number for ${n.country ?? `+${n.countryCallingCode}`}`;
  } catch (err) {
    if (err instanceof ParseError) return err.message;
    throw err;
  }
}

/**
 * Normalises one phone number as typed by staff. `country` is the record's country (code or name);
 * `defaultRegion` is the configured fallback. Tries the number as typed, then, for digits that
 * already start with a country calling code but lack the "+", with a "+" in front.
 */
export function normalisePhone(
  raw: string | null | undefined,
  country: string | null | undefined,
  defaultRegion: string,
): NormalisedPhone {
  if (raw === null || raw === undefined || raw.trim() === "") return { e164: null, region: null, error: "empty" };
  const region = resolveRegion(country) ?? resolveRegion(defaultRegion) ?? undefined;
  let text = raw.normalize("NFKC").trim();
  // Extensions and trailing notes ("ext 12", "(mobile)") are not part of the E.164 number.
  text = text.replace(/\s*(?:ext\.?|x|#)\s*\d+\s*$/i, "").replace(/\([^)]*[A-Za-z][^)]*\)/g, "");
  if (/^00(?!0)/.test(text.replace(/[\s\-.()]/g, ""))) text = "+" + text.replace(/[\s\-.()]/g, "").slice(2);
  const first = tryParse(text, region);
  if (typeof first !== "string") return { ...first, error: null };
  const digits = text.replace(/\D/g, "");
  if (!text.startsWith("+") && digits.length >= 8 && !digits.startsWith("0")) {
    const second = tryParse("+" + digits, undefined);
    if (typeof second !== "string") return { ...second, error: null };
  }
  return { e164: null, region: null, error: region ? `${first} (region ${region})` : first };
}
