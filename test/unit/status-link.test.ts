import { describe, expect, it } from 'vitest';
import { checkStatusToken, signStatusToken, statusLink } from '../../src/domain/status-link.js';

const KEY = 'k'.repeat(40);
const OLD_KEY = 'o'.repeat(40);
const TICKET = '0f1e2d3c4b5a69788796a5b4';
const NOW = new Date('2026-12-06T09:00:00Z');
const LATER = new Date('2026-12-07T09:00:00Z');

describe('status links', () => {
  it('open the ticket they name until they expire', () => {
    const token = signStatusToken(TICKET, LATER, [KEY]);
    expect(checkStatusToken(token, [KEY], NOW)).toEqual({ ok: true, ticketKey: TICKET, expiresAt: LATER });
    expect(checkStatusToken(token, [KEY], LATER)).toEqual({ ok: false, problem: 'expired' });
  });

  it('keep working while their key is still listed after a rotation, and not after it is dropped', () => {
    const token = signStatusToken(TICKET, LATER, [OLD_KEY]);
    expect(checkStatusToken(token, [KEY, OLD_KEY], NOW).ok).toBe(true);
    expect(checkStatusToken(token, [KEY], NOW)).toEqual({ ok: false, problem: 'bad-signature' });
  });

  it('refuse any change: another ticket, a later expiry, a changed or cut signature, junk', () => {
    const token = signStatusToken(TICKET, LATER, [KEY]);
    const [ticket, expiry, mac] = token.split('.') as [string, string, string];
    const otherTicket = `${'a'.repeat(24)}.${expiry}.${mac}`;
    const longer = `${ticket}.${(parseInt(expiry, 36) + 86400).toString(36)}.${mac}`;
    const flipped = `${ticket}.${expiry}.${mac.slice(0, 20)}${mac[20] === 'A' ? 'B' : 'A'}${mac.slice(21)}`;
    // The same bytes spelt another way (the last character's two spare bits set): not ours either.
    const last = mac.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelt = `${ticket}.${expiry}.${mac.slice(0, -1)}${alphabet[alphabet.indexOf(last) | 1]}`;
    expect(checkStatusToken(respelt, [KEY], NOW)).toEqual({ ok: false, problem: 'bad-signature' });
    expect(checkStatusToken(otherTicket, [KEY], NOW)).toEqual({ ok: false, problem: 'bad-signature' });
    expect(checkStatusToken(longer, [KEY], NOW)).toEqual({ ok: false, problem: 'bad-signature' });
    expect(checkStatusToken(flipped, [KEY], NOW)).toEqual({ ok: false, problem: 'bad-signature' });
    for (const junk of ['', 'x', `${ticket}.${expiry}`, `${ticket}.${expiry}.${mac.slice(1)}`, `${ticket.toUpperCase()}.${expiry}.${mac}`, `${token}.x`]) {
      expect(checkStatusToken(junk, [KEY], NOW), junk).toEqual({ ok: false, problem: 'malformed' });
    }
  });

  it('are made only where a key is configured, under the base URL, for the configured days', () => {
    expect(statusLink(TICKET, NOW, { baseUrl: 'https://help.example', linkKeys: [], statusLinkDays: 90 })).toBeNull();
    const link = statusLink(TICKET, NOW, { baseUrl: 'https://help.example', linkKeys: [KEY], statusLinkDays: 2 })!;
    expect(link).toMatch(/^https:\/\/help\.example\/s\/[0-9a-f]{24}\.[0-9a-z]+\.[\w-]{43}$/);
    const check = checkStatusToken(link.split('/s/')[1]!, [KEY], NOW);
    expect(check).toEqual({ ok: true, ticketKey: TICKET, expiresAt: new Date('2026-12-08T09:00:00Z') });
  });
});
