/**
 * The Microsoft Graph poller against a stand-in Graph (test/support/fake-graph.ts) whose tokens
 * come from the stand-in identity platform through the real microsoftAppTokens, with the real
 * pipeline on the local stack. Each test polls a folder of its own and a table of its own.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { GraphThrottledError } from '../../src/graph/client.js';
import { graphMailerFor } from '../../src/graph/mailer.js';
import { graphAccount, MailboxLockedError, pollGraphMailbox, type GraphConfig, type GraphPollDeps, type GraphPollResult } from '../../src/graph/poller.js';
import { graphTokens } from '../../src/graph/tokens.js';
import { graphSchema } from '../../src/mailbox-config.js';
import { MailSendError } from '../../src/pipeline/mailer.js';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph.js';
import { startFakeMicrosoftIdentity, type FakeMicrosoftIdentity } from '../support/fake-microsoft-identity.js';
import { injectFaults, InjectedCrash } from '../support/faults.js';
import { fixtureMail, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { pollCli } from '../support/poll-cli.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const MAILBOX = 'support@northwind.example';
const TENANT = 'northwind.onmicrosoft.com';
const CLIENT_ID = '6731de76-14a6-49ae-97bc-6eba6914391e';
const SCOPE = 'https://graph.microsoft.com/.default';
const NEW_VPN = '01-outlook-new-vpn-down.eml';
const NEW_WIFI = '05-thunderbird-new-wifi-log.eml';
const NEW_AUDITOR = '06-gmail-new-auditor-access-pdf.eml';
const NEW_PORTAL = '08-iphone-new-contractor-portal.eml';
const NEW_LAPTOP = '24-outlook-ios-new-emoji-laptop-fan.eml';

let fx: StackFixture;
let idp: FakeMicrosoftIdentity;
let graph: FakeGraph;
let setupFailure: unknown;

beforeAll(async () => {
  try {
    fx = await withLocalStack({ config: northwindConfig });
    idp = await startFakeMicrosoftIdentity();
    idp.registerApp({ tenantId: TENANT, clientId: CLIENT_ID, clientSecret: 'Gph8Q~fake-secret-for-tests' });
    // Two messages a page, so every test pages through its delta rounds.
    graph = await startFakeGraph({ mailbox: MAILBOX, acceptToken: (t) => idp.validToken(t, SCOPE), pageSize: 2 });
  } catch (err) {
    setupFailure = err;
  }
});
beforeEach(() => {
  if (setupFailure) throw setupFailure;
});
afterAll(async () => {
  await graph?.close();
  await idp?.close();
  await fx?.cleanup();
});

function graphConfig(folder: string, over: Partial<GraphConfig> = {}): GraphConfig {
  return graphSchema.parse({
    app: { tenantId: TENANT, clientId: CLIENT_ID, clientSecret: 'Gph8Q~fake-secret-for-tests', loginEndpoint: idp.loginEndpoint },
    mailbox: MAILBOX,
    folder,
    processedFolder: `${folder}-done`,
    graphEndpoint: graph.url,
    ...over,
  });
}

/** A pipeline on a fresh table, polling `folder` (made in the mailbox) of the stand-in Graph. */
async function poller(folder: string, over: Partial<GraphConfig> = {}, fetchHook?: (url: string, method: string) => void) {
  graph.createFolder(folder);
  const cfg = graphConfig(folder, over);
  const { deps, store, clock, config: tableConfig } = await pipelineOn(fx, undefined, { ...northwindConfig, graph: cfg });
  const config: Config = { ...tableConfig, graph: cfg };
  const waits: number[] = [];
  const hooked: typeof fetch = async (input, init) => {
    fetchHook?.(String(input), init?.method ?? 'GET');
    return fetch(input, init);
  };
  const pollDeps: GraphPollDeps = {
    store,
    blobs: deps.blobs,
    clock,
    mailer: deps.mailer,
    events: deps.events,
    tokens: graphTokens(cfg),
    fetch: hooked,
    // Retry-After is recorded, not waited for: nothing here depends on time.
    sleep: async (ms) => void waits.push(ms),
  };
  const poll = (opts?: Parameters<typeof pollGraphMailbox>[2]) => pollGraphMailbox(pollDeps, config, opts);
  const cursor = () => store.mailboxCursor({ account: graphAccount(cfg), folder });
  return { poll, pollDeps, store, config, waits, cursor, deps };
}

const summary = (rs: GraphPollResult[]) => rs.map((r) => ({ id: r.id, outcome: r.outcome, ticket: 'ticket' in r ? r.ticket : null }));
const requestsSince = (n: number) => graph.requests.slice(n);

describe('Microsoft Graph poller', () => {
  it('pages through the delta query, makes a ticket of each message and moves it, keeping its id', async () => {
    const { poll, store, cursor } = await poller('Paging');
    const ids = [NEW_VPN, NEW_WIFI, NEW_AUDITOR, NEW_PORTAL, NEW_LAPTOP].map((f) => graph.deliver('Paging', fixtureMail(f)));
    const before = graph.requests.length;

    const results = await poll();

    expect(summary(results)).toEqual(ids.map((id, i) => ({ id, outcome: 'created', ticket: `TKT-${i + 1}` })));
    expect(graph.list('Paging')).toEqual([]);
    // Immutable ids: the moved messages keep the ids the poll knew them by.
    expect(graph.list('Paging-done').sort()).toEqual([...ids].sort());
    const sent = requestsSince(before);
    expect(sent.filter((r) => r.url.includes('/messages/delta')).length).toBe(3);
    expect(sent.filter((r) => r.url.includes('$skiptoken=')).length).toBe(2);
    expect(sent.every((r) => r.prefer.includes('IdType="ImmutableId"'))).toBe(true);
    expect(await cursor()).toEqual({ cursor: expect.stringContaining('$deltatoken='), pending: [] });

    // Nothing new: nothing happens, and the moves came back as removals only.
    expect(await poll()).toEqual([]);
    expect(await store.listTickets()).toHaveLength(5);
  });

  it('drops a message deleted while it waited, and says so when it is gone before it is read', async () => {
    const { poll, store, cursor } = await poller('Deleted', { batchSize: 1 });
    const [a, b, c] = [NEW_VPN, NEW_WIFI, NEW_AUDITOR].map((f) => graph.deliver('Deleted', fixtureMail(f)));

    expect(summary(await poll())).toEqual([{ id: a, outcome: 'created', ticket: 'TKT-1' }]);
    expect((await cursor())?.pending).toEqual([b, c]);

    // Someone deletes c while it waits: the delta query reports it removed, and it is never read.
    graph.remove(c!);
    const before = graph.requests.length;
    expect(summary(await poll())).toEqual([{ id: b, outcome: 'created', ticket: 'TKT-2' }]);
    expect((await cursor())?.pending).toEqual([]);
    expect(requestsSince(before).some((r) => r.url.includes(encodeURIComponent(c!)))).toBe(false);

    // Deleted after the delta query saw it, before we read it: a 404 on $value.
    const d = graph.deliver('Deleted', fixtureMail(NEW_PORTAL));
    const e = graph.deliver('Deleted', fixtureMail(NEW_LAPTOP));
    expect(summary(await poll())).toEqual([{ id: d, outcome: 'created', ticket: 'TKT-3' }]);
    graph.remove(e);
    const gone = await poll();
    expect(gone).toEqual([{ id: e, outcome: 'gone', reason: 'deleted from the mailbox before it was read' }]);
    expect((await cursor())?.pending).toEqual([]);
    expect(await store.listTickets()).toHaveLength(3);
  });

  it('honours Retry-After, and past the poll\'s wait budget stops cleanly and finishes next time', async () => {
    const { poll, store, waits } = await poller('Throttle');
    const a = graph.deliver('Throttle', fixtureMail(NEW_VPN));
    graph.throttle(1, 7, (method, path) => path.endsWith('/$value'));

    expect(summary(await poll())).toEqual([{ id: a, outcome: 'created', ticket: 'TKT-1' }]);
    expect(waits).toEqual([7000]);
    expect(graph.requests.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(1);

    // An hour's Retry-After on the delta query: the poll gives up, keeping its place.
    const b = graph.deliver('Throttle', fixtureMail(NEW_WIFI));
    graph.throttle(1, 3600, (method, path) => path.endsWith('/messages/delta'));
    const err = (await poll().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(GraphThrottledError);
    expect(err.message).toMatch(
      new RegExp(`^Microsoft Graph answered GET /mailFolders.+/messages/delta for mailbox ${MAILBOX} with 429 ApplicationThrottled \\(Application is over its MailboxConcurrency limit\\.\\) and asked us to wait 3600 s, more than this poll may wait \\(60 s in all\\): the rest is left for the next poll$`),
    );
    expect(summary(await poll())).toEqual([{ id: b, outcome: 'created', ticket: 'TKT-2' }]);
    expect(waits).toEqual([7000]);
    expect(await store.listTickets()).toHaveLength(2);
  });

  it.each(['gone', 'syncStateNotFound'] as const)('starts a full sync when the delta token expired (%s), without duplicate tickets', async (how) => {
    const folder = `Expired-${how}`;
    const { poll, store } = await poller(folder);
    const a = graph.deliver(folder, fixtureMail(NEW_VPN));
    expect(summary(await poll())).toEqual([{ id: a, outcome: 'created', ticket: 'TKT-1' }]);

    // A person drags the handled mail back into the folder; a new one arrives; Graph forgets our token.
    graph.move(a, folder);
    const b = graph.deliver(folder, fixtureMail(NEW_WIFI));
    graph.expireDeltaTokens(how);
    const before = graph.requests.length;

    const results = await poll();

    expect(requestsSince(before).map((r) => r.status)).toContain(how === 'gone' ? 410 : 400);
    expect(summary(results).sort((x, y) => String(x.ticket).localeCompare(String(y.ticket)))).toEqual([
      { id: a, outcome: 'redelivered', ticket: 'TKT-1' },
      { id: b, outcome: 'created', ticket: 'TKT-2' },
    ]);
    expect(await store.listTickets()).toHaveLength(2);
    expect(graph.list(folder)).toEqual([]);
  });

  it('gets a fresh token when Graph refuses the old one mid-poll, and finishes the poll', async () => {
    const { poll, store } = await poller('Token');
    const [a, b] = [NEW_VPN, NEW_WIFI].map((f) => graph.deliver('Token', fixtureMail(f)));
    const issuedBefore = idp.issued().length;

    const results = await poll({
      onResult: () => {
        // The token in use stops working (revoked, or expired early by Entra).
        const current = graph.requests.at(-1)!.token!;
        if (idp.validToken(current, SCOPE)) idp.expire(current);
      },
    });

    expect(summary(results)).toEqual([
      { id: a, outcome: 'created', ticket: 'TKT-1' },
      { id: b, outcome: 'created', ticket: 'TKT-2' },
    ]);
    expect(graph.requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
    expect(idp.issued().length - issuedBefore).toBeGreaterThanOrEqual(2);
    expect(await store.listTickets()).toHaveLength(2);
  });

  it('after a crash between processing and the move, the next poll makes no second ticket and moves it', async () => {
    let crashOn: string | null = null;
    const { poll, store, cursor } = await poller('Crash', {}, (url, method) => {
      if (crashOn && method === 'POST' && url.includes(`/messages/${encodeURIComponent(crashOn)}/move`)) {
        crashOn = null;
        throw new InjectedCrash('injected crash before the move');
      }
    });
    const a = graph.deliver('Crash', fixtureMail(NEW_VPN));
    crashOn = a;

    const first = await poll();

    expect(first).toEqual([{ id: a, outcome: 'error', error: expect.stringMatching(/^processed \(created TKT-1\) but not moved to Crash-done; the next poll moves it: could not reach Microsoft Graph/) }]);
    expect(graph.list('Crash')).toEqual([a]);
    expect((await cursor())?.pending).toEqual([a]);

    const second = await poll();

    expect(summary(second)).toEqual([{ id: a, outcome: 'redelivered', ticket: 'TKT-1' }]);
    expect(await store.listTickets()).toHaveLength(1);
    expect(graph.list('Crash-done')).toEqual([a]);
    expect((await cursor())?.pending).toEqual([]);
  });

  it('leaves a message the pipeline fails on in the folder while the others are processed, then retries it first', async () => {
    const faults = injectFaults(fx.clients);
    let failOn: string | null = null;
    try {
      const { poll, store, cursor } = await poller('Fault', {}, (url) => {
        // The store fails right after the first write of this message's processing (DynamoDB lost mid-delivery).
        if (failOn && url.includes(`/messages/${encodeURIComponent(failOn)}/$value`)) {
          faults.failAfter(faults.steps().length + 1);
          failOn = null;
        }
      });
      const [a, b, c] = [NEW_VPN, NEW_WIFI, NEW_AUDITOR].map((f) => graph.deliver('Fault', fixtureMail(f)));
      failOn = b!;

      const first = await poll();

      expect(summary(first)).toEqual([
        { id: a, outcome: 'created', ticket: 'TKT-1' },
        { id: b, outcome: 'error', ticket: null },
        { id: c, outcome: 'created', ticket: expect.stringMatching(/^TKT-\d$/) },
      ]);
      expect(first[1]).toMatchObject({ error: expect.stringContaining('injected crash after step') });
      expect(graph.list('Fault')).toEqual([b]);
      expect((await cursor())?.pending).toEqual([b]);

      const second = await poll();
      expect(second.map((r) => [r.id, r.outcome])).toEqual([[b, expect.stringMatching(/^(created|redelivered)$/)]]);
      expect(graph.list('Fault')).toEqual([]);
      expect(await store.listTickets()).toHaveLength(3);
    } finally {
      faults.remove();
    }
  });

  it('lets one of two concurrent pollers through; the other is told the mailbox is locked', async () => {
    const { poll, store } = await poller('Race');
    for (const f of [NEW_VPN, NEW_WIFI]) graph.deliver('Race', fixtureMail(f));
    let second: Promise<GraphPollResult[]> | undefined;

    const first = await poll({
      onResult: async () => {
        second ??= poll();
        await second.catch(() => undefined);
      },
    });

    await expect(second).rejects.toThrow(MailboxLockedError);
    await expect(second).rejects.toThrow(new RegExp(`graph:${MAILBOX}/Race is locked by another poller until \\d{4}-`));
    expect(first.map((r) => r.outcome)).toEqual(['created', 'created']);
    expect(await store.listTickets()).toHaveLength(2);
    expect(await poll()).toEqual([]);
  });

  it('says which folder is missing, and creates the processed folder', async () => {
    const cfg = graphConfig('Nowhere');
    const { deps, store, clock, config } = await pipelineOn(fx);
    const pollDeps: GraphPollDeps = { store, blobs: deps.blobs, clock, mailer: deps.mailer, events: deps.events, tokens: graphTokens(cfg) };
    await expect(pollGraphMailbox(pollDeps, { ...config, graph: cfg })).rejects.toThrow(`mailbox ${MAILBOX} has no folder "Nowhere" in the mailbox root (graph folder "Nowhere")`);

    const { poll } = await poller('Made', { processedFolder: 'Handled/By ticketing' });
    expect(await poll()).toEqual([]);
    expect(graph.folderNames()).toContain('Handled');
  });

  it('sends our mail through sendMail when graph.sendMail is set: our MIME, thread headers and all', async () => {
    const { poll, deps } = await poller('Send', { sendMail: true });
    const before = graph.sent.length;
    graph.deliver('Send', fixtureMail(NEW_VPN));

    const [result] = await poll();

    expect(result).toMatchObject({ outcome: 'created', ticket: 'TKT-1' });
    const replies = (result as { replies: { kind: string }[] }).replies;
    expect(replies.length).toBeGreaterThanOrEqual(1);
    const sent = graph.sent.slice(before).map((m) => m.toString('utf8'));
    expect(sent).toHaveLength(replies.length);
    const ack = sent.find((m) => /^Auto-Submitted: auto-replied/m.test(m))!;
    expect(ack).toMatch(/^Message-ID: <[^>]+@northwind\.example>/m);
    // Folded by the composer: the header's value is on the next line.
    expect(ack).toMatch(new RegExp(`^In-Reply-To:\\s+<${(result as { messageId: string }).messageId.replace(/[.$+]/g, '\\$&')}>`, 'm'));
    expect(ack).toMatch(/^From: .*support@northwind\.example/m);
    expect(ack).toMatch(/^X-Auto-Response-Suppress: All/m);
    expect(deps.mailer.constructor.name).toBe('GraphMailer');
  });

  it('maps sendMail refusals to MailSendError: retryable or not, never the token', async () => {
    const cfg = graphConfig('Inbox', { sendMail: true });
    const mailer = graphMailerFor(cfg);
    const raw = Buffer.from('From: support@northwind.example\r\nTo: maria@contoso.example\r\nSubject: x\r\nMessage-ID: <a.1@northwind.example>\r\n\r\nhi\r\n');
    const sendMail = (method: string, path: string) => path.endsWith('/sendMail');

    expect(await mailer.send(raw, { from: 'support+b-1@northwind.example', to: ['maria@contoso.example'] })).toEqual({
      providerMessageId: expect.stringMatching(/^[0-9a-f]{32}$/),
      messageIdHeaders: ['a.1@northwind.example'],
    });

    graph.failNext(sendMail, 400, 'ErrorInvalidRecipients');
    const refused = (await mailer.send(raw, { from: 'x@northwind.example', to: ['maria@contoso.example'] }).catch((e: unknown) => e)) as MailSendError;
    expect(refused).toBeInstanceOf(MailSendError);
    expect(refused).toMatchObject({ retryable: false, code: 'ErrorInvalidRecipients' });
    expect(refused.message).toContain(`Microsoft Graph refused the mail to contoso.example: Microsoft Graph answered POST /sendMail for mailbox ${MAILBOX} with 400 ErrorInvalidRecipients (injected ErrorInvalidRecipients)`);

    graph.throttle(1, 30, sendMail);
    const throttled = (await mailer.send(raw, { from: 'x@northwind.example', to: ['maria@contoso.example'] }).catch((e: unknown) => e)) as MailSendError;
    expect(throttled).toMatchObject({ retryable: true, code: 'ApplicationThrottled' });
    for (const t of idp.issued()) expect(`${refused.message} ${throttled.message} ${refused.stack}`).not.toContain(t.token);
  });
});

describe('ticketing graph-poll --once', () => {
  it('turns the mailbox into tickets exactly once, a JSON line per message', async () => {
    graph.createFolder('Cli');
    const { app, mailbox, graphEndpoint } = graphConfig('Cli');
    const cli = await pollCli('graph-poll', { graph: { app, mailbox, graphEndpoint, folder: 'Cli', processedFolder: 'Cli-done' } });
    try {
      const ids = [NEW_VPN, NEW_WIFI].map((f) => graph.deliver('Cli', fixtureMail(f)));

      const first = await cli.once();

      expect(first.map((r) => [r.id, r.outcome, r.ticket])).toEqual([
        [ids[0], 'created', 'TKT-1'],
        [ids[1], 'created', 'TKT-2'],
      ]);
      expect(await cli.once()).toEqual([]);
      expect(graph.list('Cli')).toEqual([]);
      expect(graph.list('Cli-done').sort()).toEqual([...ids].sort());
    } finally {
      await cli.cleanup();
    }
  });
});

