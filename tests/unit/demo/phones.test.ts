import { isValidPhoneNumber, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { MARKETS } from "../../../ingest/demo/markets.ts";
import { dropBrazilNinthDigit, messyLocal, mobileNumber } from "../../../ingest/demo/phones.ts";
import { Rng } from "../../../ingest/demo/rng.ts";
import { escapeNonAscii } from "../../../ingest/demo/webhooks.ts";
import { csvField } from "../../../ingest/demo/marketing-writer.ts";

describe("demo phones", () => {
  it("draws valid mobile numbers in every market", () => {
    const rng = new Rng(1);
    for (const m of MARKETS) {
      for (let i = 0; i < 200; i++) {
        const d = mobileNumber(rng, m.code);
        expect(d.startsWith(m.callingCode)).toBe(true);
        expect(isValidPhoneNumber("+" + d)).toBe(true);
        expect(parsePhoneNumberFromString("+" + d)?.getType()).toMatch(/MOBILE/);
        // The messy CRM rendering still parses back to the same number in its market.
        const messy = messyLocal(rng, m.code, d, m.callingCode);
        const back = parsePhoneNumberFromString(
          messy.startsWith("+")
            ? messy
            : messy.startsWith(m.callingCode) && !messy.startsWith("0") && messy.length > 11
              ? "+" + messy
              : messy,
          m.code,
        );
        expect(back?.number, messy).toBe("+" + d);
      }
    }
  });

  it("drops Brazil's ninth digit the way WhatsApp ids sometimes do", () => {
    expect(dropBrazilNinthDigit("5511987654321")).toBe("551187654321");
    expect(dropBrazilNinthDigit("85291234567")).toBe("85291234567");
  });

  it("is a deterministic PRNG", () => {
    const a = new Rng(99);
    const b = new Rng(99);
    for (let i = 0; i < 100; i++) expect(a.u32()).toBe(b.u32());
  });

  it("escapes non-ASCII like Meta and quotes CSV per RFC 4180", () => {
    expect(escapeNonAscii(JSON.stringify({ t: "mangé 多謝 😊" }))).toBe(
      '{"t":"mang\\u00e9 \\u591a\\u8b1d \\ud83d\\ude0a"}',
    );
    expect(JSON.parse(escapeNonAscii(JSON.stringify({ t: "多謝 😊" }))).t).toBe("多謝 😊");
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField(null)).toBe("");
  });
});
