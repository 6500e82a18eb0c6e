/**
 * Slack's v0 request signing, against the worked example on Slack's "Verifying requests from
 * Slack" page and an independent HMAC computed here with node:crypto (so the scheme is checked,
 * not the signer echoed back): the five-minute window both ways, missing headers, one byte changed.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackSignature } from '../../src/http/slack/signature.js';

// Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TIMESTAMP = '1531420618';
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

const SECRET = 'test-signing-secret-0123456789abcdef';
const NOW = new Date('2026-12-06T09:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const body = new TextEncoder().encode(`payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'U0ALEX' } }))}`);

/** The signature computed here, independently of src/http/slack/signature.ts. */
function independent(secret: string, timestamp: string, bytes: Uint8Array): string {
  return `v0=${createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`v0:${timestamp}:`), Buffer.from(bytes)])).digest('hex')}`;
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("Slack's request signature", () => {
  it("matches the worked example on Slack's page, and that request verifies at its own time", () => {
    expect(slackSignature(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY)).toBe(DOC_SIGNATURE);
    expect(slackSignature(DOC_SECRET, DOC_TIMESTAMP, bytes(DOC_BODY))).toBe(DOC_SIGNATURE);
    const at = new Date(Number(DOC_TIMESTAMP) * 1000 + 30_000);
    expect(verifySlackSignature({ signature: DOC_SIGNATURE, timestamp: DOC_TIMESTAMP }, bytes(DOC_BODY), DOC_SECRET, at)).toEqual({ ok: true });
  });

  it('takes a request signed now with the signing secret', () => {
    const timestamp = String(nowSeconds);
    const signature = independent(SECRET, timestamp, body);
    expect(slackSignature(SECRET, timestamp, body)).toBe(signature);
    expect(verifySlackSignature({ signature, timestamp }, body, SECRET, NOW)).toEqual({ ok: true });
  });

  it('takes a request signed 4 minutes 59 seconds before or after our clock', () => {
    for (const skew of [-299, 299, 300, -300]) {
      const timestamp = String(nowSeconds + skew);
      expect(verifySlackSignature({ signature: independent(SECRET, timestamp, body), timestamp }, body, SECRET, NOW).ok).toBe(true);
    }
  });

  it('refuses a bad signature, and one made with another secret', () => {
    const timestamp = String(nowSeconds);
    const good = independent(SECRET, timestamp, body);
    const flipped = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
    expect(verifySlackSignature({ signature: flipped, timestamp }, body, SECRET, NOW)).toEqual({ ok: false, reason: expect.stringMatching(/^the signature does not match/) });
    expect(verifySlackSignature({ signature: 'v0=lolno', timestamp }, body, SECRET, NOW)).toEqual({ ok: false, reason: expect.stringMatching(/^the signature does not match/) });
    const other = independent('another-apps-signing-secret-000000', timestamp, body);
    expect(verifySlackSignature({ signature: other, timestamp }, body, SECRET, NOW)).toEqual({ ok: false, reason: expect.stringMatching(/^the signature does not match/) });
    expect(verifySlackSignature({ signature: good.replace('v0=', 'v1='), timestamp }, body, SECRET, NOW)).toEqual({ ok: false, reason: 'X-Slack-Signature is not a v0 signature' });
  });

  it('refuses a request signed 6 minutes ago, or 6 minutes in the future, even with a good signature', () => {
    const old = String(nowSeconds - 360);
    expect(verifySlackSignature({ signature: independent(SECRET, old, body), timestamp: old }, body, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'the request was signed 360 seconds ago, more than 5 minutes from our clock (a replayed request, or a clock that is off)',
    });
    const ahead = String(nowSeconds + 360);
    expect(verifySlackSignature({ signature: independent(SECRET, ahead, body), timestamp: ahead }, body, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'the request was signed 360 seconds in the future, more than 5 minutes from our clock (a replayed request, or a clock that is off)',
    });
  });

  it('refuses a request without the signature or the timestamp header, or with a timestamp that is not seconds', () => {
    const timestamp = String(nowSeconds);
    const signature = independent(SECRET, timestamp, body);
    expect(verifySlackSignature({ signature: undefined, timestamp }, body, SECRET, NOW)).toEqual({ ok: false, reason: 'the request has no X-Slack-Signature header' });
    expect(verifySlackSignature({ signature, timestamp: undefined }, body, SECRET, NOW)).toEqual({ ok: false, reason: 'the request has no X-Slack-Request-Timestamp header' });
    expect(verifySlackSignature({ signature: '', timestamp: '' }, body, SECRET, NOW).ok).toBe(false);
    for (const bad of ['1.5e9', ' 1764997200', '-60', 'now']) {
      expect(verifySlackSignature({ signature: independent(SECRET, bad, body), timestamp: bad }, body, SECRET, NOW)).toEqual({ ok: false, reason: 'X-Slack-Request-Timestamp is not a time in seconds' });
    }
  });

  it('refuses the body with one byte changed, added or taken away', () => {
    const timestamp = String(nowSeconds);
    const signature = independent(SECRET, timestamp, body);
    const changed = Uint8Array.from(body);
    changed[10] = changed[10]! ^ 0x01;
    expect(verifySlackSignature({ signature, timestamp }, changed, SECRET, NOW).ok).toBe(false);
    expect(verifySlackSignature({ signature, timestamp }, Uint8Array.from([...body, 0x20]), SECRET, NOW).ok).toBe(false);
    expect(verifySlackSignature({ signature, timestamp }, body.slice(0, -1), SECRET, NOW).ok).toBe(false);
    // The timestamp is signed too: the same signature with another time does not pass.
    expect(verifySlackSignature({ signature, timestamp: String(nowSeconds + 1) }, body, SECRET, NOW).ok).toBe(false);
  });

  it('checks the bytes as sent: a body that is not valid UTF-8 still verifies exactly', () => {
    const timestamp = String(nowSeconds);
    const raw = Uint8Array.from([0x70, 0x3d, 0xff, 0xfe, 0xc3]);
    expect(verifySlackSignature({ signature: independent(SECRET, timestamp, raw), timestamp }, raw, SECRET, NOW)).toEqual({ ok: true });
  });
});
