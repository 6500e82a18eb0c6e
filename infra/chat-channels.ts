/**
 * What the stack makes for the chat channels of the config (chat.slack, chat.teams): which
 * secrets the chat function may read, which one the HTTP function reads to check Slack's
 * requests, and how long the function may run. The deployed config is readable by whoever can
 * read the Lambda or the stack's outputs, so a webhook URL, bot token or signing secret must come
 * from Secrets Manager, never inline.
 */
import { inlineChatSecrets } from '../src/chat/credentials.js';
import { isLoopbackHttp, type ChatConfig } from '../src/chat/config.js';

/** Lambda's longest timeout, in seconds. */
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;
/**
 * Beyond chat.retrySeconds of waiting, what one channel's post may take: up to 8 requests of at
 * most 10 s each (src/chat/notifier.ts, post-request.ts), the secret and the post store.
 */
const CHANNEL_OVERHEAD_SECONDS = 90;

export interface ChatDeployment {
  /** The channels' secrets (as given: a complete or a partial ARN), each read by the chat function. */
  secretArns: string[];
  /** Slack's secret, which the HTTP function reads too: it checks Slack's signature on the buttons and /ticket, and looks up who pressed them. */
  slackSecretArn: string | null;
  /** Long enough for every channel to use its whole retry budget (chat.retrySeconds), within Lambda's 15 minutes. */
  timeoutSeconds: number;
}

/** Null when no channel is configured: no chat function. Throws on a secret kept inline. */
export function chatDeployment(chat: ChatConfig): ChatDeployment | null {
  const inline = inlineChatSecrets(chat);
  if (inline.length) {
    throw new Error(
      `ticketingConfig.chat: a deployed stack takes the chat secrets from Secrets Manager (chat.slack.secretArn, chat.teams.secretArn: a JSON secret such as {"webhookUrl": "https://…"}), never inline (${inline.join(', ')}): the configuration is readable in the Lambda and the stack outputs`,
    );
  }
  // Plain http to this machine is how a local stand-in is reached; from a Lambda it reaches nothing.
  if (chat.slack && isLoopbackHttp(chat.slack.apiUrl)) {
    throw new Error(`ticketingConfig.chat.slack.apiUrl: ${chat.slack.apiUrl} is a loopback address, for local use only; a deployed stack talks to https://slack.com/api (leave apiUrl out)`);
  }
  const channels = [chat.slack, chat.teams].filter((c) => c !== undefined);
  if (!channels.length) return null;
  return {
    secretArns: channels.map((c) => c.secretArn).filter((arn): arn is string => arn !== undefined),
    slackSecretArn: chat.slack?.secretArn ?? null,
    timeoutSeconds: Math.min(LAMBDA_MAX_TIMEOUT_SECONDS, channels.length * (chat.retrySeconds + CHANNEL_OVERHEAD_SECONDS) + 30),
  };
}
