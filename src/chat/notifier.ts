/**
 * The chat adapter: a subscriber of the ticket events (the SNS topic on AWS, the local stack's
 * topic in-process) that posts each wanted event to Slack and to Teams. Each (channel, event) is
 * claimed before its request and settled after, so a redelivered event is not posted twice; a
 * post whose answer was lost is reported, not repeated. 429 and 5xx are retried with backoff
 * (Retry-After when given) within `chat.retrySeconds`; past it the post stays pending for the
 * next delivery of the event. Nothing here ever throws into mail processing: a caller gets one
 * result per channel.
 */
import type { Config } from '../config.js';
import type { PublishedEvent } from '../pipeline/ticket-events.js';
import type { SlackConfig, TeamsConfig } from './config.js';
import { slackCredentials, teamsCredentials, type SecretReader, type SlackCredentials, type TeamsCredentials } from './credentials.js';
import { postChat, type ChatAnswer, type ChatRequest } from './post-request.js';
import type { ChatPostRecord, ChatPostStore } from './post-store.js';
import { notPostedWords, routeEvent, threadSubject, type ChannelWants } from './routing.js';
import { slackMessage } from './slack-message.js';
import { teamsMessage } from './teams-card.js';
import { chatView } from './view.js';

export interface ChatDeps {
  store: ChatPostStore;
  clock: { now(): Date };
  readSecret: SecretReader | null;
  log: (line: string) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export type ChatOutcome = 'posted' | 'not-wanted' | 'already-posted' | 'unconfirmed' | 'failed' | 'retry-later';

export interface ChatDelivery {
  channel: 'slack' | 'teams';
  outcome: ChatOutcome;
  why: string;
}

/** After this many requests in all an event is given up on that channel. */
const MAX_ATTEMPTS = 8;
const FIRST_BACKOFF_MS = 1000;
/** A Slack ts; a channel without threads keeps this marker instead, to know it was told. */
const TOLD_WITHOUT_THREAD = 'told';

/** One channel, ready to post: its store name, what it wants, and how an event becomes a request. */
interface Channel {
  kind: 'slack' | 'teams';
  /** The name its posts and threads are kept under (`slack:C0123…`, `slack:webhook`, `teams`). */
  name: string;
  wants: ChannelWants;
  threads: boolean;
  request(event: PublishedEvent, inThread: string | null): ChatRequest;
  /** Drops the cached credentials: after a refusal, the next event reads the secret again (it may have been replaced). */
  forget(): void;
}

export async function notifyChat(event: PublishedEvent, config: Config, deps: ChatDeps): Promise<ChatDelivery[]> {
  const out: ChatDelivery[] = [];
  for (const [kind, open] of configuredChannels(config, deps.readSecret)) {
    let delivery: ChatDelivery;
    try {
      delivery = await deliver(event, await open(), config, deps);
    } catch (err) {
      // A store or secret that cannot be read: the event is tried again with its next delivery.
      delivery = { channel: kind, outcome: 'retry-later', why: `${(err as Error).name}: ${(err as Error).message}` };
    }
    deps.log(`chat: ${event.type} ${threadSubject(event) ?? ''} to ${kind}: ${delivery.outcome}: ${delivery.why}`.replace(/ {2,}/g, ' '));
    out.push(delivery);
  }
  return out;
}

async function deliver(event: PublishedEvent, channel: Channel, config: Config, deps: ChatDeps): Promise<ChatDelivery> {
  const { store } = deps;
  const done = (outcome: ChatOutcome, why: string): ChatDelivery => ({ channel: channel.kind, outcome, why });
  const subject = threadSubject(event);
  // Both reads at once: the record is only needed when the event is wanted, which is most of the time.
  const [kept, earlier] = await Promise.all([subject ? store.threadOf(channel.name, subject) : null, store.getPost(channel.name, event.id)]);
  const route = routeEvent(event, channel.wants, { told: kept !== null, threadTs: kept !== null && kept !== TOLD_WITHOUT_THREAD ? kept : null });
  if (!route.post) return done('not-wanted', notPostedWords(route.why));

  let record = earlier;
  const budgetEnds = deps.clock.now().getTime() + config.chat.retrySeconds * 1000;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let wait = FIRST_BACKOFF_MS; ; wait *= 2) {
    if (record?.state === 'posted') return done('already-posted', `posted before${record.ts ? ` (ts ${record.ts})` : ''}`);
    if (record?.state === 'sending' || record?.state === 'unconfirmed') return done('unconfirmed', record.why ?? 'another delivery is sending it, or was when it stopped: it may have been posted, so it is not sent again');
    if (record?.state === 'failed') return done('failed', record.why ?? 'given up earlier');
    const at = deps.clock.now().toISOString();
    if (!(await store.markSending(channel.name, event.id, record, at))) {
      record = await store.getPost(channel.name, event.id);
      continue;
    }
    const attempts = (record?.attempts ?? 0) + 1;
    const answer = await postChat(channel.request(event, route.inThread), deps.fetch);
    const settled = settlement(channel, event.id, attempts, answer, deps.clock.now().toISOString());
    await store.settlePost(settled);
    if (answer.kind === 'taken') {
      if (route.startsThread && subject) await store.keepThread(channel.name, subject, channel.threads && answer.ts ? answer.ts : TOLD_WITHOUT_THREAD, settled.at);
      return done('posted', route.inThread ? `in the thread of ${subject}` : 'as a new message');
    }
    if (answer.kind === 'refused') channel.forget();
    if (answer.kind !== 'retry') return done(answer.kind === 'lost' ? 'unconfirmed' : 'failed', answer.why);
    if (settled.state === 'failed') return done('failed', settled.why!);
    const next = Math.max(answer.retryAfterMs ?? wait, wait);
    if (deps.clock.now().getTime() + next > budgetEnds) return done('retry-later', `${answer.why}; tried ${attempts} times, it will be tried again with the event's next delivery`);
    await sleep(next);
    record = settled;
  }
}

function settlement(channel: Channel, eventId: string, attempts: number, answer: ChatAnswer, at: string): ChatPostRecord {
  const base = { channel: channel.name, eventId, attempts, at, ts: null, why: null };
  switch (answer.kind) {
    case 'taken':
      return { ...base, state: 'posted', ts: answer.ts };
    case 'lost':
      return { ...base, state: 'unconfirmed', why: answer.why };
    case 'refused':
      return { ...base, state: 'failed', why: answer.why };
    case 'retry':
      return attempts >= MAX_ATTEMPTS ? { ...base, state: 'failed', why: `${answer.why} (gave up after ${attempts} tries)` } : { ...base, state: 'pending', why: answer.why };
  }
}

/** The configured channels, each opened (its credentials read) only when an event needs it. */
function configuredChannels(config: Config, readSecret: SecretReader | null): (readonly [ChatDelivery['channel'], () => Promise<Channel>])[] {
  const { slack, teams } = config.chat;
  return [
    ...(slack ? [['slack', () => slackChannel(config, slack, readSecret)] as const] : []),
    ...(teams ? [['teams', () => teamsChannel(config, teams, readSecret)] as const] : []),
  ];
}

// The credentials are read once per process and config (a Lambda's warm starts share them); a
// failed read is forgotten, so the next event reads again.
const slackCache = new WeakMap<SlackConfig, Promise<SlackCredentials>>();
const teamsCache = new WeakMap<TeamsConfig, Promise<TeamsCredentials>>();

function once<K extends object, V>(cache: WeakMap<K, Promise<V>>, key: K, read: () => Promise<V>): Promise<V> {
  let pending = cache.get(key);
  if (!pending) {
    pending = read();
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

async function slackChannel(config: Config, slack: SlackConfig, readSecret: SecretReader | null): Promise<Channel> {
  const creds = await once(slackCache, slack, () => slackCredentials(slack, readSecret));
  const view = chatView(config, creds.signingSecret !== null);
  const wants = { events: slack.events, priorities: slack.priorities };
  if (creds.botToken && creds.channel) {
    const { botToken, channel } = creds;
    return {
      kind: 'slack',
      name: `slack:${channel}`,
      wants,
      threads: true,
      forget: () => slackCache.delete(slack),
      request: (event, inThread) => ({
        service: "Slack's chat.postMessage",
        url: `${slack.apiUrl}/chat.postMessage`,
        bearer: botToken,
        body: { channel, ...slackMessage(event, view, { inThread: inThread !== null }), ...(inThread ? { thread_ts: inThread } : {}), unfurl_links: false, unfurl_media: false },
      }),
    };
  }
  const url = creds.webhookUrl!;
  return {
    kind: 'slack',
    name: 'slack:webhook',
    wants,
    threads: false,
    forget: () => slackCache.delete(slack),
    request: (event) => ({ service: "the Slack channel's incoming webhook", url, body: slackMessage(event, view, { inThread: false }) }),
  };
}

async function teamsChannel(config: Config, teams: TeamsConfig, readSecret: SecretReader | null): Promise<Channel> {
  const { webhookUrl } = await once(teamsCache, teams, () => teamsCredentials(teams, readSecret));
  const view = chatView(config, false);
  return {
    kind: 'teams',
    name: 'teams',
    wants: { events: teams.events, priorities: teams.priorities },
    threads: false,
    forget: () => teamsCache.delete(teams),
    request: (event) => ({ service: 'the Teams workflow', url: webhookUrl, body: teamsMessage(event, view) }),
  };
}

/**
 * A test message to every configured channel (`ticketing chat-test`): a sample new ticket, posted
 * once with no claim, so an admin sees the message and any refusal in words at once.
 */
export async function testChatChannels(config: Config, deps: Pick<ChatDeps, 'readSecret' | 'fetch' | 'clock'>): Promise<ChatDelivery[]> {
  const sample: PublishedEvent = {
    id: `chat-test/${deps.clock.now().toISOString()}`,
    type: 'ticket.created',
    ticketId: `${config.ticketPrefix}-0`,
    subject: 'Test message: chat is connected',
    status: 'open',
    priority: 'P2',
    category: null,
    requester: config.staffList,
    assignee: null,
    why: 'sent by ticketing chat-test',
    at: deps.clock.now().toISOString(),
    excerpt: `This is a test from ${config.teamName}'s ticketing. New tickets, incidents, stale tickets and the daily digest will appear here as the channel's events say.`,
  };
  const out: ChatDelivery[] = [];
  for (const [kind, open] of configuredChannels(config, deps.readSecret)) {
    try {
      const answer = await postChat((await open()).request(sample, null), deps.fetch);
      out.push({ channel: kind, outcome: answer.kind === 'taken' ? 'posted' : answer.kind === 'lost' ? 'unconfirmed' : 'failed', why: answer.kind === 'taken' ? 'the test message was posted' : answer.why });
    } catch (err) {
      out.push({ channel: kind, outcome: 'failed', why: (err as Error).message });
    }
  }
  return out;
}
