/**
 * Slack's request signing (v0), as "Verifying requests from Slack" describes it: the
 * X-Slack-Signature header is `v0=` and the hex HMAC-SHA256, keyed with the app's signing
 * secret, of `v0:<X-Slack-Request-Timestamp>:<the raw body>`. A request signed more than five
 * minutes from now, either way, is refused: a captured request cannot be played again later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-slack-signature';
export const TIMESTAMP_HEADER = 'x-slack-request-timestamp';
/** How far a request's timestamp may be from our clock, in seconds. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/** What the request says about its signing: the two headers, absent when missing. */
export interface SlackSignedHeaders {
  signature: string | undefined;
  timestamp: string | undefined;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** The signature Slack would send for this body at this timestamp: `v0=<hex>`. */
export function slackSignature(signingSecret: string, timestamp: string, body: Uint8Array | string): string {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`);
  hmac.update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  return `v0=${hmac.digest('hex')}`;
}

/** Whether Slack signed exactly these bytes, recently; the reason names no secret and no signature. */
export function verifySlackSignature(headers: SlackSignedHeaders, body: Uint8Array, signingSecret: string, now: Date): SignatureCheck {
  const { signature, timestamp } = headers;
  if (!signature) return { ok: false, reason: 'the request has no X-Slack-Signature header' };
  if (!timestamp) return { ok: false, reason: 'the request has no X-Slack-Request-Timestamp header' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'X-Slack-Request-Timestamp is not a time in seconds' };
  const skew = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (Math.abs(skew) > MAX_CLOCK_SKEW_SECONDS) {
    const when = skew > 0 ? `${skew} seconds ago` : `${-skew} seconds in the future`;
    return { ok: false, reason: `the request was signed ${when}, more than 5 minutes from our clock (a replayed request, or a clock that is off)` };
  }
  if (!signature.startsWith('v0=')) return { ok: false, reason: 'X-Slack-Signature is not a v0 signature' };
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // Equal lengths first: timingSafeEqual throws on different lengths, and the length is no secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'the signature does not match (signed with another secret, or the body was changed on the way)' };
  }
  return { ok: true };
}
