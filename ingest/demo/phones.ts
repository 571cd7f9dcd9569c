import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { MarketCode } from "./markets.ts";
import type { Rng } from "./rng.ts";

/**
 * Real numbering plans: each generator returns E.164 digits (no '+') of a mobile number that
 * libphonenumber-js (max metadata) accepts. `messyLocal` renders them the way CRM staff type them.
 */
const BR_DDD = ["11", "21", "31", "41", "51", "61", "71", "81", "19", "27", "48", "85"];

function candidate(rng: Rng, market: MarketCode): string {
  switch (market) {
    case "HK":
      return "852" + rng.pick(["5", "6", "9"]) + rng.digits(7);
    case "TW":
      return "8869" + rng.digits(8);
    case "KR":
      return "8210" + rng.int(2, 9) + rng.digits(7);
    case "SG":
      return "65" + rng.pick(["8", "9"]) + rng.digits(7);
    case "MY":
      return rng.chance(0.2)
        ? "6011" + rng.digits(8)
        : "601" + rng.pick(["2", "3", "6", "7", "8", "9"]) + rng.digits(7);
    case "BR":
      return "55" + rng.pick(BR_DDD) + "9" + rng.int(6, 9) + rng.digits(7);
    case "IN":
      return "91" + rng.pick(["6", "7", "8", "9"]) + rng.digits(9);
  }
}

export function mobileNumber(rng: Rng, market: MarketCode): string {
  for (let i = 0; i < 50; i++) {
    const digits = candidate(rng, market);
    const p = parsePhoneNumberFromString("+" + digits);
    if (p?.isValid()) {
      const type = p.getType();
      if (type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE") return digits;
    }
  }
  throw new Error(`could not draw a valid ${market} mobile number`);
}

/** Brazilian mobile without the ninth digit (the WhatsApp/CRM quirk): 55 DD 9XXXXXXXX -> 55 DD XXXXXXXX. */
export function dropBrazilNinthDigit(e164: string): string {
  if (e164.startsWith("55") && e164.length === 13 && e164[4] === "9") return e164.slice(0, 4) + e164.slice(5);
  return e164;
}

/** A local rendering as CRM staff might type it (spaces, dashes, trunk 0, sometimes +CC). */
export function messyLocal(rng: Rng, market: MarketCode, e164: string, callingCode: string): string {
  const national = e164.slice(callingCode.length);
  const style = rng.int(0, 9);
  if (style === 0) return "+" + e164;
  if (style === 1) return "+" + callingCode + " " + national;
  if (style === 2) return e164; // no plus
  switch (market) {
    case "HK":
    case "SG":
      return style < 6
        ? national.slice(0, 4) + " " + national.slice(4)
        : style < 8
          ? national
          : national.slice(0, 4) + "-" + national.slice(4);
    case "TW":
      return style < 6
        ? "0" + national.slice(0, 3) + "-" + national.slice(3, 6) + "-" + national.slice(6)
        : "0" + national;
    case "KR":
      return style < 7
        ? "0" + national.slice(0, 2) + "-" + national.slice(2, 6) + "-" + national.slice(6)
        : "0" + national;
    case "MY":
      return style < 6
        ? "0" + national.slice(0, 2) + "-" + national.slice(2)
        : "0" + national.slice(0, 2) + " " + national.slice(2, 5) + " " + national.slice(5);
    case "BR":
      return style < 6
        ? "(" + national.slice(0, 2) + ") " + national.slice(2, national.length - 4) + "-" + national.slice(-4)
        : "0" + national.slice(0, 2) + " " + national.slice(2);
    case "IN":
      return style < 6 ? "0" + national : national.slice(0, 5) + " " + national.slice(5);
  }
}

/** Garbage some staff type into the phone field. */
export const GARBAGE_PHONES = ["n/a", "N/A", "-", "123", "0000", "tbc", "9123", "+852", "unknown"] as const;
