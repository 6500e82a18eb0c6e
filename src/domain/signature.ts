/**
 * HMAC-SHA256 signatures under a purpose label, for everything we sign with the link keys
 * (status links, form tokens, console session cookies): a signature made for one purpose passes
 * for no other, and every listed key verifies, so keys rotate. No I/O.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The signature of `body` for `purpose` under `key`: 43 base64url characters. */
export function signature(key: string, purpose: string, body: string): string {
  return createHmac('sha256', key).update(`${purpose}\n${body}`).digest('base64url');
}

/**
 * Whether `given` is the signature of `body` for `purpose` under one of `keys`. Only the spelling
 * we write counts: base64url's last character has two spare bits that decoding ignores.
 */
export function signedWithAnyKey(given: string, keys: readonly string[], purpose: string, body: string): boolean {
  if (!/^[\w-]{43}$/.test(given)) return false;
  const bytes = Buffer.from(given, 'base64url');
  if (bytes.toString('base64url') !== given) return false;
  return keys.some((key) => timingSafeEqual(Buffer.from(signature(key, purpose, body), 'base64url'), bytes));
}
