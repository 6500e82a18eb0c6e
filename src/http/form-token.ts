/**
 * CSRF protection for our HTML forms: a signed double-submit token. The browser holds a random
 * nonce in an HttpOnly, SameSite=Strict cookie; each form carries the HMAC of that nonce, so a
 * page on another site can neither read the nonce nor make the token. The Origin check
 * (hono/csrf) comes on top.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { signature, signedWithAnyKey } from '../domain/signature.js';

const PURPOSE = 'ticketing form token v1';

function cookieName(plainHttp: boolean): string {
  // __Host- keeps the cookie to this exact origin; browsers take it only over https.
  return plainHttp ? 'tkt_form' : '__Host-tkt_form';
}

/** The token for this browser's forms (its nonce cookie set now if it has none). */
export function formToken(c: Context, keys: readonly string[], plainHttp: boolean): string {
  const name = cookieName(plainHttp);
  let nonce = getCookie(c, name);
  if (!nonce || !/^[\w-]{22}$/.test(nonce)) {
    nonce = randomBytes(16).toString('base64url');
    setCookie(c, name, nonce, { httpOnly: true, secure: !plainHttp, sameSite: 'Strict', path: '/', maxAge: 12 * 3600 });
  }
  return signature(keys[0]!, PURPOSE, nonce);
}

/** Whether a submitted token belongs to this browser's nonce (under any current key). */
export function formTokenValid(c: Context, token: unknown, keys: readonly string[], plainHttp: boolean): boolean {
  const nonce = getCookie(c, cookieName(plainHttp));
  return Boolean(nonce) && typeof token === 'string' && signedWithAnyKey(token, keys, PURPOSE, nonce!);
}
