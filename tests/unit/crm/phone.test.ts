import { describe, expect, it } from "vitest";
import { normalisePhone, resolveRegion } from "../../../ingest/crm/phone.ts";

/** Numbers as staff type them in every demo market (R2), with the record's country. */
const CASES: Array<[raw: string, country: string | null, e164: string]> = [
  // Hong Kong: 8 digits, no trunk prefix; with and without the country code, "00" international prefix
  ["9123 4567", "HK", "+85291234567"],
  ["+852 9123-4567", null, "+85291234567"],
  ["852 91234567", "Hong Kong", "+85291234567"],
  ["00852 9123 4567", "TW", "+85291234567"],
  // Taiwan: leading 0 national formats
  ["0912-345-678", "TW", "+886912345678"],
  ["0912345678", "Taiwan", "+886912345678"],
  ["(02) 2345-6789", "TW", "+886223456789"],
  // Korea: 010 mobiles, 02 Seoul landlines
  ["010-1234-5678", "KR", "+821012345678"],
  ["010 1234 5678", "South Korea", "+821012345678"],
  ["02-312-3456", "KR", "+8223123456"],
  // Singapore
  ["9123 4567", "SG", "+6591234567"],
  ["+65 8123 4567", null, "+6581234567"],
  // Malaysia: 01x mobiles (011 has 8 subscriber digits), 03 Kuala Lumpur
  ["012-345 6789", "MY", "+60123456789"],
  ["011-2345 6789", "Malaysia", "+601123456789"],
  ["03-2161 2345", "MY", "+60321612345"],
  // Brazil: the ninth digit, old 8-digit mobiles, trunk 0 with and without a carrier code
  ["(11) 98765-4321", "BR", "+5511987654321"],
  ["(11) 8765-4321", "BR", "+5511987654321"],
  ["+55 21 8765 4321", null, "+5521987654321"],
  ["011 98765 4321", "Brasil", "+5511987654321"],
  ["0 21 11 98765-4321", "BR", "+5511987654321"],
  // India: leading 0, spaces and dashes
  ["098765 43210", "IN", "+919876543210"],
  ["+91 98765-43210", null, "+919876543210"],
  ["09876543210", "India", "+919876543210"],
  // Full-width digits and extensions
  ["９１２３４５６７", "HK", "+85291234567"],
  ["9123 4567 ext 12", "HK", "+85291234567"],
];

describe("phone normalisation to E.164", () => {
  it.each(CASES)("%s (%s) -> %s", (raw, country, e164) => {
    expect(normalisePhone(raw, country, "HK")).toMatchObject({ e164, error: null });
  });

  it("uses the configured default region when the record has no usable country", () => {
    expect(normalisePhone("0912 345 678", null, "TW").e164).toBe("+886912345678");
    expect(normalisePhone("0912 345 678", "Atlantis", "TW").e164).toBe("+886912345678");
  });

  it("keeps the reason when a number cannot be normalised", () => {
    expect(normalisePhone("abc", "HK", "HK")).toEqual({ e164: null, region: null, error: "NOT_A_NUMBER (region HK)" });
    expect(normalisePhone("123", "HK", "HK").error).toMatch(/not a valid number/);
    expect(normalisePhone("  ", "HK", "HK").error).toBe("empty");
  });

  it("resolves country codes and names", () => {
    expect(["hk", "Hong Kong", "Taiwan", "Brasil", "South Korea", "UK", "xx"].map(resolveRegion)).toEqual([
      "HK",
      "HK",
      "TW",
      "BR",
      "KR",
      "GB",
      null,
    ]);
  });
});
