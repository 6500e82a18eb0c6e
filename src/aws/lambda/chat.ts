/**
 * The chat Lambda, subscribed to the ticket-events topic: posts each event to the Slack and
 * Teams channels of the config (src/aws/chat-handler.ts). Config, clients and the post store are
 * made once per container; the channels' secrets are read by the first event that needs them.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { hasChatChannel } from '../../chat/config.js';
import { loadConfigFromEnv } from '../../config.js';
import { handleChatEvent } from '../chat-handler.js';
import { createClients } from '../clients.js';
import { DynamoChatPosts } from '../dynamo-chat.js';
import { METRIC_SERVICES, ticketingMetrics } from '../lambda-metrics.js';
import { systemClock } from '../ports-from-config.js';
import { redactAddresses } from '../redact.js';
import { readSecretString } from '../secret-string.js';

const logger = new Logger({ serviceName: METRIC_SERVICES.chat });
const metrics = ticketingMetrics(METRIC_SERVICES.chat);
// Bad configuration fails the cold start, loudly.
const config = loadConfigFromEnv();
if (!hasChatChannel(config.chat)) throw new Error('TICKETING_CONFIG has no chat.slack or chat.teams block: the chat function has no channel to post to');
const { doc } = createClients({ region: config.aws.region });
const setup = {
  config,
  deps: {
    store: new DynamoChatPosts(doc, config.aws.tableName),
    clock: systemClock,
    readSecret: (arn: string) => readSecretString(arn),
    // The handler logs each delivery itself, with its ids; the notifier's own lines are detail.
    log: (line: string) => logger.debug(redactAddresses(line)),
  },
  log: logger,
  metrics,
};

export async function handler(event: unknown, context: Context) {
  logger.addContext(context);
  try {
    return await handleChatEvent(event, setup);
  } finally {
    metrics.publishStoredMetrics();
  }
}
