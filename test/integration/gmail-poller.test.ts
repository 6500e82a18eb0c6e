/**
 * The Gmail poller against a local stand-in for Google (test/support/fake-gmail.ts: the OAuth
 * token endpoint's JWT bearer grant and the Gmail API calls the poller makes), with the real
 * pipeline on the local stack. Each test has its own fake mailbox and its own table.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { GmailApiError } from '../../src/gmail/client.js';
import { gmailAccount, gmailTokenSource, pollGmailMailbox, type GmailConfig, type GmailPollDeps, type GmailPollResult, type GmailSync } from '../../src/gmail/poller.js';
import { MailboxLockedError } from '../../src/pipeline/mailbox-lease.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { gmailSchema } from '../../src/mailbox-config.js';
import { GoogleTokenError } from '../../src/oauth/google-service-account.js';
import type { TicketStore } from '../../src/pipeline/ports.js';
import { injectFaults, type FaultInjector } from '../support/faults.js';
import { startFakeGoogle, type FakeGoogle } from '../support/fake-gmail.js';
import { startMoto } from '../support/moto.js';
import { fixtureMail, manualClock, pipelineOn } from '../support/pipeline.js';
import { pollCli } from '../support/poll-cli.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const MAILBOX = 'support@northwind.example';
// Mail as it sits in the support mailbox: John Doe writes from Gmail (web and Android).
const AUDITOR = '06-gmail-new-auditor-access-pdf.eml';
const GUEST_WIFI = '28-gmail-android-new-guest-wifi.eml';
const SHARED_FOLDER = '38-dup-b1-gmail-shared-folder-link.eml';
const ROOM_BOOKING = '49-near-d1-gmail-meeting-room-booking.eml';
const ROOM_AV = '51-near-d2-gmail-meeting-room-av-equipment.eml';

let fx: StackFixture;
let faults: FaultInjector;
let dir: string;
const open: FakeGoogle[] = [];

beforeAll(async () => {
  fx = await withLocalStack();
  faults = injectFaults(fx.clients);
  dir = await mkdtemp(join(tmpdir(), 'ticketing-gmail-'));
});
afterEach(async () => {
  faults.failAfter(null);
  await Promise.all(open.splice(0).map((g) => g.close()));
});
afterAll(async () => {
  faults?.remove();
  await fx?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

let seq = 0;

/** A fake Workspace mailbox, and a pipeline on a fresh table polling it with the service account's key file. */
async function mailbox(over: Partial<GmailConfig> = {}, fake: { pageSize?: number; tokenLifetimeS?: number } = {}) {
  const clock = manualClock('2026-11-23T08:00:00Z');
  const google = await startFakeGoogle({ mailbox: MAILBOX, now: clock.now, ...fake });
  open.push(google);
  const keyFile = join(dir, `service-account-${++seq}.json`);
  await writeFile(keyFile, google.keyFile);
  const { deps, store, config: tableConfig } = await pipelineOn(fx, clock);
  const gmail = gmailSchema.parse({ mailbox: MAILBOX, serviceAccountKeyFile: keyFile, tokenEndpoint: google.tokenEndpoint, gmailEndpoint: google.gmailEndpoint, ...over });
  const config: Config = { ...tableConfig, gmail };
  const waits: number[] = [];
  const base: GmailPollDeps = { ...deps, sleep: async (ms) => void waits.push(ms) };
  // One token source across polls, as a warm Lambda keeps it.
  const pollDeps: GmailPollDeps = { ...base, tokens: gmailTokenSource(gmail, base) };
  const syncs: GmailSync[] = [];
  const poll = (opts: Parameters<typeof pollGmailMailbox>[2] = {}, deps: GmailPollDeps = pollDeps) =>
    pollGmailMailbox(deps, config, { onSync: (s) => void syncs.push(s), ...opts });
  const cursor = () => store.mailboxCursor({ account: gmailAccount(gmail), folder: gmail.label });
  return { google, poll, pollDeps, store, clock, config, waits, syncs, cursor };
}

const summary = (rs: GmailPollResult[]) => rs.map((r) => ({ id: r.id, outcome: r.outcome, ticket: 'ticket' in r ? r.ticket : null }));
const calls = (google: FakeGoogle) => google.requests().map((r) => r.call);
const PROCESSED = (google: FakeGoogle) => google.labelId('Processed')!;

describe('Gmail poller', () => {
  it('syncs the inbox in full on the first poll, then follows the history; processed mail is labelled, read and out of the inbox', async () => {
    const { google, poll, store, syncs, cursor } = await mailbox();
    const ids = [AUDITOR, GUEST_WIFI, SHARED_FOLDER].map((f) => google.deliver(fixtureMail(f)));

    const first = await poll();

    expect(summary(first)).toEqual([
      { id: ids[0], outcome: 'created', ticket: 'TKT-1' },
      { id: ids[1], outcome: 'created', ticket: 'TKT-2' },
      { id: ids[2], outcome: 'created', ticket: 'TKT-3' },
    ]);
    expect(syncs).toEqual([{ kind: 'full', reason: 'first poll', found: 3 }]);
    expect(calls(google).filter((c) => c !== 'token')).toEqual([
      'users.labels.list',
      'users.labels.create',
      'users.getProfile',
      'users.messages.list',
      ...ids.flatMap(() => ['users.messages.get', 'users.messages.modify']),
    ]);
    for (const id of ids) expect(google.labelsOf(id)).toEqual([PROCESSED(google)]);
    expect(google.withLabel('INBOX')).toEqual([]);
    expect(await cursor()).toEqual({ cursor: expect.stringMatching(/^\d+$/), pending: [] });
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);

    // Nothing new: one history call, nothing processed.
    google.clearRequests();
    expect(await poll()).toEqual([]);
    expect(calls(google)).toEqual(['users.labels.list', 'users.history.list']);

    // New mail comes through the history, not a second full listing.
    const later = google.deliver(fixtureMail(ROOM_BOOKING));
    google.clearRequests();
    expect(summary(await poll())).toEqual([{ id: later, outcome: 'created', ticket: 'TKT-4' }]);
    expect(calls(google)).not.toContain('users.messages.list');
    expect(syncs.at(-1)).toEqual({ kind: 'history', from: expect.any(String), found: 1 });
    expect(await store.listTickets()).toHaveLength(4);
    // A person puts a processed mail back into the inbox: the history shows it, the pipeline knows it.
    google.addLabels(ids[0]!, ['INBOX']);
    expect(summary(await poll())).toEqual([{ id: ids[0], outcome: 'redelivered', ticket: 'TKT-1' }]);
    expect(await store.listTickets()).toHaveLength(4);
    // One token served every poll (it lives an hour).
    expect(google.tokensIssued()).toBe(1);
  });

  it('follows the history across pages, and carries what is past the batch size to the next poll', async () => {
    const { google, poll, syncs, cursor } = await mailbox({ batchSize: 3 }, { pageSize: 2 });
    expect(await poll()).toEqual([]);
    const ids = [AUDITOR, GUEST_WIFI, SHARED_FOLDER, ROOM_BOOKING, ROOM_AV].map((f) => google.deliver(fixtureMail(f)));
    google.clearRequests();

    const first = await poll();

    const pages = google.requests().filter((r) => r.call === 'users.history.list');
    expect(pages.map((r) => r.query.pageToken !== undefined)).toEqual([false, true, true]);
    expect(pages[0]!.query).toMatchObject({ labelId: ['INBOX'], historyTypes: ['messageAdded', 'labelAdded'] });
    expect(syncs.at(-1)).toEqual({ kind: 'history', from: expect.any(String), found: 5 });
    expect(summary(first).map((r) => [r.id, r.ticket])).toEqual([
      [ids[0], 'TKT-1'],
      [ids[1], 'TKT-2'],
      [ids[2], 'TKT-3'],
    ]);
    expect((await cursor())!.pending).toEqual(ids.slice(3));

    const second = await poll();
    expect(summary(second).map((r) => [r.id, r.ticket])).toEqual([
      [ids[3], 'TKT-4'],
      [ids[4], 'TKT-5'],
    ]);
    expect((await cursor())!.pending).toEqual([]);
    expect(google.withLabel('INBOX')).toEqual([]);
  });

  it('reports a message deleted before it was read, and goes on with the rest', async () => {
    const { google, poll, cursor } = await mailbox();
    expect(await poll()).toEqual([]);
    const gone = google.deliver(fixtureMail(AUDITOR));
    const kept = google.deliver(fixtureMail(GUEST_WIFI));
    google.remove(gone);

    const results = await poll();

    expect(results).toEqual([
      { id: gone, outcome: 'deleted', reason: 'deleted from the mailbox before it was read; nothing to process' },
      expect.objectContaining({ id: kept, outcome: 'created', ticket: 'TKT-1' }),
    ]);
    expect((await cursor())!.pending).toEqual([]);
  });

  it('waits as long as Retry-After says when throttled, backs off on 403 userRateLimitExceeded, and gives up clearly after bounded tries', async () => {
    const { google, poll, waits, store, cursor } = await mailbox();
    const ids = [AUDITOR, GUEST_WIFI].map((f) => google.deliver(fixtureMail(f)));
    google.throttle(1, { status: 429, reason: 'rateLimitExceeded', retryAfter: '7' });
    google.throttle(1, { status: 403, reason: 'userRateLimitExceeded' });

    const results = await poll();

    expect(summary(results).map((r) => r.outcome)).toEqual(['created', 'created']);
    expect(waits[0]).toBe(7000);
    // The same call's third try, with no Retry-After: the second backoff, 2 s and up to a quarter more.
    expect(waits[1]).toBeGreaterThanOrEqual(2000);
    expect(waits[1]).toBeLessThanOrEqual(2500);
    expect(waits).toHaveLength(2);

    // Google keeps failing: five tries, then the poll fails, naming the mailbox and the call; nothing is lost.
    const more = [SHARED_FOLDER, ROOM_BOOKING].map((f) => google.deliver(fixtureMail(f)));
    google.throttle(5, { status: 503, reason: 'backendError' });
    const failed = poll();
    await expect(failed).rejects.toThrow(GmailApiError);
    await expect(failed).rejects.toThrow(`Gmail API users.labels.list for ${MAILBOX} failed: HTTP 503 UNAVAILABLE (backendError): The service is currently unavailable. (gave up after 5 tries)`);
    expect(waits).toHaveLength(6);
    expect(google.withLabel('INBOX')).toEqual(more);

    // A wait longer than a poll should sit out is not sat out.
    google.throttle(1, { status: 429, reason: 'rateLimitExceeded', retryAfter: '900' });
    await expect(poll()).rejects.toThrow(/HTTP 429 RESOURCE_EXHAUSTED \(rateLimitExceeded\).*Google asked to wait 900 s, the next poll tries again/);

    expect(summary(await poll()).map((r) => [r.id, r.outcome])).toEqual(more.map((id) => [id, 'created']));
    expect(await store.listTickets()).toHaveLength(4);
    expect((await cursor())!.pending).toEqual([]);
    expect(ids.every((id) => google.labelsOf(id).includes(PROCESSED(google)))).toBe(true);
  });

  it('syncs in full again when Gmail no longer has the history (404), without a second ticket for mail it already has', async () => {
    const { google, poll, store, syncs } = await mailbox();
    const [a] = [AUDITOR, GUEST_WIFI].map((f) => google.deliver(fixtureMail(f)));
    expect(summary(await poll()).map((r) => r.ticket)).toEqual(['TKT-1', 'TKT-2']);
    // A person moves a processed mail back to the inbox; new mail arrives; then Gmail drops the history.
    google.addLabels(a!, ['INBOX']);
    const c = google.deliver(fixtureMail(SHARED_FOLDER));
    google.expireHistory();
    google.clearRequests();

    const results = await poll();

    expect(google.requests().find((r) => r.call === 'users.history.list')?.status).toBe(404);
    expect(syncs.at(-1)).toEqual({ kind: 'full', reason: 'history id expired', found: 2 });
    expect(summary(results)).toEqual([
      { id: a, outcome: 'redelivered', ticket: 'TKT-1' },
      { id: c, outcome: 'created', ticket: 'TKT-3' },
    ]);
    expect(await store.listTickets()).toHaveLength(3);
    expect(google.withLabel('INBOX')).toEqual([]);
    // The new cursor works: the next poll reads the history again.
    google.clearRequests();
    expect(await poll()).toEqual([]);
    expect(google.requests().filter((r) => r.call === 'users.history.list').map((r) => r.status)).toEqual([200]);
  });

  it('gets a new token when Gmail refuses one mid-poll (401) and when one runs out mid-poll', async () => {
    const { google, poll, clock } = await mailbox({}, { tokenLifetimeS: 3600 });
    const ids = [AUDITOR, GUEST_WIFI, SHARED_FOLDER].map((f) => google.deliver(fixtureMail(f)));
    let n = 0;

    const results = await poll({
      onResult: () => {
        n++;
        if (n === 1) google.revokeTokens();
        if (n === 2) clock.advance(2 * 60 * 60_000);
      },
    });

    expect(summary(results).map((r) => [r.id, r.outcome])).toEqual(ids.map((id) => [id, 'created']));
    // The revoked token: one 401, one new token, the call again. The expired one: renewed before use.
    expect(google.requests().filter((r) => r.status === 401).map((r) => r.call)).toEqual(['users.messages.get']);
    expect(google.tokensIssued()).toBe(3);
    expect(google.withLabel('INBOX')).toEqual([]);
  });

  it('recovers from a crash after the pipeline took a message but before it was labelled: no second ticket, then labelled', async () => {
    // A clean run of the same mail, to learn how many writes and sends come before the label change.
    const clean = await mailbox();
    clean.google.deliver(fixtureMail(AUDITOR));
    const outboxDir = join(fx.dataDir, 'outbox');
    const cleanBefore = (await readOutbox(outboxDir)).length;
    faults.reset();
    let stepsBeforeModify = 0;
    // The poller's cursor write after the label change is the one step after it.
    await clean.poll({ onResult: () => void (stepsBeforeModify = faults.steps().length - 1) });
    const cleanSteps = faults.steps();
    const cleanSent = (await readOutbox(outboxDir)).length - cleanBefore;
    expect(cleanSent).toBeGreaterThan(0);
    expect(cleanSteps.at(-1)).toBe('DeleteItem'); // the lease given back

    const { google, poll, store, cursor } = await mailbox();
    const id = google.deliver(fixtureMail(AUDITOR));
    const sentBefore = (await readOutbox(outboxDir)).length;
    faults.reset();
    faults.failAfter(stepsBeforeModify);

    const crashed = await poll();

    expect(crashed).toEqual([{ id, outcome: 'error', error: expect.stringContaining('injected crash') }]);
    expect(faults.firedAfter()).toBe(cleanSteps[stepsBeforeModify - 1]);
    // Label untouched: still in the inbox, unread, and pending.
    expect(google.labelsOf(id)).toEqual(['INBOX', 'UNREAD']);
    expect((await cursor())!.pending).toEqual([id]);
    faults.failAfter(null);

    const next = await poll();

    expect(summary(next)).toEqual([{ id, outcome: 'redelivered', ticket: 'TKT-1' }]);
    expect(google.labelsOf(id)).toEqual([PROCESSED(google)]);
    expect(await store.listTickets()).toHaveLength(1);
    // The acknowledgement and the staff notice went out once, as in the clean run.
    expect((await readOutbox(outboxDir)).length - sentBefore).toBe(cleanSent);
    expect((await cursor())!.pending).toEqual([]);
  });

  it('leaves a message the pipeline fails on in the inbox and pending, processes the others, and retries it first next poll', async () => {
    const { google, poll, pollDeps, store, cursor } = await mailbox();
    const ids = [AUDITOR, GUEST_WIFI, SHARED_FOLDER].map((f) => google.deliver(fixtureMail(f)));
    // One fault in one port: the first ticket write fails as a DynamoDB outage would.
    let failures = 1;
    const flaky: TicketStore = Object.create(store);
    flaky.createTicket = async (w) => {
      if (failures-- > 0) throw new Error('injected: DynamoDB unavailable');
      return store.createTicket(w);
    };

    const first = await poll({}, { ...pollDeps, store: flaky });

    expect(summary(first).map((r) => [r.id, r.outcome])).toEqual([
      [ids[0], 'error'],
      [ids[1], 'created'],
      [ids[2], 'created'],
    ]);
    expect(first[0]).toMatchObject({ error: expect.stringContaining('injected: DynamoDB unavailable') });
    expect(google.labelsOf(ids[0]!)).toEqual(['INBOX', 'UNREAD']);
    expect(google.withLabel('INBOX')).toEqual([ids[0]]);
    expect((await cursor())!.pending).toEqual([ids[0]]);

    const second = await poll();
    expect(summary(second).map((r) => [r.id, r.outcome])).toEqual([[ids[0], 'created']]);
    expect(google.withLabel('INBOX')).toEqual([]);
    expect(await store.listTickets()).toHaveLength(3);
  });

  it('says what the Workspace admin must do when domain-wide delegation is not granted, and never shows the key', async () => {
    const { google, poll, store } = await mailbox();
    google.deliver(fixtureMail(AUDITOR));
    google.setDelegation(false);

    const failed = poll();

    await expect(failed).rejects.toThrow(GoogleTokenError);
    const err = (await failed.catch((e: unknown) => e)) as GoogleTokenError;
    expect(err.refusal).toBe('delegation-not-granted');
    expect(err.message).toBe(
      `Google will not let service account ${google.key.client_email} act as ${MAILBOX}: domain-wide delegation is not granted for https://www.googleapis.com/auth/gmail.modify. ` +
        'A Google Workspace super admin must open the Admin console, Security → Access and data control → API controls → Manage Domain Wide Delegation, ' +
        `add the client ID ${google.key.client_id} with the scope https://www.googleapis.com/auth/gmail.modify and click Authorize ` +
        '(a new grant can take some minutes, rarely up to a day, to apply) ' +
        '(Google said: HTTP 401 unauthorized_client: Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.)',
    );
    const keyBody = google.key.private_key.split('\n')[1]!;
    expect(`${err.message} ${err.stack} ${JSON.stringify(err)}`).not.toContain(keyBody);
    expect(calls(google)).toEqual(['token']);

    // Granted: the lock was released, the mail comes through.
    google.setDelegation(true);
    expect(summary(await poll()).map((r) => r.outcome)).toEqual(['created']);
    expect(await store.listTickets()).toHaveLength(1);
  });

  it('lets one of two concurrent pollers through; the other is told the mailbox is locked', async () => {
    const { google, poll, store } = await mailbox();
    [AUDITOR, GUEST_WIFI].forEach((f) => google.deliver(fixtureMail(f)));
    let second: Promise<GmailPollResult[]> | undefined;

    const first = await poll({
      onResult: async () => {
        second ??= poll();
        await second.catch(() => undefined);
      },
    });

    await expect(second).rejects.toThrow(MailboxLockedError);
    await expect(second).rejects.toThrow(`gmail:${MAILBOX}/INBOX is locked by another poller until`);
    expect(summary(first).map((r) => r.outcome)).toEqual(['created', 'created']);
    expect(await store.listTickets()).toHaveLength(2);
  });
});

describe('the key in Secrets Manager', () => {
  it('reads the service account key from the secret (moto) and polls with it', async () => {
    const moto = await startMoto();
    const secrets = new SecretsManagerClient({ region: moto.region, endpoint: moto.endpoint, credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' } });
    try {
      const { google, config, pollDeps } = await mailbox();
      const created = await secrets.send(new CreateSecretCommand({ Name: 'ticketing/gmail-service-account', SecretString: google.keyFile }));
      const gmail = gmailSchema.parse({ ...config.gmail, serviceAccountKeyFile: undefined, serviceAccountSecretArn: created.ARN });
      google.deliver(fixtureMail(AUDITOR));
      const { tokens: _, ...deps } = pollDeps;

      const results = await pollGmailMailbox({ ...deps, secrets }, { ...config, gmail });

      expect(summary(results).map((r) => r.outcome)).toEqual(['created']);
    } finally {
      secrets.destroy();
      await moto.stop();
    }
  }, 60_000);
});

describe('ticketing gmail-poll --once', () => {
  it('turns a Workspace mailbox into tickets exactly once, a JSON line per message', async () => {
    // The CLI signs with the real clock.
    const google = await startFakeGoogle({ mailbox: MAILBOX, now: () => new Date() });
    open.push(google);
    const cli = await pollCli('gmail-poll', async (dir) => {
      const keyFile = join(dir, 'service-account.json');
      await writeFile(keyFile, google.keyFile);
      return { gmail: { mailbox: MAILBOX, serviceAccountKeyFile: keyFile, tokenEndpoint: google.tokenEndpoint, gmailEndpoint: google.gmailEndpoint } };
    });
    try {
      for (const f of [AUDITOR, GUEST_WIFI]) google.deliver(fixtureMail(f));

      const first = await cli.once();

      expect(first.map((r) => [r.outcome, r.ticket])).toEqual([
        ['created', 'TKT-1'],
        ['created', 'TKT-2'],
      ]);
      expect(await cli.once()).toEqual([]);
      expect(google.withLabel('INBOX')).toEqual([]);
      expect(google.withLabel(google.labelId('Processed')!)).toHaveLength(2);
    } finally {
      await cli.cleanup();
    }
  });
});

