/**
 * The chat adapter subscribed to the local stack's topic: what the SNS-subscribed chat Lambda is
 * on AWS, in this process. It runs after the publisher has its answer, so a slow or failing chat
 * service never holds up mail.
 */
import type { Config } from '../config.js';
import { DynamoChatPosts } from '../aws/dynamo-chat.js';
import type { AwsClients } from '../aws/clients.js';
import { notifyChat } from '../chat/notifier.js';
import { publishedEventOf } from '../chat/published-event.js';
import type { SnsSubscriber } from './sns-delivery.js';

export function localChatSubscriber(config: Config, clients: () => Promise<AwsClients>, log: (line: string) => void): SnsSubscriber {
  return async (message) => {
    const event = publishedEventOf(message.message);
    if (!event.ok) {
      log(`chat: message ${message.seq} on the local topic is not a ticket event (${event.why}): not posted`);
      return;
    }
    const { doc } = await clients();
    const deliveries = await notifyChat(event.event, config, { store: new DynamoChatPosts(doc, config.aws.tableName), clock: { now: () => new Date() }, readSecret: null, log });
    // As the chat Lambda does: a post to be tried again fails the delivery, which is retried later.
    const later = deliveries.filter((d) => d.outcome === 'retry-later').map((d) => d.channel);
    if (later.length) throw new Error(`${later.join(' and ')} asked us to try again later`);
  };
}
