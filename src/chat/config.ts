/**
 * The configuration of the chat channels ticket events are posted to: Slack (an incoming webhook,
 * or a bot token and a channel) and Microsoft Teams (a Workflows webhook). Each channel says which
 * events it wants. Secrets live in Secrets Manager on AWS (`secretArn`, whose string is JSON with
 * the same field names); the inline fields are for local use only and are refused at synth.
 */
import * as z from 'zod';
import { secretArnSchema } from '../mailbox-config.js';

/** What a channel can be told about. */
export const CHAT_EVENT_KINDS = ['new-ticket', 'update', 'incident', 'stale', 'digest'] as const;
export type ChatEventKind = (typeof CHAT_EVENT_KINDS)[number];

const PRIORITY = z.enum(['P1', 'P2', 'P3', 'P4']);

/** An https URL, or plain http to a loopback address (a receiver on this machine, local use only). */
export const chatUrlSchema = z
  .string()
  .url()
  .refine((u) => u.startsWith('https://') || isLoopbackHttp(u), 'expected an https URL (plain http only to 127.0.0.1, for local use)');

export function isLoopbackHttp(url: string): boolean {
  return /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d+)?(\/|$)/.test(url);
}

const eventsSchema = z
  .array(z.enum(CHAT_EVENT_KINDS))
  .min(1)
  .default(['new-ticket', 'update', 'incident', 'stale', 'digest'])
  .describe('new-ticket: a new ticket of one of `priorities`; update: changes to a ticket this channel was told about; incident: outages grouped into an incident; stale: tickets going stale; digest: the daily digest summary');

const channelCommon = {
  events: eventsSchema,
  /** New tickets of these priorities are posted (a ticket raised to one later is posted then). */
  priorities: z.array(PRIORITY).min(1).default(['P1', 'P2']),
};

export const slackSchema = z
  .object({
    /** An incoming webhook's URL (it posts to the channel it was made for; no threads). */
    webhookUrl: chatUrlSchema.optional(),
    /** A bot token (xoxb-…) with chat:write, users:read and users:read.email; with `channel`, messages thread per ticket. */
    botToken: z.string().regex(/^xox[bp]-[\w-]+$/, 'expected a Slack bot token such as xoxb-…').optional(),
    /** The channel's id (C0123ABCD), for the bot token. */
    channel: z.string().regex(/^[CGD][A-Z0-9]{8,}$/, 'expected a Slack channel id such as C0123ABCDEF').optional(),
    /** The app's signing secret: turns on the buttons and the /ticket command (needs botToken). */
    signingSecret: z.string().min(16).optional(),
    /** Secrets Manager: JSON with any of webhookUrl, botToken, signingSecret. */
    secretArn: secretArnSchema.optional(),
    /** Slack's Web API; another value only for a local stand-in. */
    apiUrl: chatUrlSchema.transform((u) => u.replace(/\/+$/, '')).default('https://slack.com/api'),
    ...channelCommon,
  })
  .strict()
  .superRefine((s, ctx) => {
    const inSecret = s.secretArn !== undefined;
    if (!inSecret && s.webhookUrl === undefined && s.botToken === undefined) {
      ctx.addIssue({ code: 'custom', message: 'give webhookUrl, or botToken and channel, or secretArn' });
    }
    if (s.botToken !== undefined && s.channel === undefined) {
      ctx.addIssue({ code: 'custom', path: ['channel'], message: 'a bot token posts to a channel: give its id' });
    }
    if (s.signingSecret !== undefined && s.botToken === undefined && !inSecret) {
      ctx.addIssue({ code: 'custom', path: ['botToken'], message: 'the buttons and /ticket need a bot token, to look up who pressed them' });
    }
  });

export const teamsSchema = z
  .object({
    /** The URL of a Teams Workflows "When a Teams webhook request is received" trigger. */
    webhookUrl: chatUrlSchema.optional(),
    /** Secrets Manager: JSON with webhookUrl. */
    secretArn: secretArnSchema.optional(),
    ...channelCommon,
  })
  .strict()
  .refine((t) => (t.webhookUrl === undefined) !== (t.secretArn === undefined), { message: 'give exactly one of webhookUrl or secretArn' });

export const chatSchema = z
  .object({
    slack: slackSchema.optional(),
    teams: teamsSchema.optional(),
    /** How long a post may keep retrying (429 Retry-After and 5xx, with backoff) before it is given up and logged. */
    retrySeconds: z.number().int().min(0).max(600).default(60),
  })
  .strict()
  .prefault({});

export type ChatConfig = z.infer<typeof chatSchema>;

/** Whether any channel is configured: without one there is nothing to post to. */
export function hasChatChannel(chat: ChatConfig): boolean {
  return chat.slack !== undefined || chat.teams !== undefined;
}
export type SlackConfig = z.infer<typeof slackSchema>;
export type TeamsConfig = z.infer<typeof teamsSchema>;
