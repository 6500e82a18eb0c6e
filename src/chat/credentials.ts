/**
 * The chat channels' secrets, from the config (local use) or from the Secrets Manager secret it
 * names (AWS), whose string is JSON with the same field names. Read once per process and shared;
 * an error names the secret and the field, never a value.
 */
import * as z from 'zod';
import type { ChatConfig, SlackConfig, TeamsConfig } from './config.js';
import { chatUrlSchema } from './config.js';

export interface SlackCredentials {
  webhookUrl: string | null;
  botToken: string | null;
  /** Where the bot token posts. */
  channel: string | null;
  signingSecret: string | null;
}

export interface TeamsCredentials {
  webhookUrl: string;
}

/** Reads a secret's string by ARN (src/aws/secret-string.ts on AWS). */
export type SecretReader = (arn: string) => Promise<string>;

export class ChatCredentialsError extends Error {
  override name = 'ChatCredentialsError';
}

const slackSecretSchema = z
  .object({
    webhookUrl: chatUrlSchema.optional(),
    botToken: z.string().regex(/^xox[bp]-[\w-]+$/, 'expected a Slack bot token such as xoxb-…').optional(),
    signingSecret: z.string().min(16).optional(),
  })
  .strict();

const teamsSecretSchema = z.object({ webhookUrl: chatUrlSchema }).strict();

export async function slackCredentials(slack: SlackConfig, readSecret: SecretReader | null): Promise<SlackCredentials> {
  const fromSecret = slack.secretArn ? await secretJson(slack.secretArn, slackSecretSchema, readSecret, 'chat.slack') : {};
  const merged: SlackCredentials = {
    webhookUrl: fromSecret.webhookUrl ?? slack.webhookUrl ?? null,
    botToken: fromSecret.botToken ?? slack.botToken ?? null,
    channel: slack.channel ?? null,
    signingSecret: fromSecret.signingSecret ?? slack.signingSecret ?? null,
  };
  if (!merged.webhookUrl && !merged.botToken) throw new ChatCredentialsError(`chat.slack: the secret ${slack.secretArn} holds neither webhookUrl nor botToken`);
  if (merged.botToken && !merged.webhookUrl && !merged.channel) throw new ChatCredentialsError('chat.slack: a bot token posts to a channel: set chat.slack.channel to its id');
  return merged;
}

export async function teamsCredentials(teams: TeamsConfig, readSecret: SecretReader | null): Promise<TeamsCredentials> {
  if (teams.webhookUrl) return { webhookUrl: teams.webhookUrl };
  return secretJson(teams.secretArn!, teamsSecretSchema, readSecret, 'chat.teams');
}

/** Whether the config keeps any chat secret inline (refused on AWS, where secrets go in Secrets Manager). */
export function inlineChatSecrets(chat: ChatConfig): string[] {
  const found: string[] = [];
  if (chat.slack?.webhookUrl) found.push('chat.slack.webhookUrl');
  if (chat.slack?.botToken) found.push('chat.slack.botToken');
  if (chat.slack?.signingSecret) found.push('chat.slack.signingSecret');
  if (chat.teams?.webhookUrl) found.push('chat.teams.webhookUrl');
  return found;
}

async function secretJson<T>(arn: string, schema: z.ZodType<T>, readSecret: SecretReader | null, where: string): Promise<T> {
  if (!readSecret) throw new ChatCredentialsError(`${where}.secretArn is set, but this process cannot read Secrets Manager`);
  const text = await readSecret(arn);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ChatCredentialsError(`${where}: the secret ${arn} is not JSON (expected e.g. {"webhookUrl": "https://…"})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ChatCredentialsError(`${where}: the secret ${arn}: ${issue.path.join('.') || 'value'}: ${issue.message}`);
  }
  return parsed.data;
}
