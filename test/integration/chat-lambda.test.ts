/**
 * The chat Lambda's handler (src/aws/chat-handler.ts) on SNS events as the ticket-events topic
 * delivers them, with the real notifier, the post claims on dynalite and Slack and Teams stood in
 * for on 127.0.0.1 (test/support/fake-chat.ts). The channels' secrets come through the secret
 * reader, as on AWS; only that port is a stand-in for Secrets Manager.
 */
import { describe, expect, it } from 'vitest';
import { ChatRetryLaterError, handleChatEvent, type ChatHandlerSetup } from '../../src/aws/chat-handler.js';
import { UnknownEventError } from '../../src/aws/events.js';
import { parseConfig } from '../../src/config.js';
import type { PublishedEvent, TicketEventMessage } from '../../src/pipeline/ticket-events.js';
import { freshTicketEvent } from '../support/chat-examples.js';
import { useStackAndChat } from '../support/chat-fixture.js';

const SLACK_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/slack-AbCdEf';
const TEAMS_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/teams-AbCdEf';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:Ticketing-dev-TicketEvents';
const CHANNEL = 'C0123ABCDEF';

const env = useStackAndChat();
const ticketCreated = (more: Partial<TicketEventMessage> = {}) => freshTicketEvent('ticket.created', { id: `mail:lambda-${++n}/event`, ...more });
let n = 0;


/** The Lambda event SNS invokes a subscribed function with: one record per message. */
function snsEvent(...messages: string[]) {
  return {
    Records: messages.map((Message, i) => ({
      EventVersion: '1.0',
      EventSubscriptionArn: `${TOPIC}:0f5c5b46-8c57-4b5c-9f0e-2d3e4f5a6b7c`,
      EventSource: 'aws:sns',
      Sns: {
        Type: 'Notification',
        MessageId: `95df01b4-ee98-5cb9-9903-4c221d41eb5${i}-${n}`,
        TopicArn: TOPIC,
        Subject: 'ticket event',
        Message,
        Timestamp: '2026-12-07T08:00:01.000Z',
        MessageAttributes: {},
      },
    })),
  };
}

/** Slack (bot token and channel) and Teams, both from their secrets; retrySeconds 0: a 5xx is retried by the next delivery, no test sleeps. */
function setUp() {
  const config = parseConfig({
    supportAddresses: ['help@northwind.example'],
    teamName: 'Northwind IT',
    chat: { slack: { secretArn: SLACK_SECRET, channel: CHANNEL, apiUrl: env.chat.slackApiUrl }, teams: { secretArn: TEAMS_SECRET }, retrySeconds: 0 },
    aws: env.fixture.config.aws,
  });
  const secrets = new Map([
    [SLACK_SECRET, JSON.stringify({ botToken: env.chat.botToken })],
    [TEAMS_SECRET, JSON.stringify({ webhookUrl: env.chat.teamsWebhookUrl })],
  ]);
  const lines: { level: string; message: string; attributes: Record<string, unknown> }[] = [];
  const counted: Record<string, number> = {};
  const setup: ChatHandlerSetup = {
    config,
    deps: {
      store: env.posts(),
      clock: { now: () => new Date() },
      readSecret: async (arn) => secrets.get(arn) ?? Promise.reject(new Error(`no secret ${arn}`)),
      log: () => undefined,
    },
    log: {
      info: (message, attributes) => lines.push({ level: 'INFO', message, attributes }),
      warn: (message, attributes) => lines.push({ level: 'WARN', message, attributes }),
      error: (message, attributes) => lines.push({ level: 'ERROR', message, attributes }),
    },
    metrics: { addMetric: (name, _unit, value) => void (counted[name] = (counted[name] ?? 0) + value) },
  };
  return { setup, lines, counted };
}

const postsSince = (since: number) => env.chat.posts.slice(since).map((p) => p.kind);

describe('the chat Lambda handler', () => {
  it('posts a ticket event from SNS to Slack and Teams, one log line per channel, and counts them', async () => {
    // Prepare
    const { setup, lines, counted } = setUp();
    const event = ticketCreated();
    const since = env.chat.posts.length;

    // Act
    const summary = await handleChatEvent(snsEvent(JSON.stringify(event)), setup);

    // Assess
    expect(summary).toEqual({ events: 1, unreadable: 0, outcomes: { posted: 2 } });
    expect(postsSince(since)).toEqual(['slack-api', 'teams']);
    expect(JSON.stringify(env.chat.posts[since]!.body)).toContain(event.ticketId);
    const messageId = snsEvent('').Records[0]!.Sns.MessageId;
    expect(lines).toEqual([
      { level: 'INFO', message: 'chat delivery', attributes: { messageId, eventId: event.id, type: 'ticket.created', about: event.ticketId, channel: 'slack', outcome: 'posted', why: 'as a new message' } },
      { level: 'INFO', message: 'chat delivery', attributes: { messageId, eventId: event.id, type: 'ticket.created', about: event.ticketId, channel: 'teams', outcome: 'posted', why: 'as a new message' } },
    ]);
    expect(counted).toEqual({ ChatPosted: 2 });
    // No subject and no requester address in the log.
    expect(JSON.stringify(lines)).not.toMatch(/Outlook|ana\.souza/);
  });

  it('posts nothing again when SNS or Lambda delivers the same event twice', async () => {
    // Prepare
    const { setup, counted } = setUp();
    const message = JSON.stringify(ticketCreated());
    await handleChatEvent(snsEvent(message), setup);
    const since = env.chat.posts.length;

    // Act
    const again = await handleChatEvent(snsEvent(message), setup);

    // Assess
    expect(again.outcomes).toEqual({ 'already-posted': 2 });
    expect(postsSince(since)).toEqual([]);
    expect(counted).toEqual({ ChatPosted: 2 }); // from the first delivery only
  });

  it('logs and counts a message that is no ticket event, never throws for it, and still posts the others', async () => {
    // Prepare
    const { setup, lines, counted } = setUp();
    const good = ticketCreated();
    const since = env.chat.posts.length;

    // Act
    const summary = await handleChatEvent(snsEvent('{not json', JSON.stringify({ id: 'x-1', type: 'ticket.exploded', at: 'now' }), JSON.stringify(good)), setup);

    // Assess
    expect(summary).toMatchObject({ events: 1, unreadable: 2, outcomes: { posted: 2 } });
    expect(postsSince(since)).toEqual(['slack-api', 'teams']);
    const unreadable = lines.filter((l) => l.message === 'chat event unreadable');
    expect(unreadable).toEqual([
      { level: 'ERROR', message: 'chat event unreadable', attributes: { messageId: expect.stringMatching(/^95df01b4-.*0-/), why: 'not a ticket event: not JSON' } },
      { level: 'ERROR', message: 'chat event unreadable', attributes: { messageId: expect.stringMatching(/^95df01b4-.*1-/), why: expect.stringMatching(/^not a ticket event: type/) } },
    ]);
    expect(counted).toEqual({ ChatEventsUnreadable: 2, ChatPosted: 2 });
  });

  it('fails the invoke when a channel asks to be tried later, after posting to the other; the retry posts only what is missing', async () => {
    // Prepare
    const { setup, lines, counted } = setUp();
    const message = JSON.stringify(ticketCreated());
    env.chat.failNext('teams', [{ status: 503 }]);
    const since = env.chat.posts.length;

    // Act
    const first = handleChatEvent(snsEvent(message), setup);

    // Assess: Slack has it; Teams is to be retried, which Lambda does when the invoke fails
    await expect(first).rejects.toThrow(ChatRetryLaterError);
    await expect(first).rejects.toThrow(/^to be tried again with the event's next delivery: ticket\.created mail:lambda-\d+\/event to teams$/);
    expect(postsSince(since)).toEqual(['slack-api']);
    expect(lines.map((l) => [l.level, l.attributes.channel, l.attributes.outcome])).toEqual([
      ['INFO', 'slack', 'posted'],
      ['WARN', 'teams', 'retry-later'],
    ]);
    expect(lines[1]!.attributes.why).toContain('the Teams workflow answered 503');
    expect(counted).toEqual({ ChatPosted: 1, ChatRetryLater: 1 });

    // Act: Lambda's retry of the same event
    const retried = await handleChatEvent(snsEvent(message), setup);

    // Assess
    expect(retried.outcomes).toEqual({ 'already-posted': 1, posted: 1 });
    expect(postsSince(since)).toEqual(['slack-api', 'teams']);
  });

  it('counts a post refused for good as failed, and does not fail the invoke for it (no retry could help)', async () => {
    // Prepare: the bot token in the secret was revoked
    const { setup, lines, counted } = setUp();
    const revoked: ChatHandlerSetup = {
      ...setup,
      config: parseConfig({ ...setup.config, chat: { ...setup.config.chat, slack: { ...setup.config.chat.slack!, secretArn: SLACK_SECRET.replace('slack', 'slack-old') }, teams: undefined } }),
      deps: { ...setup.deps, readSecret: async () => JSON.stringify({ botToken: 'xoxb-revoked-token' }) },
    };

    // Act
    const summary = await handleChatEvent(snsEvent(JSON.stringify(ticketCreated())), revoked);

    // Assess
    expect(summary.outcomes).toEqual({ failed: 1 });
    expect(lines[0]).toMatchObject({ level: 'WARN', attributes: { channel: 'slack', outcome: 'failed', why: expect.stringContaining('invalid_auth') } });
    expect(counted).toEqual({ ChatFailed: 1 });
  });

  it('refuses an event that is not from SNS, saying what it expected', async () => {
    const { setup } = setUp();
    const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-12-07T08:00:00Z' };
    await expect(handleChatEvent(scheduled, setup)).rejects.toThrow(UnknownEventError);
    await expect(handleChatEvent(scheduled, setup)).rejects.toThrow('the chat function expects an SNS event from the ticket-events topic (Records[].EventSource "aws:sns"); got keys detail-type, source, time');
  });

  it('logs the ticket or incident an event is about, and none for the digest', async () => {
    // Prepare
    const { setup, lines } = setUp();
    const incident: PublishedEvent = { id: `inc-lambda-${++n}`, type: 'incident.opened', incidentId: `INC-${n}`, title: 'Wi-Fi down on floor 3', tickets: ['TKT-1', 'TKT-2'], reporters: 2, ticketId: 'TKT-2', why: 'two reports', at: '2026-12-07T08:00:00.000Z' };
    const digest: PublishedEvent = { id: `digest-lambda-${++n}`, type: 'digest.sent', subject: 'IT digest', stale: 1, unreachable: 0, undelivered: 0, openIncidents: 1, top: [], why: 'mailed', at: '2026-12-07T08:00:00.000Z' };

    // Act
    await handleChatEvent(snsEvent(JSON.stringify(incident), JSON.stringify(digest)), setup);

    // Assess
    expect(lines.map((l) => [l.attributes.type, l.attributes.about, l.attributes.outcome])).toEqual([
      ['incident.opened', incident.incidentId, 'posted'],
      ['incident.opened', incident.incidentId, 'posted'],
      ['digest.sent', null, 'posted'],
      ['digest.sent', null, 'posted'],
    ]);
  });
});
