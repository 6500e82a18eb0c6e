/**
 * Staff sign-in without passwords: a one-time link mailed to a staff address, good for a few
 * minutes, once, and only in the browser that asked for it (its nonce cookie); then a session
 * kept in the store (so signing out ends it everywhere) behind a signed, HttpOnly cookie, ended
 * by idleness or age. The store holds hashes of the link and the nonce, never either.
 */
import { createHash, randomBytes } from 'node:crypto';
import { signature, signedWithAnyKey } from '../../domain/signature.js';

/** A sign-in link asked for, not yet used. */
export interface SignInRecord {
  /** SHA-256 of the link's token. */
  tokenHash: string;
  address: string;
  /** SHA-256 of the nonce in the asking browser's cookie. */
  browserHash: string;
  validUntil: string;
}

export interface ConsoleSession {
  id: string;
  address: string;
  createdAt: string;
  lastSeenAt: string;
}

/** Where sign-in links and sessions are kept (the ticket table; expired ones go by TTL). */
export interface ConsoleSessionStore {
  putSignIn(record: SignInRecord): Promise<void>;
  /**
   * Marks the link used, if it is unused, unexpired at `at` and was asked for by this browser:
   * the record then, else null. Another browser's attempt leaves it usable.
   */
  useSignIn(tokenHash: string, browserHash: string, at: string): Promise<SignInRecord | null>;
  putSession(session: ConsoleSession, expiresAt: string): Promise<void>;
  getSession(id: string): Promise<ConsoleSession | null>;
  touchSession(id: string, at: string): Promise<void>;
  deleteSession(id: string): Promise<void>;
}

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

const COOKIE_PURPOSE = 'ticketing console session v1';

/** The cookie's value: the session id and its MAC, so a guessed or altered id is refused before any read. */
export function sessionCookieValue(id: string, keys: readonly string[]): string {
  return `${id}.${signature(keys[0]!, COOKIE_PURPOSE, id)}`;
}

export function sessionIdOf(cookie: string | undefined, keys: readonly string[]): string | null {
  const match = /^([\w-]{43})\.([\w-]{43})$/.exec(cookie ?? '');
  if (!match) return null;
  return signedWithAnyKey(match[2]!, keys, COOKIE_PURPOSE, match[1]!) ? match[1]! : null;
}

/** Why a session no longer counts, or null while it does. */
export function sessionEnded(session: ConsoleSession, now: Date, limits: { idleMinutes: number; sessionHours: number }): 'idle' | 'too-old' | null {
  if (now.getTime() - Date.parse(session.createdAt) >= limits.sessionHours * 3600_000) return 'too-old';
  if (now.getTime() - Date.parse(session.lastSeenAt) >= limits.idleMinutes * 60_000) return 'idle';
  return null;
}
