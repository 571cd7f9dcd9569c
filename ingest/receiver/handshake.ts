import { constantTimeEqual } from "./signature.ts";

/**
 * Meta's verification GET: `?hub.mode=subscribe&hub.verify_token=<ours>&hub.challenge=<random>`;
 * the answer is 200 with the challenge as the body, anything else leaves the endpoint unverified.
 * The GET carries no signature.
 */
export type HandshakeRejection = "handshake_not_configured" | "handshake_bad_request" | "handshake_bad_token";

export type HandshakeResult =
  | { readonly ok: true; readonly challenge: string }
  | { readonly ok: false; readonly status: 400 | 403; readonly reason: HandshakeRejection };

/** Challenges are short random strings (Meta sends an integer); anything longer is refused. */
const MAX_CHALLENGE = 1024;

export function handshake(query: URLSearchParams, verifyToken: string | undefined): HandshakeResult {
  const mode = query.get("hub.mode");
  const token = query.get("hub.verify_token");
  const challenge = query.get("hub.challenge");
  if (mode !== "subscribe" || token === null || challenge === null || challenge === "") {
    return { ok: false, status: 400, reason: "handshake_bad_request" };
  }
  if (challenge.length > MAX_CHALLENGE || /[\r\n]/.test(challenge)) {
    return { ok: false, status: 400, reason: "handshake_bad_request" };
  }
  if (verifyToken === undefined || verifyToken === "") {
    return { ok: false, status: 403, reason: "handshake_not_configured" };
  }
  if (!constantTimeEqual(token, verifyToken)) return { ok: false, status: 403, reason: "handshake_bad_token" };
  return { ok: true, challenge };
}
