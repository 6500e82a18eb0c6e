/**
 * App-only access tokens from the Microsoft identity platform: the OAuth 2.0 client-credentials
 * grant of an app registered in Entra ID, for one resource's `/.default` scope (Exchange Online's
 * IMAP, Microsoft Graph). The app proves itself with a client secret or with a certificate: a
 * short JWT assertion signed with the certificate's private key (PS256, header `x5t#S256`, as
 * Microsoft's "certificate credentials" reference and current MSAL libraries do).
 *
 * The credentials come inline (local use) or from a Secrets Manager secret, read once and kept
 * for the life of the process; a refused credential is read again on the next request, so a
 * rotated secret is picked up without a restart. Neither the secret nor a token ever appears in
 * an error message.
 */
import { createPrivateKey, createHash, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readSecretString } from '../aws/secret-string.js';
import * as z from 'zod';
import type { MicrosoftApp } from '../mailbox-config.js';
import { cachedTokenSource, type AccessTokenSource, type IssuedToken } from './access-token.js';
import { signedJwt } from './jwt.js';
import { retryAfterMs } from '../domain/retry-after.js';

export interface MicrosoftIdentityDeps {
  clock: () => Date;
  /** Reads the app's credentials when they are in Secrets Manager; absent: one is made for the secret's region for each read. */
  secrets?: SecretsManagerClient;
  fetch?: typeof fetch;
  /** How retries wait; defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** What went wrong, as data; the message is rendered from it. */
export type IdentityFailure =
  | 'credentials-secret' // the Secrets Manager secret is unreadable or not of the documented shape
  | 'certificate' // the certificate or key in the credentials is unusable (expired, not RSA, not a pair)
  | 'invalid-client-secret'
  | 'expired-client-secret'
  | 'certificate-refused'
  | 'app-not-found'
  | 'tenant-not-found'
  | 'invalid-scope'
  | 'resource-not-found'
  | 'refused' // any other documented error answer
  | 'throttled' // 429 after the retries
  | 'unavailable' // 5xx after the retries
  | 'unreachable' // no answer after the retries
  | 'unexpected-response';

const TRANSIENT: ReadonlySet<IdentityFailure> = new Set(['throttled', 'unavailable', 'unreachable']);

export interface IdentityFailureDetail {
  /** The token endpoint's HTTP status, when it answered. */
  status?: number;
  /** The AADSTS codes of an error answer (`error_codes`). */
  codes?: number[];
  /** The OAuth `error` string. */
  error?: string;
  /** The first line of `error_description` (Microsoft's text, without its trace lines). */
  description?: string;
  traceId?: string;
}

export class MicrosoftIdentityError extends Error {
  override name = 'MicrosoftIdentityError';
  constructor(
    readonly failure: IdentityFailure,
    readonly tenantId: string,
    readonly clientId: string,
    readonly detail: IdentityFailureDetail,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  /** Retrying later may help (throttling, an outage); otherwise someone has to change something. */
  get transient(): boolean {
    return TRANSIENT.has(this.failure);
  }
}

/** The token endpoint of the app's tenant: `{loginEndpoint}/{tenantId}/oauth2/v2.0/token`. */
export function tokenEndpoint(app: Pick<MicrosoftApp, 'loginEndpoint' | 'tenantId'>): string {
  return `${app.loginEndpoint}/${encodeURIComponent(app.tenantId)}/oauth2/v2.0/token`;
}

/** The value of the Secrets Manager secret named by `credentialsSecretArn`. */
const credentialsSecretSchema = z
  .object({
    clientSecret: z.string().min(1, 'must not be empty').optional(),
    certificatePem: z.string().includes('-----BEGIN CERTIFICATE-----', { message: 'must be a PEM certificate (-----BEGIN CERTIFICATE-----)' }).optional(),
    privateKeyPem: z.string().regex(/-----BEGIN (RSA )?PRIVATE KEY-----/, 'must be an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)').optional(),
  })
  .strict()
  .refine((s) => (s.clientSecret !== undefined) !== (s.certificatePem !== undefined || s.privateKeyPem !== undefined), {
    message: 'give either "clientSecret", or "certificatePem" with "privateKeyPem"',
  })
  .refine((s) => (s.certificatePem === undefined) === (s.privateKeyPem === undefined), {
    message: '"certificatePem" and "privateKeyPem" go together',
  });

export type AppCredential =
  | { kind: 'secret'; clientSecret: string }
  | { kind: 'certificate'; privateKey: KeyObject; thumbprintSha256: string; validTo: Date };


/** The certificate and key of a certificate credential, checked before Microsoft sees them. */
export function certificateCredential(certificatePem: string, privateKeyPem: string, now: Date): AppCredential | string {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    return 'certificatePem is not a readable PEM X.509 certificate';
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch {
    return 'privateKeyPem is not a readable, unencrypted PEM private key';
  }
  if (privateKey.asymmetricKeyType !== 'rsa') return `privateKeyPem is a ${privateKey.asymmetricKeyType} key: the assertion is signed PS256, which needs an RSA key`;
  if (!certificate.checkPrivateKey(privateKey)) return 'privateKeyPem is not the private key of certificatePem';
  const validTo = new Date(certificate.validTo);
  if (validTo.getTime() <= now.getTime()) return `the certificate expired on ${validTo.toISOString()}: upload a new one to the app registration and store it with its key`;
  return { kind: 'certificate', privateKey, thumbprintSha256: createHash('sha256').update(certificate.raw).digest('base64url'), validTo };
}

/**
 * The client assertion (a JWT) proving the app holds the certificate's key: header alg PS256,
 * typ JWT, x5t#S256 (the certificate's SHA-256 thumbprint); claims aud (the token endpoint),
 * iss = sub = client id, a fresh jti, nbf = iat = now, exp ten minutes later.
 */
export function clientAssertion(credential: Extract<AppCredential, { kind: 'certificate' }>, clientId: string, audience: string, now: Date): string {
  const at = Math.floor(now.getTime() / 1000);
  const header = { alg: 'PS256' as const, typ: 'JWT', 'x5t#S256': credential.thumbprintSha256 };
  const claims = { aud: audience, iss: clientId, sub: clientId, jti: randomUUID(), nbf: at, iat: at, exp: at + 600 };
  return signedJwt(header, claims, credential.privateKey);
}

const tokenAnswerSchema = z.object({
  token_type: z.string().regex(/^bearer$/i, 'expected token_type Bearer'),
  expires_in: z.coerce.number().int().positive(),
  access_token: z.string().min(1),
});

const errorAnswerSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
  error_codes: z.array(z.number()).optional(),
  trace_id: z.string().optional(),
});

/** At most this many requests per token: the first and two retries. */
const MAX_ATTEMPTS = 3;
/** A Retry-After longer than this is not waited for: the poll fails and the next one tries again. */
const MAX_RETRY_WAIT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 30_000;

interface Who {
  tenantId: string;
  clientId: string;
  scope: string;
}

/** What an IT admin should check for a refusal, in their words (the Entra admin center's). */
function advice(failure: IdentityFailure, who: Who, thumbprint?: string): string {
  switch (failure) {
    case 'invalid-client-secret':
      return 'the client secret is wrong: store the secret\'s Value (not its Secret ID) from Certificates & secrets of this app registration';
    case 'expired-client-secret':
      return 'the client secret has expired: add a new one under Certificates & secrets and store its Value';
    case 'certificate-refused':
      return `the certificate was refused: check that it is uploaded under Certificates & secrets > Certificates of this app registration${thumbprint ? ` (SHA-256 thumbprint ${thumbprint} in base64url)` : ''} and that this machine's clock is right`;
    case 'app-not-found':
      return 'no app registration with this client id in this tenant: check the Application (client) ID and the Directory (tenant) ID on the app\'s Overview page';
    case 'tenant-not-found':
      return 'the tenant does not exist: check the Directory (tenant) ID, and the loginEndpoint if the tenant is in another cloud (login.microsoftonline.us, login.partner.microsoftonline.cn)';
    case 'invalid-scope':
      return `the scope ${who.scope} is not valid for this app`;
    case 'resource-not-found':
      return `the service of scope ${who.scope} is not available in this tenant: check the tenant's subscription, and that the app's API permission and admin consent are for it`;
    case 'throttled':
      return 'Microsoft is throttling token requests: the next poll tries again';
    case 'unavailable':
      return 'the Microsoft identity platform is not answering properly: the next poll tries again';
    case 'unreachable':
      return 'the token endpoint could not be reached: check the network path to it (NAT, proxy, DNS)';
    default:
      return 'see Microsoft\'s description';
  }
}

function failureOf(status: number, error: string, codes: number[]): IdentityFailure {
  const has = (...c: number[]) => c.some((x) => codes.includes(x));
  if (has(7000215, 70002)) return 'invalid-client-secret';
  if (has(7000222)) return 'expired-client-secret';
  if (has(700027, 700024, 50012, 700030, 50013, 50027)) return 'certificate-refused';
  if (has(700016, 700011, 70001)) return 'app-not-found';
  if (has(90002) || error === 'invalid_tenant') return 'tenant-not-found';
  if (has(500011) || error === 'invalid_resource') return 'resource-not-found';
  if (has(70011, 1002012) || error === 'invalid_scope') return 'invalid-scope';
  if (status === 401 && error === 'invalid_client') return 'invalid-client-secret';
  return 'refused';
}

/** A wait from Retry-After (seconds or an HTTP date), else a short backoff; null when too long. */
function retryWait(retryAfter: string | null, attempt: number, now: Date): number | null {
  const ms = retryAfterMs(retryAfter, now.getTime()) ?? 1000 * 2 ** (attempt - 1);
  return ms > MAX_RETRY_WAIT_MS ? null : ms;
}

/**
 * An access token source for `scope` (a resource's `/.default`, e.g.
 * `https://outlook.office365.com/.default` for IMAP, `https://graph.microsoft.com/.default`):
 * cached until shortly before it expires; concurrent callers share one request; 429 and 5xx
 * answers are retried a bounded number of times, honouring Retry-After. Failures throw
 * MicrosoftIdentityError, naming the tenant and client id and what to check.
 */
export function microsoftAppTokens(app: MicrosoftApp, scope: string, deps: MicrosoftIdentityDeps): AccessTokenSource {
  const who: Who = { tenantId: app.tenantId, clientId: app.clientId, scope };
  const url = tokenEndpoint(app);
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const fail = (failure: IdentityFailure, detail: IdentityFailureDetail, text: string, cause?: unknown) =>
    new MicrosoftIdentityError(failure, app.tenantId, app.clientId, detail, `Microsoft identity platform, app ${app.clientId} in tenant ${app.tenantId}: ${text}`, cause === undefined ? undefined : { cause });

  let credential: Promise<AppCredential> | null = null;
  const credentialNow = () => {
    credential ??= loadCredential().catch((err: unknown) => {
      credential = null;
      throw err;
    });
    return credential;
  };

  async function loadCredential(): Promise<AppCredential> {
    if (app.clientSecret !== undefined) return { kind: 'secret', clientSecret: app.clientSecret };
    const arn = app.credentialsSecretArn!;
    let text: string;
    try {
      text = await readSecretString(arn, deps.secrets);
    } catch (err) {
      throw fail('credentials-secret', {}, `could not read the app's credentials: ${(err as Error).message}`, err);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw fail('credentials-secret', {}, `the credentials secret ${arn} is not JSON: expected {"clientSecret": "…"} or {"certificatePem": "…", "privateKeyPem": "…"}`);
    }
    const parsed = credentialsSecretSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
      throw fail('credentials-secret', {}, `the credentials secret ${arn} is not of the expected shape (${problems})`);
    }
    const value = parsed.data;
    if (value.clientSecret !== undefined) return { kind: 'secret', clientSecret: value.clientSecret };
    const cert = certificateCredential(value.certificatePem!, value.privateKeyPem!, deps.clock());
    if (typeof cert === 'string') throw fail('certificate', {}, `the credentials secret ${arn}: ${cert}`);
    return cert;
  }

  function formFor(cred: AppCredential): URLSearchParams {
    const form = new URLSearchParams({ client_id: app.clientId, scope, grant_type: 'client_credentials' });
    if (cred.kind === 'secret') form.set('client_secret', cred.clientSecret);
    else {
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set('client_assertion', clientAssertion(cred, app.clientId, url, deps.clock()));
    }
    return form;
  }

  async function issue(): Promise<IssuedToken> {
    const cred = await credentialNow();
    if (cred.kind === 'certificate' && cred.validTo.getTime() <= deps.clock().getTime()) {
      credential = null; // a renewed certificate may be in the secret by now
      throw fail('certificate', {}, `the certificate expired on ${cred.validTo.toISOString()}: upload a new one to the app registration and store it with its key`);
    }
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: formFor(cred).toString(),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (err) {
        if (attempt < MAX_ATTEMPTS) {
          await sleep(retryWait(null, attempt, deps.clock())!);
          continue;
        }
        throw fail('unreachable', {}, `no answer from ${url} (${(err as Error).message}): ${advice('unreachable', who)}`, err);
      }
      const body: unknown = await res.json().catch(() => null);
      if (res.status === 429 || res.status >= 500) {
        const wait = retryWait(res.headers.get('retry-after'), attempt, deps.clock());
        if (attempt < MAX_ATTEMPTS && wait !== null) {
          await sleep(wait);
          continue;
        }
        const failure = res.status === 429 ? 'throttled' : 'unavailable';
        throw fail(failure, { status: res.status }, `HTTP ${res.status} from ${url} after ${attempt} attempts: ${advice(failure, who)}`);
      }
      if (res.ok) {
        const token = tokenAnswerSchema.safeParse(body);
        if (!token.success) throw fail('unexpected-response', { status: res.status }, `the token answer from ${url} is not the documented JSON (token_type, expires_in, access_token)`);
        return { accessToken: token.data.access_token, expiresAt: new Date(deps.clock().getTime() + token.data.expires_in * 1000) };
      }
      const refusal = errorAnswerSchema.safeParse(body);
      if (!refusal.success) throw fail('unexpected-response', { status: res.status }, `HTTP ${res.status} from ${url} without the documented error JSON`);
      const { error, error_codes: codes = [], trace_id: traceId } = refusal.data;
      // Microsoft's description ends in trace lines; its first line says what happened.
      let description = (refusal.data.error_description ?? '').split(/\r?\n/)[0]!.trim().replace(/^AADSTS\d+:\s*/, '');
      if (cred.kind === 'secret') description = description.split(cred.clientSecret).join('***');
      const failure = failureOf(res.status, error, codes);
      // A rotated secret or certificate is read again on the next request.
      if (failure === 'invalid-client-secret' || failure === 'expired-client-secret' || failure === 'certificate-refused') credential = null;
      const code = codes.length ? `AADSTS${codes[0]} ` : '';
      throw fail(
        failure,
        { status: res.status, codes, error, description, ...(traceId ? { traceId } : {}) },
        `${advice(failure, who, cred.kind === 'certificate' ? cred.thumbprintSha256 : undefined)} (${code}${error}${description ? `: ${description}` : ''}${traceId ? `; trace id ${traceId}` : ''})`,
      );
    }
  }

  return cachedTokenSource(issue, deps.clock);
}
