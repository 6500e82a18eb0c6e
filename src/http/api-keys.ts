/**
 * API keys for scripts and monitoring tools: a key is shown once, when it is made; the store
 * keeps only its SHA-256 (a key is 256 random bits, so a fast hash is enough: there is nothing
 * to guess), its name and when it was made, last used and revoked.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A key's name: what history and command results say acted ("monitoring", "nagios-prod"). */
export const API_KEY_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

const KEY_PREFIX = 'tkt_';

export interface ApiKeyRecord {
  name: string;
  /** SHA-256 of the key, hex. */
  hash: string;
  /** The key's first characters, so an operator can tell keys apart without the key. */
  hint: string;
  createdAt: string;
  revokedAt: string | null;
}

/** Where API keys are kept (the ticket table, under their own keys). */
export interface ApiKeyStore {
  /** False when a key of that name exists (revoked ones too: a name is never reused). */
  createApiKey(record: ApiKeyRecord): Promise<boolean>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  apiKeyByHash(hash: string): Promise<ApiKeyRecord | null>;
  /** False when there is no key of that name, or it was revoked already. */
  revokeApiKey(name: string, at: string): Promise<boolean>;
}

export class ApiKeyError extends Error {
  override name = 'ApiKeyError';
}

export function newApiKey(name: string, now: Date): { key: string; record: ApiKeyRecord } {
  if (!API_KEY_NAME.test(name)) throw new ApiKeyError(`"${name}" cannot name an API key: use 1-40 lower-case letters, digits and dashes, starting with a letter or digit (e.g. monitoring)`);
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, record: { name, hash: hashApiKey(key), hint: key.slice(0, KEY_PREFIX.length + 6), createdAt: now.toISOString(), revokedAt: null } };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Whether a string is shaped like one of our keys (checked before any read). */
export function looksLikeApiKey(key: string): boolean {
  return /^tkt_[\w-]{43}$/.test(key);
}
