import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Meta's `X-Hub-Signature-256`: `sha256=` + hex HMAC-SHA256 of the raw body bytes, keyed with the
 * app secret. Verified over the exact bytes received (never a re-serialised body), compared in
 * constant time, against every configured secret (rotation, several apps).
 */
export const SIGNATURE_HEADER = "x-hub-signature-256";

export type SignatureRejection = "missing_signature" | "malformed_signature" | "bad_signature";

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: SignatureRejection };

/** The header value Meta would send for `body` signed with `secret`. */
export function signBody(secret: string, body: Uint8Array | string): string {
  return "sha256=" + createHmac("sha256", secret).update(body).digest("hex");
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

export function verifySignature(
  header: string | string[] | undefined,
  body: Uint8Array,
  secrets: readonly string[],
): SignatureCheck {
  if (header === undefined || (Array.isArray(header) && header.length === 0) || header === "") {
    return { ok: false, reason: "missing_signature" };
  }
  // Several X-Hub-Signature-256 headers are not something Meta sends: refuse rather than guess.
  if (Array.isArray(header)) return { ok: false, reason: "malformed_signature" };
  const value = header.trim();
  const eq = value.indexOf("=");
  if (eq < 0 || value.slice(0, eq).toLowerCase() !== "sha256") return { ok: false, reason: "malformed_signature" };
  const hex = value.slice(eq + 1);
  if (!HEX64.test(hex)) return { ok: false, reason: "malformed_signature" };
  const given = Buffer.from(hex, "hex");
  // Every secret is tried (no early exit), so timing does not tell which one matched.
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac("sha256", secret).update(body).digest();
    if (timingSafeEqual(expected, given)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: "bad_signature" };
}

/** Constant-time string equality (both sides hashed first, so lengths do not leak either). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a, "utf8").digest();
  const hb = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(ha, hb);
}
