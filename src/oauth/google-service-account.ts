/**
 * Access tokens for a Google Workspace mailbox from a service account with domain-wide
 * delegation: the service account signs a JWT (RS256, its own key) that names the mailbox as
 * `sub`, and Google's token endpoint trades it for an access token (the JWT bearer grant,
 * RFC 7523), if a Workspace super admin granted the service account the scope for the domain.
 * The key is a secret: no error or log line carries it, nor a token.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readSecretString } from '../aws/secret-string.js';
import * as z from 'zod';
import { cachedTokenSource, type AccessTokenSource, type IssuedToken } from './access-token.js';
import { signedJwt } from './jwt.js';

/** Read, label and archive mail; nothing wider (no deleting, no settings). */
export const GMAIL_MODIFY_SCOPE = 'https://www.googleapis.com/auth/gmail.modify';

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google accepts an assertion valid for at most an hour. */
const ASSERTION_LIFETIME_S = 3600;

/** The fields of a service account's JSON key file that we use (the file has a few more). */
const serviceAccountKeySchema = z
  .object({
    type: z.literal('service_account', { error: 'expected "service_account" (a key of a service account, not of an OAuth client)' }),
    private_key_id: z.string({ error: 'missing' }).min(1, 'empty'),
    private_key: z.string({ error: 'missing' }).includes('PRIVATE KEY-----', { error: 'not a PEM private key' }),
    client_email: z.string({ error: 'missing' }).regex(/^[^@\s]+@[^@\s]+$/, 'not an email address'),
    /** The numeric id the Workspace admin enters under domain-wide delegation. */
    client_id: z.string().optional(),
    project_id: z.string().optional(),
    token_uri: z.string().optional(),
  })
  .loose();

export interface ServiceAccountKey {
  clientEmail: string;
  clientId: string | null;
  keyId: string;
  privateKey: KeyObject;
}

/** Where the key file's text lives: a Secrets Manager secret (its string is the file) or a local file. */
export type ServiceAccountKeySource = { secretArn: string } | { file: string };

/** The key cannot be read or is not a service account's JSON key. */
export class ServiceAccountKeyError extends Error {
  override name = 'ServiceAccountKeyError';
}

/** Why Google's token endpoint would not issue a token. */
export type TokenRefusal =
  /** unauthorized_client: the Workspace admin has not granted the service account this scope. */
  | 'delegation-not-granted'
  /** invalid_grant about the subject: the mailbox is no user of the Workspace. */
  | 'unknown-mailbox'
  /** invalid_grant about the signature: the key was deleted or disabled in Google Cloud. */
  | 'key-rejected'
  /** invalid_grant about iat/exp: this machine's clock is off. */
  | 'clock-skew'
  /** Anything else the endpoint said no to. */
  | 'refused'
  /** No answer, or a server error: try again later. */
  | 'unavailable';

export class GoogleTokenError extends Error {
  override name = 'GoogleTokenError';
  constructor(
    readonly refusal: TokenRefusal,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

function where(source: ServiceAccountKeySource): string {
  return 'secretArn' in source ? `secret ${source.secretArn}` : `key file ${source.file}`;
}

/**
 * The key file's text, checked: each missing or wrong field is named. Neither the text nor any
 * value from it goes into the error.
 */
export function parseServiceAccountKey(text: string, from: string): ServiceAccountKey {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ServiceAccountKeyError(`${from} is not JSON: expected the service account's key file as Google Cloud downloads it (Keys → Add key → JSON)`);
  }
  const parsed = serviceAccountKeySchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(the file)'}: ${i.message}`);
    throw new ServiceAccountKeyError(`${from} is not a usable service account key: ${fields.join('; ')}`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(parsed.data.private_key);
  } catch {
    throw new ServiceAccountKeyError(`${from}: private_key is not a readable PEM private key (was the file edited or its line breaks lost?)`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa') throw new ServiceAccountKeyError(`${from}: private_key is not an RSA key, which Google's service account keys are`);
  return { clientEmail: parsed.data.client_email, clientId: parsed.data.client_id ?? null, keyId: parsed.data.private_key_id, privateKey };
}

/** Reads and checks the key; `secrets` is used for a secret (one is made for its region when absent). */
export async function readServiceAccountKey(source: ServiceAccountKeySource, secrets?: SecretsManagerClient): Promise<ServiceAccountKey> {
  const from = where(source);
  if ('file' in source) {
    const text = await readFile(source.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new ServiceAccountKeyError(`cannot read the service account ${from}: ${err.code ?? err.message}`);
    });
    return parseServiceAccountKey(text, from);
  }
  let text: string;
  try {
    text = await readSecretString(source.secretArn, secrets);
  } catch (err) {
    throw new ServiceAccountKeyError(`could not read the service account key (its JSON key file): ${(err as Error).message}`, { cause: err });
  }
  return parseServiceAccountKey(text, from);
}

export interface AssertionClaims {
  /** The mailbox the service account acts as (domain-wide delegation). */
  subject: string;
  scope: string;
  /** The token endpoint the assertion is for. */
  audience: string;
  now: Date;
}

/** The signed JWT the token endpoint takes: RS256 with the key, `kid` naming which of the account's keys. */
export function signAssertion(key: ServiceAccountKey, claims: AssertionClaims): string {
  const iat = Math.floor(claims.now.getTime() / 1000);
  const header = { alg: 'RS256' as const, typ: 'JWT', kid: key.keyId };
  const payload = { iss: key.clientEmail, sub: claims.subject, scope: claims.scope, aud: claims.audience, iat, exp: iat + ASSERTION_LIFETIME_S };
  return signedJwt(header, payload, key.privateKey);
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().regex(/^bearer$/i),
});

const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export interface ServiceAccountTokenOptions {
  /** Read on first use and kept; a failed read is tried again on the next call. */
  loadKey: () => Promise<ServiceAccountKey>;
  subject: string;
  scope: string;
  tokenEndpoint: string;
  now: () => Date;
  fetch?: typeof fetch;
}

/** The refusal, in the words the Workspace or Google Cloud admin acts on. */
export function describeRefusal(refusal: TokenRefusal, key: Pick<ServiceAccountKey, 'clientEmail' | 'clientId'>, subject: string, scope: string): string {
  const account = `service account ${key.clientEmail}`;
  switch (refusal) {
    case 'delegation-not-granted':
      return (
        `Google will not let ${account} act as ${subject}: domain-wide delegation is not granted for ${scope}. ` +
        `A Google Workspace super admin must open the Admin console, Security → Access and data control → API controls → Manage Domain Wide Delegation, ` +
        `add the client ID ${key.clientId ?? '(the service account\'s client ID, under Advanced settings in Google Cloud)'} with the scope ${scope} and click Authorize ` +
        `(a new grant can take some minutes, rarely up to a day, to apply)`
      );
    case 'unknown-mailbox':
      return `Google does not know ${subject} as a user of the Workspace that granted ${account} delegation: check gmail.mailbox (a user's primary address, not a group or an alias)`;
    case 'key-rejected':
      return `Google rejected the signature of ${account}: its key was deleted, disabled or replaced in Google Cloud (IAM & Admin → Service accounts → Keys); create a new JSON key and put it in the secret (gmail.serviceAccountSecretArn) or the key file`;
    case 'clock-skew':
      return `Google rejected the assertion's times for ${account}: this machine's clock is off; sync it (NTP) and try again`;
    case 'refused':
      return `Google's token endpoint refused ${account} acting as ${subject}`;
    case 'unavailable':
      return `Google's token endpoint did not answer for ${account}; the next poll tries again`;
  }
}

function refusalOf(status: number, error: string, description: string): TokenRefusal {
  if (error === 'unauthorized_client' || error === 'access_denied') return 'delegation-not-granted';
  if (error === 'invalid_grant') {
    if (/email or user id|user.*not.*found|invalid.*subject/i.test(description)) return 'unknown-mailbox';
    if (/signature|invalid.*key|account not found/i.test(description)) return 'key-rejected';
    if (/iat|exp|timeframe|short-lived/i.test(description)) return 'clock-skew';
  }
  if (error === 'invalid_client') return 'key-rejected';
  return status >= 500 ? 'unavailable' : 'refused';
}

/** Tokens for `subject` with `scope`, cached until shortly before they expire (cachedTokenSource). */
export function serviceAccountTokenSource(options: ServiceAccountTokenOptions): AccessTokenSource {
  const doFetch = options.fetch ?? fetch;
  let key: ServiceAccountKey | null = null;
  const issue = async (): Promise<IssuedToken> => {
    key ??= await options.loadKey();
    const now = options.now();
    const assertion = signAssertion(key, { subject: options.subject, scope: options.scope, audience: options.tokenEndpoint, now });
    const say = (refusal: TokenRefusal, detail: string, cause?: unknown) =>
      new GoogleTokenError(refusal, `${describeRefusal(refusal, key!, options.subject, options.scope)}${detail ? ` (${detail})` : ''}`, { cause });
    let res: Response;
    try {
      res = await doFetch(options.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw say('unavailable', `${options.tokenEndpoint}: ${(err as Error).message}`, err);
    }
    const body: unknown = await res.json().catch(() => null);
    if (res.ok) {
      const token = tokenResponseSchema.safeParse(body);
      if (!token.success) throw say('refused', `HTTP ${res.status} without an access token, expires_in and token_type Bearer`);
      return { accessToken: token.data.access_token, expiresAt: new Date(now.getTime() + token.data.expires_in * 1000) };
    }
    const refused = tokenErrorSchema.safeParse(body);
    if (!refused.success) throw say(res.status >= 500 ? 'unavailable' : 'refused', `HTTP ${res.status}`);
    const { error, error_description: description = '' } = refused.data;
    throw say(refusalOf(res.status, error, description), `Google said: HTTP ${res.status} ${error}${description ? `: ${description}` : ''}`);
  };
  return cachedTokenSource(issue, options.now);
}
