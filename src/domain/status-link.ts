/**
 * Status links: `{baseUrl}/s/{token}`, mailed to a ticket's requester, open that ticket's status
 * page and let its holder answer as the requester. The token names the ticket and when it stops
 * working, signed with HMAC-SHA256 under a purpose label, so it proves only that: a link for one
 * ticket opens no other, and no other token of ours passes for it. No I/O.
 *
 * Keys rotate: the first key signs, every listed key verifies (signature.ts).
 */
import { signature, signedWithAnyKey } from './signature.js';

const PURPOSE = 'ticketing status link v1';
const TICKET_KEY = /^[0-9a-f]{24}$/;

export type StatusLinkCheck =
  | { ok: true; ticketKey: string; expiresAt: Date }
  | { ok: false; problem: 'malformed' | 'bad-signature' | 'expired' };

export function signStatusToken(ticketKey: string, expiresAt: Date, keys: readonly string[]): string {
  const key = keys[0];
  if (!key) throw new Error('no link key is configured to sign status links with');
  const body = `${ticketKey}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
  return `${body}.${signature(key, PURPOSE, body)}`;
}

export function checkStatusToken(token: string, keys: readonly string[], now: Date): StatusLinkCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || !TICKET_KEY.test(parts[0]!) || !/^[0-9a-z]{1,10}$/.test(parts[1]!) || !/^[\w-]{43}$/.test(parts[2]!)) return { ok: false, problem: 'malformed' };
  if (!signedWithAnyKey(parts[2]!, keys, PURPOSE, `${parts[0]}.${parts[1]}`)) return { ok: false, problem: 'bad-signature' };
  const expiresAt = new Date(parseInt(parts[1]!, 36) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, problem: 'expired' };
  return { ok: true, ticketKey: parts[0]!, expiresAt };
}

/** The link for a ticket's requester, or null when no key is configured (no links in mail then). */
export function statusLink(ticketKey: string, now: Date, web: { baseUrl: string; linkKeys: readonly string[]; statusLinkDays: number }): string | null {
  if (!web.linkKeys.length) return null;
  const expires = new Date(now.getTime() + web.statusLinkDays * 24 * 3600_000);
  return `${web.baseUrl}/s/${signStatusToken(ticketKey, expires, web.linkKeys)}`;
}
