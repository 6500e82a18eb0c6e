/**
 * The IMAP poller against a real Dovecot on loopback, with the real pipeline on the local stack.
 * Each test polls a folder of its own (and a table of its own), so they share one Dovecot.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { ImapConfigError, ImapConnectionError, ImapLoginError, imapAccount, MailboxLockedError, pollMailbox, type ImapConfig, type PollDeps, type PollResult } from '../../src/imap/poller.js';
import type { TicketStore } from '../../src/pipeline/ports.js';
import { cuttingProxy, startDovecot, type CuttingProxy, type Dovecot } from '../support/dovecot.js';
import { fixtureMail, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { pollCli } from '../support/poll-cli.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const NEW_VPN = '01-outlook-new-vpn-down.eml';
const NEW_WIFI = '05-thunderbird-new-wifi-log.eml';
const NEW_AUDITOR = '06-gmail-new-auditor-access-pdf.eml';

let fx: StackFixture;
let dovecot: Dovecot;
let proxy: CuttingProxy;

/** Why the servers did not start (Dovecot not installed): every test fails with it, none is skipped. */
let setupFailure: unknown;

beforeAll(async () => {
  try {
    dovecot = await startDovecot();
    proxy = await cuttingProxy(dovecot.port);
    fx = await withLocalStack({ config: northwindConfig });
  } catch (err) {
    setupFailure = err;
  }
});
beforeEach(() => {
  if (setupFailure) throw setupFailure;
});
afterAll(async () => {
  await proxy?.close();
  await dovecot?.stop();
  await fx?.cleanup();
});

/** A pipeline on a fresh table, polling `folder` of the test Dovecot. */
async function poller(folder: string, imap: Partial<ImapConfig> = {}) {
  const base: ImapConfig = {
    host: '127.0.0.1',
    port: dovecot.port,
    secure: false,
    user: dovecot.user,
    password: dovecot.password,
    folder,
    processedFolder: `${folder}-done`,
    allowPlainOnLoopback: true,
    batchSize: 50,
  };
  const { deps, store, clock, config: tableConfig } = await pipelineOn(fx);
  const config: Config = { ...tableConfig, imap: { ...base, ...imap } };
  const pollDeps: PollDeps = { store, blobs: deps.blobs, clock, mailer: deps.mailer, events: deps.events };
  const poll = (opts?: Parameters<typeof pollMailbox>[2], over: Partial<ImapConfig> = {}) =>
    pollMailbox(pollDeps, { ...config, imap: { ...config.imap!, ...over } }, opts);
  return { poll, pollDeps, store, config };
}

const summary = (rs: PollResult[]) => rs.map((r) => ({ uid: r.uid, outcome: r.outcome, ticket: 'ticket' in r ? r.ticket : null }));

describe('IMAP poller on Dovecot', () => {
  it('turns new mail into tickets, then marks it seen and moves it to the processed folder', async () => {
    const { poll, store } = await poller('INBOX', { processedFolder: 'Processed' });
    for (const f of [NEW_VPN, NEW_WIFI, NEW_AUDITOR]) await dovecot.append('INBOX', fixtureMail(f));

    const results = await poll();

    expect(summary(results)).toEqual([
      { uid: 1, outcome: 'created', ticket: 'TKT-1' },
      { uid: 2, outcome: 'created', ticket: 'TKT-2' },
      { uid: 3, outcome: 'created', ticket: 'TKT-3' },
    ]);
    expect(results[0]).toMatchObject({ messageId: expect.any(String), status: expect.any(String), replies: expect.any(Array) });
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
    expect(await dovecot.list('INBOX')).toEqual([]);
    const processed = await dovecot.list('Processed');
    expect(processed).toHaveLength(3);
    expect(processed.every((m) => m.seen)).toBe(true);

    // Nothing new: nothing happens.
    expect(await poll()).toEqual([]);
    expect(await store.listTickets()).toHaveLength(3);

    // The same mail delivered again (same Message-ID) is recognised, not a new ticket.
    await dovecot.append('INBOX', fixtureMail(NEW_VPN));
    const again = await poll();
    expect(summary(again)).toEqual([{ uid: 4, outcome: 'redelivered', ticket: 'TKT-1' }]);
    expect(await store.listTickets()).toHaveLength(3);
    expect(await dovecot.list('Processed')).toHaveLength(4);
  });

  it('leaves a message the pipeline fails on in place, unseen, goes on with the next, and retries it on the next poll', async () => {
    const { pollDeps, store, config } = await poller('Fault');
    for (const f of [NEW_VPN, NEW_WIFI, NEW_AUDITOR]) await dovecot.append('Fault', fixtureMail(f));
    // One fault in one port: the second ticket write fails as a DynamoDB outage would.
    let writes = 0;
    const flaky: TicketStore = Object.create(store);
    flaky.createTicket = async (w) => {
      if (++writes === 2) throw new Error('injected: DynamoDB unavailable');
      return store.createTicket(w);
    };
    const mailbox = { account: imapAccount(config.imap!), folder: 'Fault' };

    const first = await pollMailbox({ ...pollDeps, store: flaky }, config);

    expect(first.map((r) => [r.uid, r.outcome])).toEqual([
      [1, 'created'],
      [2, 'error'],
      [3, 'created'],
    ]);
    expect(first[1]).toEqual({ uid: 2, outcome: 'error', error: expect.stringContaining('injected: DynamoDB unavailable') });
    // The failed message stays, untouched; the others are done; the checkpoint stays before the failure.
    expect((await dovecot.list('Fault')).map((m) => ({ uid: m.uid, seen: m.seen }))).toEqual([{ uid: 2, seen: false }]);
    expect(await dovecot.list('Fault-done')).toHaveLength(2);
    expect((await store.mailboxCheckpoint(mailbox))?.lastUid).toBe(1);

    const second = await pollMailbox({ ...pollDeps, store: flaky }, config);
    expect(second.map((r) => [r.uid, r.outcome])).toEqual([[2, 'created']]);
    expect(await dovecot.list('Fault')).toEqual([]);
    expect(await store.listTickets()).toHaveLength(3);
    expect((await store.mailboxCheckpoint(mailbox))?.lastUid).toBe(2);
    expect(await pollMailbox(pollDeps, config)).toEqual([]);
  });

  it('keeps the checkpoint at its old place when the first message of a batch fails', async () => {
    const { pollDeps, store, config } = await poller('FaultFirst');
    await dovecot.append('FaultFirst', fixtureMail(NEW_WIFI));
    await dovecot.append('FaultFirst', fixtureMail(NEW_AUDITOR));
    let failures = 1;
    const flaky: TicketStore = Object.create(store);
    flaky.createTicket = async (w) => {
      if (failures-- > 0) throw new Error('injected: DynamoDB unavailable');
      return store.createTicket(w);
    };

    const first = await pollMailbox({ ...pollDeps, store: flaky }, config);

    expect(first.map((r) => [r.uid, r.outcome])).toEqual([
      [1, 'error'],
      [2, 'created'],
    ]);
    expect(await store.mailboxCheckpoint({ account: imapAccount(config.imap!), folder: 'FaultFirst' })).toBeNull();
    expect((await dovecot.list('FaultFirst')).map((m) => ({ uid: m.uid, seen: m.seen }))).toEqual([{ uid: 1, seen: false }]);
    const second = await pollMailbox({ ...pollDeps, store: flaky }, config);
    expect(second.map((r) => [r.uid, r.outcome])).toEqual([[1, 'created']]);
    expect(await store.listTickets()).toHaveLength(2);
  });

  it('re-syncs from UID 1 when UIDVALIDITY changes, without duplicate tickets', async () => {
    const { poll, store, config } = await poller('Reset');
    await dovecot.append('Reset', fixtureMail(NEW_VPN));
    expect(summary(await poll())).toEqual([{ uid: 1, outcome: 'created', ticket: 'TKT-1' }]);

    // The server loses the folder's UIDs (restore, migration): old UIDs mean nothing now.
    const c = await dovecot.client();
    await c.mailboxDelete('Reset');
    await c.mailboxCreate('Reset');
    await c.logout();
    await dovecot.append('Reset', fixtureMail(NEW_VPN));
    await dovecot.append('Reset', fixtureMail(NEW_WIFI));
    // A checkpoint far ahead under the old UIDVALIDITY would skip both new UIDs if it were trusted.
    const mailbox = { account: imapAccount(config.imap!), folder: 'Reset' };
    const before = (await store.mailboxCheckpoint(mailbox))!;
    await store.saveMailboxCheckpoint(mailbox, { uidValidity: before.uidValidity, lastUid: 100 }, new Date());

    const results = await poll();

    const after = (await store.mailboxCheckpoint(mailbox))!;
    expect(after.uidValidity).not.toBe(before.uidValidity);
    expect(summary(results)).toEqual([
      { uid: 1, outcome: 'redelivered', ticket: 'TKT-1' },
      { uid: 2, outcome: 'created', ticket: 'TKT-2' },
    ]);
    expect(after.lastUid).toBe(2);
    expect(await store.listTickets()).toHaveLength(2);
  });

  it('lets one of two concurrent pollers through; the other is told the mailbox is locked', async () => {
    const { poll, store } = await poller('Race');
    await dovecot.append('Race', fixtureMail(NEW_VPN));
    await dovecot.append('Race', fixtureMail(NEW_WIFI));
    let second: Promise<PollResult[]> | undefined;

    const first = await poll({
      onResult: async () => {
        // Started while the first poller is mid-batch.
        second ??= poll();
        await second.catch(() => undefined);
      },
    });

    await expect(second).rejects.toThrow(MailboxLockedError);
    await expect(second).rejects.toThrow(/locked by another poller until \d{4}-\d\d-\d\dT/);
    expect(summary(first)).toEqual([
      { uid: 1, outcome: 'created', ticket: 'TKT-1' },
      { uid: 2, outcome: 'created', ticket: 'TKT-2' },
    ]);
    expect(await store.listTickets()).toHaveLength(2);
    // The lock went with the first poller.
    expect(await poll()).toEqual([]);
  });

  it('fails clearly when the connection drops mid-fetch, loses nothing, and the next poll finishes', async () => {
    const { poll, store } = await poller('Drop', { port: proxy.port });
    for (const f of [NEW_VPN, NEW_WIFI, NEW_AUDITOR]) await dovecot.append('Drop', fixtureMail(f));
    proxy.cutDuringFetch(2);
    const seen: PollResult[] = [];

    const failed = poll({ onResult: (r) => void seen.push(r) });

    await expect(failed).rejects.toThrow(ImapConnectionError);
    await expect(failed).rejects.toThrow(/127\.0\.0\.1:\d+ dropped while polling Drop/);
    expect(summary(seen)).toEqual([{ uid: 1, outcome: 'created', ticket: 'TKT-1' }]);
    expect((await dovecot.list('Drop')).map((m) => m.uid)).toEqual([2, 3]);
    expect(await dovecot.list('Drop-done')).toHaveLength(1);

    proxy.cutDuringFetch(0);
    const next = await poll();
    expect(summary(next)).toEqual([
      { uid: 2, outcome: 'created', ticket: 'TKT-2' },
      { uid: 3, outcome: 'created', ticket: 'TKT-3' },
    ]);
    expect(await store.listTickets()).toHaveLength(3);
  });

  it('says which folder is missing', async () => {
    const { poll } = await poller('Nowhere');
    await expect(poll()).rejects.toThrow(/cannot open folder Nowhere on 127\.0\.0\.1:\d+ as helpdesk/);
  });

  it('refuses plain-text IMAP to a host that is not loopback, before connecting', async () => {
    const { poll } = await poller('Plain');
    await expect(poll(undefined, { host: 'imap.northwind.example' })).rejects.toThrow(ImapConfigError);
    await expect(poll(undefined, { host: '10.0.0.5' })).rejects.toThrow(/10\.0\.0\.5 is not a loopback address/);
  });

  it('insists on STARTTLS when plain text is not allowed, and says so', async () => {
    const { poll } = await poller('Tls');
    // This Dovecot has no TLS at all: a poller that may not talk plain text must not log in.
    await expect(poll(undefined, { allowPlainOnLoopback: false })).rejects.toThrow(
      new RegExp(`IMAP connection to 127\\.0\\.0\\.1:${dovecot.port} as helpdesk failed: .*STARTTLS`),
    );
  });

  it('names host and user when the login fails, never the password', async () => {
    const { poll } = await poller('Login');
    const c = await dovecot.client();
    await c.mailboxCreate('Login');
    await c.logout();
    const wrong = 'Wr0ng-Secret-Horse';

    const failed = poll(undefined, { password: wrong });

    await expect(failed).rejects.toThrow(ImapLoginError);
    const err = (await failed.catch((e: unknown) => e)) as Error;
    expect(err.message).toContain(`127.0.0.1:${dovecot.port}`);
    expect(err.message).toContain(dovecot.user);
    expect(`${err.message} ${err.stack} ${JSON.stringify(err)}`).not.toContain(wrong);
    // The lock was released on the way out.
    expect(await poll()).toEqual([]);
  });
});

describe('ticketing imap-poll --once', () => {
  it('turns a Dovecot mailbox into tickets exactly once, a JSON line per message', async () => {
    const imap = { host: '127.0.0.1', port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, folder: 'Cli', processedFolder: 'Cli-done', allowPlainOnLoopback: true };
    const cli = await pollCli('imap-poll', { imap });
    try {
      for (const f of [NEW_VPN, NEW_WIFI]) await dovecot.append('Cli', fixtureMail(f));
      const first = await cli.once();
      expect(first.map((r) => [r.outcome, r.ticket])).toEqual([['created', 'TKT-1'], ['created', 'TKT-2']]);
      expect(await cli.once()).toEqual([]);
      expect((await dovecot.list('Cli')).length).toBe(0);
      expect((await dovecot.list('Cli-done')).map((m) => m.seen)).toEqual([true, true]);
    } finally {
      await cli.cleanup();
    }
  });
});

