import { describe, expect, it } from "vitest";
import { handshake } from "../../../ingest/receiver/handshake.ts";
import { constantTimeEqual, signBody, verifySignature } from "../../../ingest/receiver/signature.ts";

const SECRET = "app-secret-one";
const NEXT = "app-secret-two";
// What Meta sends: non-ASCII escaped as \uXXXX, no whitespace.
const wire = Buffer.from(
  '{"object":"whatsapp_business_account","entry":[{"text":"\\u00e4\\u00f6\\u00e5 hi"}]}',
  "utf8",
);

describe("X-Hub-Signature-256", () => {
  it("accepts the HMAC-SHA256 of the raw bytes", () => {
    expect(verifySignature(signBody(SECRET, wire), wire, [SECRET])).toEqual({ ok: true });
  });

  it("accepts upper-case hex and surrounding whitespace", () => {
    const sig = signBody(SECRET, wire);
    expect(verifySignature(` sha256=${sig.slice(7).toUpperCase()} `, wire, [SECRET]).ok).toBe(true);
  });

  it("rejects a missing, empty or malformed header", () => {
    expect(verifySignature(undefined, wire, [SECRET])).toEqual({ ok: false, reason: "missing_signature" });
    expect(verifySignature("", wire, [SECRET])).toEqual({ ok: false, reason: "missing_signature" });
    expect(verifySignature("sha1=abc", wire, [SECRET])).toEqual({ ok: false, reason: "malformed_signature" });
    expect(verifySignature("sha256=zz", wire, [SECRET])).toEqual({ ok: false, reason: "malformed_signature" });
    expect(verifySignature(signBody(SECRET, wire).slice(7), wire, [SECRET])).toEqual({
      ok: false,
      reason: "malformed_signature",
    });
    expect(verifySignature([signBody(SECRET, wire)], wire, [SECRET]).ok).toBe(false);
  });

  it("rejects a signature made with another secret or over other bytes", () => {
    expect(verifySignature(signBody("someone-else", wire), wire, [SECRET])).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    const tampered = Buffer.from(wire.toString("utf8").replace("hi", "ho"));
    expect(verifySignature(signBody(SECRET, wire), tampered, [SECRET]).ok).toBe(false);
  });

  it("rejects a body re-serialised by a proxy (unicode unescaped, whitespace changed)", () => {
    const sig = signBody(SECRET, wire);
    const reparsed = JSON.parse(wire.toString("utf8")) as unknown;
    const unescaped = Buffer.from(JSON.stringify(reparsed), "utf8"); // "äöå" as UTF-8 bytes
    const pretty = Buffer.from(JSON.stringify(reparsed, null, 2), "utf8");
    expect(unescaped.equals(wire)).toBe(false);
    expect(JSON.parse(unescaped.toString("utf8"))).toEqual(reparsed); // same data, other bytes
    expect(verifySignature(sig, unescaped, [SECRET])).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifySignature(sig, pretty, [SECRET])).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("accepts any configured secret (rotation, several apps)", () => {
    expect(verifySignature(signBody(NEXT, wire), wire, [SECRET, NEXT]).ok).toBe(true);
    expect(verifySignature(signBody(SECRET, wire), wire, [SECRET, NEXT]).ok).toBe(true);
    expect(verifySignature(signBody(NEXT, wire), wire, [SECRET]).ok).toBe(false);
    expect(verifySignature(signBody(SECRET, wire), wire, []).ok).toBe(false);
  });

  it("compares strings in constant time without throwing on different lengths", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
  });
});

describe("verification handshake (GET)", () => {
  const q = (s: string) => new URLSearchParams(s);

  it("answers the challenge for the right token", () => {
    expect(handshake(q("hub.mode=subscribe&hub.verify_token=tok-123&hub.challenge=1158201444"), "tok-123")).toEqual({
      ok: true,
      challenge: "1158201444",
    });
  });

  it("refuses a wrong token with 403", () => {
    expect(handshake(q("hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1"), "tok-123")).toEqual({
      ok: false,
      status: 403,
      reason: "handshake_bad_token",
    });
  });

  it("refuses when no verify token is configured", () => {
    expect(handshake(q("hub.mode=subscribe&hub.verify_token=x&hub.challenge=1"), undefined)).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  it("refuses other modes and missing parameters with 400", () => {
    for (const s of [
      "hub.mode=unsubscribe&hub.verify_token=tok-123&hub.challenge=1",
      "hub.verify_token=tok-123&hub.challenge=1",
      "hub.mode=subscribe&hub.challenge=1",
      "hub.mode=subscribe&hub.verify_token=tok-123",
      "hub.mode=subscribe&hub.verify_token=tok-123&hub.challenge=",
    ]) {
      expect(handshake(q(s), "tok-123")).toMatchObject({ ok: false, status: 400 });
    }
  });
});
