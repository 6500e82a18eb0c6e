/**
 * App-only tokens from the Microsoft identity platform (src/oauth/microsoft-identity.ts) against
 * the local stand-in of its token endpoint (test/support/fake-microsoft-identity.ts).
 */
import { createHash, constants, generateKeyPairSync, verify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MicrosoftApp } from '../../src/mailbox-config.js';
import { certificateCredential, clientAssertion, MicrosoftIdentityError, microsoftAppTokens, tokenEndpoint } from '../../src/oauth/microsoft-identity.js';
import { selfSignedCertificate, startFakeMicrosoftIdentity, type FakeMicrosoftIdentity } from '../support/fake-microsoft-identity.js';
import { manualClock } from '../support/pipeline.js';

const TENANT = '8f3c2a10-5b7e-4c1d-9a2f-0e6b7d4c3a21';
const SECRET = 'Qx~8Q~northwind.SECRET-value_0123456789';
const IMAP = 'https://outlook.office365.com/.default';

let idp: FakeMicrosoftIdentity;
let clock = manualClock('2026-11-23T08:00:00Z');
let appSeq = 0;

beforeAll(async () => {
  idp = await startFakeMicrosoftIdentity({ clock: () => clock.now() });
});
afterAll(async () => {
  await idp?.close();
});

/** A freshly registered app (its own client id, so request counts are per test) and its config. */
function newApp(over: Partial<MicrosoftApp> = {}): MicrosoftApp {
  clock = manualClock('2026-11-23T08:00:00Z');
  const clientId = `0000${String(++appSeq).padStart(4, '0')}-aaaa-4bbb-8ccc-dddddddddddd`;
  idp.registerApp({ tenantId: TENANT, clientId, clientSecret: SECRET, mailbox: 'helpdesk' });
  return { tenantId: TENANT, clientId, clientSecret: SECRET, loginEndpoint: idp.loginEndpoint, ...over };
}

const requestsOf = (app: MicrosoftApp) => idp.tokenRequests().filter((r) => r.form.client_id === app.clientId);
const noWait = { waits: [] as number[], sleep: async (ms: number) => void noWait.waits.push(ms) };

async function failureOf(p: Promise<unknown>): Promise<MicrosoftIdentityError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MicrosoftIdentityError);
  return err as MicrosoftIdentityError;
}

describe('microsoftAppTokens with a client secret', () => {
  it('posts the documented form to the tenant token endpoint and returns the issued token', async () => {
    const app = newApp();
    const tokens = microsoftAppTokens(app, IMAP, { clock: clock.now });

    const token = await tokens.token();

    expect(idp.validToken(token, IMAP)).toBe(true);
    const [request] = requestsOf(app);
    expect(request).toMatchObject({ tenant: TENANT, status: 200, form: { client_id: app.clientId, scope: IMAP, grant_type: 'client_credentials' } });
    expect(tokenEndpoint(app)).toBe(`${idp.loginEndpoint}/${TENANT}/oauth2/v2.0/token`);
  });

  it('reuses the token, shares one request among concurrent callers, and fetches again before expiry', async () => {
    const app = newApp();
    const tokens = microsoftAppTokens(app, IMAP, { clock: clock.now });

    const first = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    expect(new Set(first).size).toBe(1);
    expect(await tokens.token()).toBe(first[0]);
    expect(requestsOf(app)).toHaveLength(1);

    // 3599 s lifetime: 55 minutes later it is inside the 5-minute margin.
    clock.advance(55 * 60_000);
    const second = await tokens.token();
    expect(second).not.toBe(first[0]);
    expect(requestsOf(app)).toHaveLength(2);

    // Refused by the API (revoked): the next call fetches a new one.
    tokens.refresh();
    expect(await tokens.token()).not.toBe(second);
    expect(requestsOf(app)).toHaveLength(3);
  });

  it('names tenant, client id and what to check when the secret is wrong, and never the secret', async () => {
    const app = newApp();
    const wrong = 'Wr0ng~secret.value';
    const err = await failureOf(microsoftAppTokens({ ...app, clientSecret: wrong }, IMAP, { clock: clock.now }).token());

    expect(err.failure).toBe('invalid-client-secret');
    expect(err.transient).toBe(false);
    expect(err.detail).toMatchObject({ status: 401, codes: [7000215], error: 'invalid_client' });
    expect(err.message).toContain(`app ${app.clientId} in tenant ${TENANT}`);
    expect(err.message).toMatch(/AADSTS7000215 invalid_client: Invalid client secret provided/);
    expect(err.message).toContain("Value (not its Secret ID)");
    expect(err.message).not.toMatch(/\r|\n/);
    expect(`${err.message} ${err.stack} ${JSON.stringify(err)}`).not.toContain(wrong);
  });

  it('tells an unknown app from an unknown tenant', async () => {
    const app = newApp();
    const stranger = await failureOf(microsoftAppTokens({ ...app, clientId: 'ffffffff-0000-4000-8000-000000000000' }, IMAP, { clock: clock.now }).token());
    expect(stranger.failure).toBe('app-not-found');
    expect(stranger.message).toMatch(/AADSTS700016 unauthorized_client/);
    expect(stranger.message).toContain('Application (client) ID');

    const elsewhere = await failureOf(microsoftAppTokens({ ...app, tenantId: 'contoso.onmicrosoft.com' }, IMAP, { clock: clock.now }).token());
    expect(elsewhere.failure).toBe('tenant-not-found');
    expect(elsewhere.message).toContain('tenant contoso.onmicrosoft.com');
    expect(elsewhere.message).toMatch(/AADSTS90002 invalid_tenant/);
  });

  it('refuses a scope that is not a resource\'s .default', async () => {
    const app = newApp();
    const err = await failureOf(microsoftAppTokens(app, 'https://outlook.office365.com/IMAP.AccessAsApp', { clock: clock.now }).token());
    expect(err.failure).toBe('invalid-scope');
    expect(err.detail.codes).toEqual([1002012]);
  });

  it('retries 429 and 5xx as Retry-After says, a bounded number of times', async () => {
    const app = newApp();
    noWait.waits = [];
    idp.failNext(2, 429, 7);
    const token = await microsoftAppTokens(app, IMAP, { clock: clock.now, sleep: noWait.sleep }).token();
    expect(idp.validToken(token, IMAP)).toBe(true);
    expect(requestsOf(app).map((r) => r.status)).toEqual([429, 429, 200]);
    expect(noWait.waits).toEqual([7000, 7000]);

    const down = newApp();
    noWait.waits = [];
    idp.failNext(3, 503);
    const err = await failureOf(microsoftAppTokens(down, IMAP, { clock: clock.now, sleep: noWait.sleep }).token());
    expect(err.failure).toBe('unavailable');
    expect(err.transient).toBe(true);
    expect(requestsOf(down).map((r) => r.status)).toEqual([503, 503, 503]);
    expect(noWait.waits).toEqual([1000, 2000]);
  });

  it('does not wait out a long Retry-After inside a poll', async () => {
    const app = newApp();
    noWait.waits = [];
    idp.failNext(1, 429, 3600);
    const err = await failureOf(microsoftAppTokens(app, IMAP, { clock: clock.now, sleep: noWait.sleep }).token());
    expect(err.failure).toBe('throttled');
    expect(requestsOf(app)).toHaveLength(1);
    expect(noWait.waits).toEqual([]);
  });
});

describe('the certificate credential', () => {
  const { certificatePem, privateKeyPem } = selfSignedCertificate();
  const now = new Date('2026-11-23T08:00:00Z');

  it('signs a PS256 assertion with the documented header and claims', () => {
    const credential = certificateCredential(certificatePem, privateKeyPem, now);
    if (typeof credential === 'string' || credential.kind !== 'certificate') throw new Error(String(credential));
    const audience = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`;

    const jwt = clientAssertion(credential, 'aaaaaaaa-0000-4000-8000-000000000001', audience, now);

    const [h, c, sig] = jwt.split('.');
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString());
    const claims = JSON.parse(Buffer.from(c!, 'base64url').toString());
    const cert = new X509Certificate(certificatePem);
    expect(header).toEqual({ alg: 'PS256', typ: 'JWT', 'x5t#S256': createHash('sha256').update(cert.raw).digest('base64url') });
    expect(claims).toMatchObject({ aud: audience, iss: 'aaaaaaaa-0000-4000-8000-000000000001', sub: 'aaaaaaaa-0000-4000-8000-000000000001', nbf: now.getTime() / 1000, iat: now.getTime() / 1000 });
    expect(claims.exp - claims.nbf).toBeLessThanOrEqual(600);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    const signed = verify('sha256', Buffer.from(`${h}.${c}`), { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, Buffer.from(sig!, 'base64url'));
    expect(signed).toBe(true);
  });

  it('says precisely what is wrong with a certificate and key', () => {
    const other = selfSignedCertificate('another');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(certificateCredential('-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----', privateKeyPem, now)).toBe('certificatePem is not a readable PEM X.509 certificate');
    expect(certificateCredential(certificatePem, 'nope', now)).toBe('privateKeyPem is not a readable, unencrypted PEM private key');
    expect(certificateCredential(certificatePem, other.privateKeyPem, now)).toBe('privateKeyPem is not the private key of certificatePem');
    expect(certificateCredential(certificatePem, ec, now)).toMatch(/is a ec key: the assertion is signed PS256, which needs an RSA key/);
    expect(certificateCredential(certificatePem, privateKeyPem, new Date('2099-01-01T00:00:00Z'))).toMatch(/^the certificate expired on \d{4}-/);
  });
});
