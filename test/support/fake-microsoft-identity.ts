/**
 * A stand-in for the Microsoft identity platform's token endpoint, client-credentials grant only,
 * on 127.0.0.1 (no real server exists to test against). It speaks what Microsoft documents
 * ("OAuth 2.0 client credentials flow", "certificate credentials", "AADSTS error codes"):
 *
 *   POST /{tenant}/oauth2/v2.0/token   application/x-www-form-urlencoded
 *     client_id, scope ({resource}/.default), grant_type=client_credentials, and either
 *     client_secret, or client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer
 *     with client_assertion (a JWT signed PS256 or RS256 by a registered certificate, header
 *     x5t#S256 or x5t, claims aud = this token URL, iss = sub = client_id, nbf/exp around now)
 *   → 200 {token_type: "Bearer", expires_in, ext_expires_in, access_token}  (opaque tokens)
 *   → 4xx {error, error_description: "AADSTSnnn: …\r\nTrace ID: …", error_codes, timestamp,
 *          trace_id, correlation_id, error_uri}
 *
 * Plus what the tests need around it:
 *   - `POST /introspect` (form `token=…`): an RFC 7662 answer, `{active: true, scope, client_id,
 *     username, exp, …}` or `{active: false, username}`; `username` is the mailbox the app's
 *     service principal may open (Add-MailboxPermission). Dovecot's oauth2 passdb asks it.
 *   - `validToken(token, scope)` for another fake (Graph) to check a bearer token in-process.
 *   - `expire(token)` / `revoke(token)` to end a token early; `failNext` for 429/503 answers;
 *     `tokenRequests()` to count and inspect what was asked (secrets left out).
 *
 * Time is the `clock` option's (default: the system clock), so a test that moves its own clock
 * moves token expiry with it.
 *
 * ```ts
 * const idp = await startFakeMicrosoftIdentity({ clock });
 * idp.registerApp({ tenantId, clientId, clientSecret: 's3cret', mailbox: 'helpdesk' });
 * // config: { tenantId, clientId, clientSecret: 's3cret', loginEndpoint: idp.loginEndpoint }
 * idp.validToken(token, 'https://graph.microsoft.com/.default'); // true while issued, unexpired, unrevoked
 * await idp.close();
 * ```
 */
import { execFileSync } from 'node:child_process';
import { constants, createHash, randomBytes, randomUUID, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeAppRegistration {
  /** The directory (tenant) id or domain the app is registered in. */
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** PEM certificates uploaded under Certificates & secrets. */
  certificatesPem?: string[];
  /** The mailbox the app's Exchange service principal has FullAccess on: `username` in introspection. */
  mailbox?: string;
}

export interface IssuedTokenRecord {
  token: string;
  tenantId: string;
  clientId: string;
  scope: string;
  credential: 'secret' | 'certificate';
  expiresAt: Date;
  revoked: boolean;
}

export interface TokenRequestRecord {
  tenant: string;
  status: number;
  /** The form as sent, without client_secret and client_assertion. */
  form: Record<string, string>;
  /** The assertion's decoded header and claims, when one was sent and could be read. */
  assertion?: { header: Record<string, unknown>; claims: Record<string, unknown> };
  /** The AADSTS code of an error answer. */
  code?: number;
}

export interface FakeMicrosoftIdentity {
  /** `http://127.0.0.1:PORT`: the config's `loginEndpoint`. */
  loginEndpoint: string;
  /** `http://127.0.0.1:PORT/introspect`, for Dovecot's `introspection_url` (mode post). */
  introspectionUrl: string;
  registerApp(app: FakeAppRegistration): void;
  /** The token lifetime (`expires_in`) of tokens issued from now on; default 3599 s as Microsoft's docs show. */
  setTokenLifetime(seconds: number): void;
  /** Whether `token` was issued for `scope` and is neither expired (by the clock) nor revoked. */
  validToken(token: string, scope: string): boolean;
  /** Makes a token expire now. */
  expire(token: string): void;
  /** Revokes a token (as an admin removing the app's access would). */
  revoke(token: string): void;
  /** The next `count` token requests answer `status` (429 or 5xx), with Retry-After when given. */
  failNext(count: number, status: number, retryAfterSeconds?: number): void;
  issued(): IssuedTokenRecord[];
  tokenRequests(): TokenRequestRecord[];
  /** How many introspection requests were made. */
  introspections(): number;
  close(): Promise<void>;
}

/** Resources a tenant with Microsoft 365 has: Exchange Online (IMAP, EWS) and Microsoft Graph. */
const RESOURCES = new Set(['https://outlook.office365.com', 'https://outlook.office.com', 'https://ps.outlook.com', 'https://graph.microsoft.com']);

const timestamp = (d: Date) => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function decodeJson(part: string | undefined): Record<string, unknown> | null {
  if (!part) return null;
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

export async function startFakeMicrosoftIdentity(opts: { clock?: () => Date; tokenLifetimeSeconds?: number } = {}): Promise<FakeMicrosoftIdentity> {
  const clock = opts.clock ?? (() => new Date());
  let lifetime = opts.tokenLifetimeSeconds ?? 3599;
  const apps: FakeAppRegistration[] = [];
  const tokens = new Map<string, IssuedTokenRecord>();
  const requests: TokenRequestRecord[] = [];
  let failures: { count: number; status: number; retryAfter?: number } = { count: 0, status: 0 };
  let introspected = 0;
  let base = '';

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache', ...headers });
    res.end(JSON.stringify(body));
  }

  /** Microsoft's error answer: the AADSTS text first, then its trace lines. */
  function refuse(res: ServerResponse, record: TokenRequestRecord, status: number, error: string, code: number, text: string, headers: Record<string, string> = {}) {
    const now = clock();
    const traceId = randomUUID();
    const correlationId = randomUUID();
    record.status = status;
    record.code = code;
    requests.push(record);
    send(
      res,
      status,
      {
        error,
        error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp(now)}`,
        error_codes: [code],
        timestamp: timestamp(now),
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: `${base}/error?code=${code}`,
      },
      headers,
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/introspect' && req.method === 'POST') {
      introspected++;
      const token = new URLSearchParams(await readBody(req)).get('token') ?? '';
      const record = tokens.get(token);
      const app = record && apps.find((a) => a.clientId === record.clientId && a.tenantId === record.tenantId);
      const active = !!record && isValid(record);
      // RFC 7662; `username` also on an inactive answer, so Dovecot reports "not active" rather than a missing field.
      if (!active) return send(res, 200, { active: false, ...(app?.mailbox ? { username: app.mailbox } : {}) });
      return send(res, 200, {
        active: true,
        scope: record.scope,
        client_id: record.clientId,
        token_type: 'Bearer',
        exp: Math.floor(record.expiresAt.getTime() / 1000),
        ...(app?.mailbox ? { username: app.mailbox } : {}),
      });
    }
    const match = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (!match) return send(res, 404, { error: 'not_found' });
    const tenant = decodeURIComponent(match[1]!);
    const record: TokenRequestRecord = { tenant, status: 0, form: {} };
    if (req.method !== 'POST') return refuse(res, record, 400, 'invalid_request', 900561, `The endpoint only accepts (POST, OPTIONS) requests. Received a ${req.method} request.`);
    const raw = await readBody(req);
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
      return refuse(res, record, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
    }
    const form = new URLSearchParams(raw);
    for (const [k, v] of form) if (k !== 'client_secret' && k !== 'client_assertion') record.form[k] = v;
    const assertion = form.get('client_assertion');
    if (assertion) {
      const [h, c] = assertion.split('.');
      const header = decodeJson(h);
      const claims = decodeJson(c);
      if (header && claims) record.assertion = { header, claims };
    }
    if (failures.count > 0) {
      failures.count--;
      const headers: Record<string, string> = failures.retryAfter !== undefined ? { 'retry-after': String(failures.retryAfter) } : {};
      return refuse(res, record, failures.status, 'temporarily_unavailable', 90024, 'RequestBudgetExceededError - A transient error has occurred. Try again.', headers);
    }
    for (const name of ['grant_type', 'client_id', 'scope']) {
      if (!form.get(name)) return refuse(res, record, 400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return refuse(res, record, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.get('grant_type')}'.`);
    }
    if (!apps.some((a) => a.tenantId.toLowerCase() === tenant.toLowerCase())) {
      return refuse(res, record, 400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    const clientId = form.get('client_id')!;
    const app = apps.find((a) => a.tenantId.toLowerCase() === tenant.toLowerCase() && a.clientId.toLowerCase() === clientId.toLowerCase());
    if (!app) {
      return refuse(res, record, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
    }
    const scope = form.get('scope')!;
    const scopes = scope.split(' ').filter(Boolean);
    if (scopes.length !== 1 || !scopes[0]!.endsWith('/.default')) {
      return refuse(res, record, 400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const resource = scopes[0]!.slice(0, -'/.default'.length);
    if (!RESOURCES.has(resource)) {
      return refuse(res, record, 400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
    }
    const secret = form.get('client_secret');
    let credential: IssuedTokenRecord['credential'];
    if (secret !== null && assertion !== null) {
      return refuse(res, record, 400, 'invalid_request', 90014, 'The request must contain only one client credential: client_secret or client_assertion.');
    } else if (secret !== null) {
      if (app.clientSecret === undefined || secret !== app.clientSecret) {
        return refuse(res, record, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
      }
      credential = 'secret';
    } else if (assertion !== null) {
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
        return refuse(res, record, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_assertion_type'.");
      }
      const refusal = checkAssertion(assertion, app, tenant);
      if (refusal) return refuse(res, record, refusal.status, refusal.error, refusal.code, refusal.text);
      credential = 'certificate';
    } else {
      return refuse(res, record, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, { token, tenantId: app.tenantId, clientId: app.clientId, scope: scopes[0]!, credential, expiresAt: new Date(clock().getTime() + lifetime * 1000), revoked: false });
    record.status = 200;
    requests.push(record);
    send(res, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token });
  }

  function checkAssertion(assertion: string, app: FakeAppRegistration, tenant: string): { status: number; error: string; code: number; text: string } | null {
    const parts = assertion.split('.');
    const header = decodeJson(parts[0]);
    const claims = decodeJson(parts[1]);
    if (parts.length !== 3 || !header || !claims) return { status: 400, error: 'invalid_request', code: 50027, text: 'JWT token is invalid or malformed.' };
    const certs = (app.certificatesPem ?? []).map((pem) => new X509Certificate(pem));
    const cert = certs.find((c) =>
      typeof header['x5t#S256'] === 'string'
        ? createHash('sha256').update(c.raw).digest('base64url') === header['x5t#S256']
        : typeof header.x5t === 'string' && createHash('sha1').update(c.raw).digest('base64url') === header.x5t,
    );
    if (!cert) return { status: 401, error: 'invalid_client', code: 700027, text: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.]` };
    const input = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2]!, 'base64url');
    const ok =
      header.alg === 'PS256'
        ? verify('sha256', input, { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature)
        : header.alg === 'RS256'
          ? verify('sha256', input, cert.publicKey, signature)
          : false;
    if (!ok) return { status: 401, error: 'invalid_client', code: 700027, text: 'Client assertion failed signature validation.' };
    const audience = `${base}/${tenant}/oauth2/v2.0/token`;
    if (claims.aud !== audience) return { status: 401, error: 'invalid_client', code: 50013, text: `Assertion audience does not match the token endpoint '${audience}'.` };
    if (claims.iss !== app.clientId || claims.sub !== app.clientId) return { status: 401, error: 'invalid_client', code: 700021, text: "Client assertion application identifier doesn't match 'client_id' parameter." };
    const now = Math.floor(clock().getTime() / 1000);
    const skew = 300;
    if (typeof claims.exp !== 'number' || typeof claims.nbf !== 'number' || now >= claims.exp + skew || now < claims.nbf - skew) {
      return { status: 401, error: 'invalid_client', code: 700024, text: `Client assertion is not within its valid time range. Current time: ${clock().toISOString()}.` };
    }
    return null;
  }

  function isValid(record: IssuedTokenRecord): boolean {
    return !record.revoked && clock().getTime() < record.expiresAt.getTime();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    loginEndpoint: base,
    introspectionUrl: `${base}/introspect`,
    registerApp: (app) => void apps.push(app),
    setTokenLifetime: (seconds) => void (lifetime = seconds),
    validToken(token, scope) {
      const record = tokens.get(token);
      return !!record && record.scope === scope && isValid(record);
    },
    expire(token) {
      const record = tokens.get(token);
      if (record) record.expiresAt = clock();
    },
    revoke(token) {
      const record = tokens.get(token);
      if (record) record.revoked = true;
    },
    failNext: (count, status, retryAfterSeconds) => void (failures = { count, status, ...(retryAfterSeconds !== undefined ? { retryAfter: retryAfterSeconds } : {}) }),
    issued: () => [...tokens.values()].map((t) => ({ ...t })),
    tokenRequests: () => requests.map((r) => ({ ...r })),
    introspections: () => introspected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A throwaway self-signed RSA certificate and its key, as an app's certificate credential
 * (made with the openssl CLI: node:crypto cannot issue certificates).
 */
export function selfSignedCertificate(commonName = 'ticketing-imap-test', days = 3650): { certificatePem: string; privateKeyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ticketing-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', String(days), '-subj', `/CN=${commonName}`], { stdio: 'ignore' });
    return { certificatePem: readFileSync(join(dir, 'cert.pem'), 'utf8'), privateKeyPem: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
