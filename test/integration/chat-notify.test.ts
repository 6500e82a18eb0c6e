/**
 * The chat adapter against a local Slack and Teams (test/support/fake-chat.ts, which refuses any
 * payload that fails Block Kit's or Adaptive Cards' checks) and the claims on dynalite: threads,
 * no double posts on redelivery, retries on 429/5xx with Retry-After, and faults injected between
 * the post and its record.
 */
import { describe, expect, it } from 'vitest';
import { notifyChat, type ChatDeps } from '../../src/chat/notifier.js';
import type { ChatPostStore } from '../../src/chat/post-store.js';
import { parseConfig, type Config } from '../../src/config.js';
import type { PublishedEvent } from '../../src/pipeline/ticket-events.js';
import { freshTicketEvent } from '../support/chat-examples.js';
import { useStackAndChat } from '../support/chat-fixture.js';

const env = useStackAndChat();
const ticketEvent = freshTicketEvent;
let n = 0;

const CHANNEL = 'C0123456789';

function configWith(chatConfig: Record<string, unknown>): Config {
  return parseConfig({ supportAddresses: ['help@northwind.example'], teamName: 'Northwind IT', chat: chatConfig, aws: env.fixture.config.aws });
}

function bot(extra: Record<string, unknown> = {}) {
  return { slack: { botToken: env.chat.botToken, channel: CHANNEL, apiUrl: env.chat.slackApiUrl, signingSecret: 'a-signing-secret-of-some-length', ...extra } };
}


/** A clock that the retry waits move forward, so no test sleeps. */
function deps(store: ChatPostStore = env.posts(), more: Partial<ChatDeps> = {}) {
  let now = Date.parse('2026-12-07T08:00:00.000Z');
  const waits: number[] = [];
  const lines: string[] = [];
  const d: ChatDeps = {
    store,
    clock: { now: () => new Date(now) },
    readSecret: null,
    log: (line) => lines.push(line),
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    ...more,
  };
  return { d, waits, lines };
}

const postsOf = (kind: string, since: number) => env.chat.posts.slice(since).filter((p) => p.kind === kind);

describe('posting ticket events to Slack and Teams', () => {
  it('posts a new P1 to Slack and Teams, and threads its update under the first Slack message', async () => {
    const config = configWith({ ...bot(), teams: { webhookUrl: env.chat.teamsWebhookUrl } });
    const { d } = deps();
    const since = env.chat.posts.length;
    const created = ticketEvent('ticket.created');
    expect(await notifyChat(created, config, d)).toEqual([
      { channel: 'slack', outcome: 'posted', why: 'as a new message' },
      { channel: 'teams', outcome: 'posted', why: 'as a new message' },
    ]);
    const [first] = postsOf('slack-api', since);
    expect(first).toMatchObject({ method: 'chat.postMessage', channel: CHANNEL, threadTs: null });
    expect(JSON.stringify(first!.body.blocks)).toContain(created.ticketId);
    expect(postsOf('teams', since)).toHaveLength(1);

    const updated = ticketEvent('ticket.updated', { ticketId: created.ticketId, assignee: 'lee@northwind.example', changes: [{ field: 'assignee', from: null, to: 'lee@northwind.example', by: 'lee@northwind.example' }] });
    const outcomes = await notifyChat(updated, config, d);
    expect(outcomes.map((o) => o.outcome)).toEqual(['posted', 'posted']);
    const [reply] = postsOf('slack-api', since + 2);
    expect(reply).toMatchObject({ channel: CHANNEL, threadTs: first!.ts });
  });

  it('posts an event once however often it is delivered', async () => {
    const config = configWith({ ...bot(), teams: { webhookUrl: env.chat.teamsWebhookUrl } });
    const { d } = deps();
    const since = env.chat.posts.length;
    const event = ticketEvent('ticket.created');
    await notifyChat(event, config, d);
    const again = await Promise.all([notifyChat(event, config, d), notifyChat(event, config, d)]);
    expect(again.flat().map((o) => o.outcome)).toEqual(['already-posted', 'already-posted', 'already-posted', 'already-posted']);
    expect(env.chat.posts.length - since).toBe(2);
  });

  it('leaves out what a channel did not ask for, and says why', async () => {
    const config = configWith({ slack: { webhookUrl: env.chat.slackWebhookUrl, events: ['digest'] }, teams: { webhookUrl: env.chat.teamsWebhookUrl, priorities: ['P1'] } });
    const { d } = deps();
    const since = env.chat.posts.length;
    const outcomes = await notifyChat(ticketEvent('ticket.created', { priority: 'P2' }), config, d);
    expect(outcomes).toEqual([
      { channel: 'slack', outcome: 'not-wanted', why: 'the channel does not take "new-ticket" events' },
      { channel: 'teams', outcome: 'not-wanted', why: 'the channel takes new tickets of other priorities (this one is P2)' },
    ]);
    expect(env.chat.posts.length).toBe(since);
  });

  it('posts through an incoming webhook, where an update comes as its own message', async () => {
    const config = configWith({ slack: { webhookUrl: env.chat.slackWebhookUrl } });
    const { d } = deps();
    const since = env.chat.posts.length;
    const created = ticketEvent('ticket.created');
    await notifyChat(created, config, d);
    await notifyChat(ticketEvent('ticket.updated', { ticketId: created.ticketId, status: 'resolved', changes: [{ field: 'status', from: 'open', to: 'resolved', by: 'lee@northwind.example' }] }), config, d);
    expect(postsOf('slack-webhook', since)).toHaveLength(2);
  });

  it('posts the incident and digest summaries', async () => {
    const config = configWith({ ...bot(), teams: { webhookUrl: env.chat.teamsWebhookUrl } });
    const { d } = deps();
    const since = env.chat.posts.length;
    const incident: PublishedEvent = { id: `inc-${++n}`, type: 'incident.opened', incidentId: `INC-${n}`, title: 'Wi-Fi down (floor 3, Malmö)', tickets: ['TKT-1', 'TKT-2', 'TKT-3'], reporters: 3, ticketId: 'TKT-3', why: 'formed from 3 reports', at: '2026-12-07T08:00:00.000Z' };
    const digest: PublishedEvent = { id: `digest-${++n}`, type: 'digest.sent', subject: 'IT digest: 2 stale tickets', stale: 2, unreachable: 0, undelivered: 1, openIncidents: 1, top: [{ ticketId: 'TKT-7', subject: 'Printer jam', priority: 'P3', idleHours: 80 }], why: 'mailed', at: '2026-12-07T08:00:00.000Z' };
    expect((await notifyChat(incident, config, d)).map((o) => o.outcome)).toEqual(['posted', 'posted']);
    expect((await notifyChat({ ...incident, id: `inc-${++n}`, type: 'incident.updated', reporters: 4 }, config, d)).map((o) => o.outcome)).toEqual(['posted', 'posted']);
    expect((await notifyChat(digest, config, d)).map((o) => o.outcome)).toEqual(['posted', 'posted']);
    const slack = postsOf('slack-api', since);
    expect(slack[1]!.threadTs).toBe(slack[0]!.ts);
    expect(slack[2]!.threadTs).toBeNull();
  });
});

describe('when a chat service refuses or fails', () => {
  it('waits out a 429 Retry-After and a 503 with backoff, then posts once', async () => {
    const config = configWith({ ...bot(), teams: { webhookUrl: env.chat.teamsWebhookUrl } });
    const { d, waits } = deps();
    env.chat.failNext('slack-api', [{ status: 429, retryAfter: 3 }]);
    env.chat.failNext('teams', [{ status: 503 }, { status: 502 }]);
    const since = env.chat.posts.length;
    const outcomes = await notifyChat(ticketEvent('ticket.created'), config, d);
    expect(outcomes.map((o) => o.outcome)).toEqual(['posted', 'posted']);
    expect(waits).toEqual([3000, 1000, 2000]);
    expect(postsOf('slack-api', since)).toHaveLength(1);
    expect(postsOf('teams', since)).toHaveLength(1);
  });

  it('past its retry time leaves the post pending, and the next delivery posts it once', async () => {
    const config = configWith({ slack: { webhookUrl: env.chat.slackWebhookUrl }, retrySeconds: 5 });
    const { d } = deps();
    env.chat.failNext('slack-webhook', [{ status: 429, retryAfter: 60 }]);
    const event = ticketEvent('ticket.created');
    const since = env.chat.posts.length;
    const [first] = await notifyChat(event, config, d);
    expect(first).toMatchObject({ outcome: 'retry-later' });
    expect(first!.why).toContain('rate-limiting us (429)');
    expect(postsOf('slack-webhook', since)).toHaveLength(0);
    const [second] = await notifyChat(event, config, d);
    expect(second).toMatchObject({ outcome: 'posted' });
    expect((await notifyChat(event, config, d))[0]).toMatchObject({ outcome: 'already-posted' });
    expect(postsOf('slack-webhook', since)).toHaveLength(1);
  });

  it('gives up on a refusal that retrying cannot fix, and says what to do', async () => {
    const config = configWith(bot({ botToken: 'xoxb-not-the-right-token' }));
    const { d } = deps();
    const event = ticketEvent('ticket.created');
    const [slack] = await notifyChat(event, config, d);
    expect(slack).toMatchObject({ outcome: 'failed' });
    expect(slack!.why).toContain('invalid_auth (the bot token is wrong or was revoked');
    expect((await notifyChat(event, config, d))[0]).toMatchObject({ outcome: 'failed' });
  });

  it('reads the secret again after a refusal, so a replaced token is used by the next event', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/slack-AbCdEf';
    const config = configWith({ slack: { secretArn: arn, channel: CHANNEL, apiUrl: env.chat.slackApiUrl } });
    let secret = JSON.stringify({ botToken: 'xoxb-revoked-token' });
    const reads: string[] = [];
    const readSecret = async (asked: string) => (reads.push(asked), secret);
    expect((await notifyChat(ticketEvent('ticket.created'), config, deps(undefined, { readSecret }).d))[0]).toMatchObject({ outcome: 'failed' });
    secret = JSON.stringify({ botToken: env.chat.botToken });
    expect((await notifyChat(ticketEvent('ticket.created'), config, deps(undefined, { readSecret }).d))[0]).toMatchObject({ outcome: 'posted' });
    expect((await notifyChat(ticketEvent('ticket.created'), config, deps(undefined, { readSecret }).d))[0]).toMatchObject({ outcome: 'posted' });
    expect(reads).toEqual([arn, arn]);
  });

  it('never repeats a post whose answer was lost', async () => {
    const config = configWith({ slack: { webhookUrl: env.chat.slackWebhookUrl } });
    const lost: typeof fetch = async (input, init) => {
      await fetch(input, init);
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    };
    const event = ticketEvent('ticket.created');
    const since = env.chat.posts.length;
    const [first] = await notifyChat(event, config, deps(undefined, { fetch: lost }).d);
    expect(first).toMatchObject({ outcome: 'unconfirmed' });
    expect(first!.why).toContain('may have been posted');
    expect((await notifyChat(event, config, deps().d))[0]).toMatchObject({ outcome: 'unconfirmed' });
    expect(postsOf('slack-webhook', since)).toHaveLength(1);
  });

  it('a crash between the post and its record: the redelivery does not post again', async () => {
    const config = configWith(bot());
    const real = env.posts();
    let crashed = false;
    const crashing: ChatPostStore = {
      getPost: (c, e) => real.getPost(c, e),
      markSending: (c, e, x, at) => real.markSending(c, e, x, at),
      settlePost: async (r) => {
        if (!crashed && r.state === 'posted') {
          crashed = true;
          throw new Error('the process died');
        }
        return real.settlePost(r);
      },
      threadOf: (c, t) => real.threadOf(c, t),
      keepThread: (c, t, ts, at) => real.keepThread(c, t, ts, at),
    };
    const event = ticketEvent('ticket.created');
    const since = env.chat.posts.length;
    expect((await notifyChat(event, config, deps(crashing).d))[0]).toMatchObject({ outcome: 'retry-later' });
    const [again] = await notifyChat(event, config, deps().d);
    expect(again).toMatchObject({ outcome: 'unconfirmed' });
    expect(postsOf('slack-api', since)).toHaveLength(1);
  });

  it('a crash while waiting to retry: the redelivery posts it', async () => {
    const config = configWith({ slack: { webhookUrl: env.chat.slackWebhookUrl } });
    env.chat.failNext('slack-webhook', [{ status: 500 }]);
    const event = ticketEvent('ticket.created');
    const since = env.chat.posts.length;
    const dying = deps(undefined, { sleep: () => Promise.reject(new Error('the process died')) }).d;
    expect((await notifyChat(event, config, dying))[0]).toMatchObject({ outcome: 'retry-later' });
    expect((await notifyChat(event, config, deps().d))[0]).toMatchObject({ outcome: 'posted' });
    expect(postsOf('slack-webhook', since)).toHaveLength(1);
  });
});
