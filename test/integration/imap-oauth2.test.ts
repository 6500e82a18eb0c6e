/**
 * The IMAP poller with a Microsoft 365 app's token (imap.oauth2): tokens from the local stand-in
 * of the Microsoft identity platform's token endpoint, XOAUTH2 logins to a real Dovecot whose
 * oauth2 passdb introspects each token at that stand-in, the real pipeline on the local stack,
 * and the app's certificate in Secrets Manager (moto).
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { ImapConfigError, ImapLoginError, imapTokenSource, pollMailbox, type ImapConfig, type PollDeps, type PollResult } from '../../src/imap/poller.js';
import type { MicrosoftApp } from '../../src/mailbox-config.js';
import { MicrosoftIdentityError } from '../../src/oauth/microsoft-identity.js';
import { startDovecot, type Dovecot } from '../support/dovecot.js';
import { selfSignedCertificate, startFakeMicrosoftIdentity, type FakeMicrosoftIdentity } from '../support/fake-microsoft-identity.js';
import { startMoto, type Moto } from '../support/moto.js';
import { fixtureMail, manualClock, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { pollCli } from '../support/poll-cli.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const NEW_VPN = '01-outlook-new-vpn-down.eml';
const NEW_WIFI = '05-thunderbird-new-wifi-log.eml';
const NEW_AUDITOR = '06-gmail-new-auditor-access-pdf.eml';
const TENANT = '8f3c2a10-5b7e-4c1d-9a2f-0e6b7d4c3a21';
const IMAP_SCOPE = 'https://outlook.office365.com/.default';

let fx: StackFixture;
let dovecot: Dovecot;
let idp: FakeMicrosoftIdentity;
let moto: Moto;
let secrets: SecretsManagerClient;
/** The clock of the test running now: the pipeline's, the token source's and the identity platform's. */
let clock = manualClock('2026-11-23T08:00:00Z');
let setupFailure: unknown;
let appSeq = 0;

beforeAll(async () => {
  try {
    idp = await startFakeMicrosoftIdentity({ clock: () => clock.now() });
    [dovecot, moto, fx] = await Promise.all([startDovecot({ oauth2: { introspectionUrl: idp.introspectionUrl } }), startMoto('eu-west-1'), withLocalStack({ config: northwindConfig })]);
    secrets = new SecretsManagerClient({ region: moto.region, endpoint: moto.endpoint, credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' } });
  } catch (err) {
    setupFailure = err;
  }
}, 120_000);
beforeEach(() => {
  if (setupFailure) throw setupFailure;
});
afterAll(async () => {
  secrets?.destroy();
  await dovecot?.stop();
  await moto?.stop();
  await idp?.close();
  await fx?.cleanup();
});

/** A new app registration (its own client id) whose service principal may open Dovecot's mailbox. */
function registerApp(credential: { clientSecret?: string; certificatePem?: string } = {}, mailbox = dovecot.user) {
  const clientId = `4d1e${String(++appSeq).padStart(4, '0')}-7c2b-4e5f-9a01-23456789abcd`;
  idp.registerApp({
    tenantId: TENANT,
    clientId,
    mailbox,
    ...(credential.clientSecret ? { clientSecret: credential.clientSecret } : {}),
    ...(credential.certificatePem ? { certificatesPem: [credential.certificatePem] } : {}),
  });
  return clientId;
}

/** A pipeline on a fresh table polling `folder` with XOAUTH2, and one token source for all its polls. */
async function poller(folder: string, app: Omit<MicrosoftApp, 'loginEndpoint' | 'tenantId'> & Partial<MicrosoftApp>) {
  clock = manualClock('2026-11-23T08:00:00Z');
  const imap: ImapConfig = {
    host: '127.0.0.1',
    port: dovecot.port,
    secure: false,
    user: dovecot.user,
    oauth2: { tenantId: TENANT, loginEndpoint: idp.loginEndpoint, ...app },
    folder,
    processedFolder: `${folder}-done`,
    allowPlainOnLoopback: true,
    batchSize: 50,
  };
  const { deps, store, config: tableConfig } = await pipelineOn(fx, clock);
  const config: Config = { ...tableConfig, imap };
  const base = { store, blobs: deps.blobs, clock, mailer: deps.mailer, events: deps.events, secrets };
  const pollDeps: PollDeps = { ...base, imapTokens: imapTokenSource(imap, base)! };
  const poll = () => pollMailbox(pollDeps, config);
  const requests = () => idp.tokenRequests().filter((r) => r.form.client_id === imap.oauth2!.clientId);
  return { poll, pollDeps, store, config, requests };
}

const summary = (rs: PollResult[]) => rs.map((r) => ({ uid: r.uid, outcome: r.outcome, ticket: 'ticket' in r ? r.ticket : null }));
const everything = (err: Error) => `${err.message} ${err.stack} ${JSON.stringify(err)} ${err.cause instanceof Error ? `${err.cause.message} ${err.cause.stack}` : ''}`;
const issuedTo = (clientId: string) => idp.issued().filter((t) => t.clientId === clientId).map((t) => t.token);

async function logins(): Promise<string[]> {
  return (await dovecot.log()).split('\n').filter((l) => /imap-login: Info: Login: user=<helpdesk>/.test(l)).map((l) => /method=(\w+)/.exec(l)?.[1] ?? '?');
}

describe('IMAP poller with a Microsoft 365 app token (XOAUTH2)', () => {
  it('gets a token with the client secret, logs in with XOAUTH2 and polls mail into a ticket; the token is reused', async () => {
    const clientSecret = 'Qx~8Q~northwind.imap-SECRET_value';
    const clientId = registerApp({ clientSecret });
    const { poll, store, requests } = await poller('Secret', { clientId, clientSecret });
    await dovecot.append('Secret', fixtureMail(NEW_VPN));
    const before = (await logins()).length;

    expect(summary(await poll())).toEqual([{ uid: 1, outcome: 'created', ticket: 'TKT-1' }]);

    expect(requests()).toEqual([expect.objectContaining({ tenant: TENANT, status: 200, form: { client_id: clientId, scope: IMAP_SCOPE, grant_type: 'client_credentials' } })]);
    expect((await logins()).slice(before)).toEqual(['XOAUTH2']);
    expect(await dovecot.list('Secret')).toEqual([]);
    expect(await store.listTickets()).toHaveLength(1);

    // A minute later: the same token, no new request.
    clock.advance(60_000);
    await dovecot.append('Secret', fixtureMail(NEW_WIFI));
    expect(summary(await poll())).toEqual([{ uid: 2, outcome: 'created', ticket: 'TKT-2' }]);
    expect(requests()).toHaveLength(1);
  });

  it('fetches a new token when the old one would expire before the next poll: no login fails', async () => {
    const clientSecret = 'Qx~8Q~expiry-SECRET';
    const clientId = registerApp({ clientSecret });
    const { poll, requests } = await poller('Expiry', { clientId, clientSecret });
    await dovecot.append('Expiry', fixtureMail(NEW_VPN));
    expect(summary(await poll())).toEqual([{ uid: 1, outcome: 'created', ticket: 'TKT-1' }]);
    const [first] = issuedTo(clientId);

    // 57 minutes on, the 3599-second token has 2 minutes left: inside the refresh margin.
    clock.advance(57 * 60_000);
    await dovecot.append('Expiry', fixtureMail(NEW_WIFI));
    expect(summary(await poll())).toEqual([{ uid: 2, outcome: 'created', ticket: 'TKT-2' }]);

    expect(requests().map((r) => r.status)).toEqual([200, 200]);
    // The old token still had 2 minutes: it was not even tried, and it runs out as issued.
    expect(idp.validToken(first!, IMAP_SCOPE)).toBe(true);
    clock.advance(3 * 60_000);
    expect(idp.validToken(first!, IMAP_SCOPE)).toBe(false);
  });

  it('replaces a revoked token once and logs in with the new one', async () => {
    const clientSecret = 'Qx~8Q~revoked-SECRET';
    const clientId = registerApp({ clientSecret });
    const { poll, requests } = await poller('Revoked', { clientId, clientSecret });
    await dovecot.append('Revoked', fixtureMail(NEW_VPN));
    expect(summary(await poll())).toEqual([{ uid: 1, outcome: 'created', ticket: 'TKT-1' }]);
    const [revoked] = issuedTo(clientId);
    idp.revoke(revoked!);
    await dovecot.append('Revoked', fixtureMail(NEW_WIFI));
    const before = idp.introspections();

    expect(summary(await poll())).toEqual([{ uid: 2, outcome: 'created', ticket: 'TKT-2' }]);

    expect(requests()).toHaveLength(2);
    // Dovecot asked about the revoked token (refused) and the new one (accepted).
    expect(idp.introspections() - before).toBe(2);
    const [, fresh] = issuedTo(clientId);
    expect(idp.validToken(fresh!, IMAP_SCOPE)).toBe(true);
  });

  it('signs in with the certificate from Secrets Manager, read once however often the token is renewed', async () => {
    const cert = selfSignedCertificate('ticketing-imap-poller');
    const clientId = registerApp({ certificatePem: cert.certificatePem });
    const created = await secrets.send(new CreateSecretCommand({ Name: `imap-app-${clientId}`, SecretString: JSON.stringify(cert) }));
    let reads = 0;
    secrets.middlewareStack.add((next) => async (args) => ((reads += 1), next(args)), { step: 'initialize', name: `countReads-${clientId}` });
    try {
      const { poll, requests } = await poller('Certificate', { clientId, credentialsSecretArn: created.ARN! });
      await dovecot.append('Certificate', fixtureMail(NEW_VPN));
      expect(summary(await poll())).toEqual([{ uid: 1, outcome: 'created', ticket: 'TKT-1' }]);
      clock.advance(2 * 60 * 60_000);
      await dovecot.append('Certificate', fixtureMail(NEW_WIFI));
      expect(summary(await poll())).toEqual([{ uid: 2, outcome: 'created', ticket: 'TKT-2' }]);

      expect(reads).toBe(1);
      const sent = requests();
      expect(sent.map((r) => r.status)).toEqual([200, 200]);
      expect(sent[0]!.form).toEqual({ client_id: clientId, scope: IMAP_SCOPE, grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' });
      const { header, claims } = sent[1]!.assertion!;
      expect(header).toMatchObject({ alg: 'PS256', typ: 'JWT', 'x5t#S256': expect.any(String) });
      expect(claims).toMatchObject({ aud: `${idp.loginEndpoint}/${TENANT}/oauth2/v2.0/token`, iss: clientId, sub: clientId, nbf: clock.now().getTime() / 1000 });
      expect((claims.exp as number) - (claims.nbf as number)).toBeLessThanOrEqual(600);
      expect(claims.jti).not.toBe(sent[0]!.assertion!.claims.jti);
    } finally {
      secrets.middlewareStack.remove(`countReads-${clientId}`);
    }
  });

  it('names tenant and client id when the client secret is wrong, and never the secret or a token', async () => {
    const clientId = registerApp({ clientSecret: 'Qx~8Q~the-right-one' });
    const wrong = 'Qx~8Q~an-old-SECRET-value';
    const { poll, requests } = await poller('WrongSecret', { clientId, clientSecret: wrong });

    const err = (await poll().catch((e: unknown) => e)) as Error;

    expect(err).toBeInstanceOf(ImapLoginError);
    expect(err.cause).toBeInstanceOf(MicrosoftIdentityError);
    expect(err.message).toContain(`IMAP login to 127.0.0.1:${dovecot.port} as helpdesk failed: no token`);
    expect(err.message).toContain(`app ${clientId} in tenant ${TENANT}`);
    expect(err.message).toMatch(/AADSTS7000215/);
    expect(everything(err)).not.toContain(wrong);
    // The identity platform was asked once; nothing retried a wrong secret.
    expect(requests().map((r) => r.status)).toEqual([401]);
  });

  it('says what to check in Exchange Online when a fresh token is refused, without retrying or showing it', async () => {
    const clientSecret = 'Qx~8Q~no-mailbox-permission';
    // The app's service principal has FullAccess on another mailbox only (Add-MailboxPermission).
    const clientId = registerApp({ clientSecret }, 'reception');
    const { poll, requests } = await poller('NoPermission', { clientId, clientSecret });

    const err = (await poll().catch((e: unknown) => e)) as Error;

    expect(err).toBeInstanceOf(ImapLoginError);
    expect(err.message).toContain(`the token of app ${clientId} (tenant ${TENANT}) was refused`);
    expect(err.message).toContain('IMAP.AccessAsApp');
    expect(err.message).toContain('Add-MailboxPermission');
    expect(requests()).toHaveLength(1);
    const tokens = issuedTo(clientId);
    expect(tokens).toHaveLength(1);
    expect(everything(err)).not.toContain(tokens[0]!);
    expect(everything(err)).not.toContain(clientSecret);
  });

  it('refuses a credentials secret of the wrong shape, saying which field', async () => {
    const clientId = registerApp({ clientSecret: 'unused' });
    const created = await secrets.send(new CreateSecretCommand({ Name: `imap-app-bad-${clientId}`, SecretString: JSON.stringify({ certificatePem: 'pasted the thumbprint here' }) }));
    const { poll, requests } = await poller('BadSecret', { clientId, credentialsSecretArn: created.ARN! });

    const err = (await poll().catch((e: unknown) => e)) as Error;

    expect(err).toBeInstanceOf(ImapConfigError);
    expect(err.message).toContain(`the credentials secret ${created.ARN} is not of the expected shape`);
    expect(err.message).toContain('certificatePem: must be a PEM certificate');
    expect(err.message).toContain('"certificatePem" and "privateKeyPem" go together');
    expect(err.message).not.toContain('pasted the thumbprint here');
    expect(requests()).toEqual([]);
  });
});

describe('ticketing imap-poll --once with imap.oauth2', () => {
  it('polls the mailbox with the app\'s token', async () => {
    // The CLI's token clock is the real one; the identity platform's follows the wall clock here too.
    clock = { now: () => new Date(), advance: () => undefined };
    const clientSecret = 'Qx~8Q~cli-SECRET';
    const clientId = registerApp({ clientSecret });
    const oauth2 = { tenantId: TENANT, clientId, clientSecret, loginEndpoint: idp.loginEndpoint };
    const cli = await pollCli('imap-poll', { imap: { host: '127.0.0.1', port: dovecot.port, secure: false, user: dovecot.user, oauth2, folder: 'CliApp', processedFolder: 'CliApp-done', allowPlainOnLoopback: true } });
    try {
      for (const f of [NEW_VPN, NEW_AUDITOR]) await dovecot.append('CliApp', fixtureMail(f));

      expect((await cli.once()).map((r) => r.outcome)).toEqual(['created', 'created']);
      expect(await dovecot.list('CliApp')).toEqual([]);
      expect(idp.tokenRequests().filter((r) => r.form.client_id === clientId)).toHaveLength(1);
    } finally {
      await cli.cleanup();
    }
  });
});

