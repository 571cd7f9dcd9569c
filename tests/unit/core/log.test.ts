import { describe, expect, it } from "vitest";
import { redact, registerSecret } from "../../../core/log.ts";

describe("log redaction", () => {
  it("hides phone numbers in the formats they arrive in", () => {
    for (const phone of ["85291234567", "+852 9123 4567", "010-1234-5678", "(11) 91234-5678", "+55 11 91234-5678"]) {
      expect(redact(`contact ${phone} failed`)).toBe("contact [phone] failed");
    }
    expect(redact('{"wa_id":"886912345678"}')).toBe('{"wa_id":"[phone]"}');
  });

  it("keeps ids, timestamps and counts readable", () => {
    const line =
      "CRM snapshot 20261127T025055123Z: 1667 contacts, 111,680 rows in 1.2 s on 2026-11-27; model churn-20261127040816";
    expect(redact(line)).toBe(line);
  });

  it("hides registered secrets", () => {
    registerSecret("s3cr3t-app-secret");
    expect(redact("using s3cr3t-app-secret now")).toBe("using [secret] now");
  });
});
