/**
 * The ticket-events topic's deliveries to a Lambda, read back: an SNS event whose records each
 * carry one PublishedEvent as JSON (what src/aws/sns-events.ts publishes), read by the chat
 * adapter's own reader (src/chat/published-event.ts).
 */
import * as z from 'zod';
import { publishedEventOf } from '../chat/published-event.js';
import type { PublishedEvent } from '../pipeline/ticket-events.js';
import { UnknownEventError } from './events.js';

/** The Lambda event SNS invokes a subscribed function with (one record per invoke, in practice). */
export const snsEventSchema = z.object({
  Records: z
    .array(
      z.object({
        EventSource: z.literal('aws:sns'),
        Sns: z.object({ MessageId: z.string().min(1), Message: z.string(), TopicArn: z.string().optional() }).loose(),
      }).loose(),
    )
    .min(1),
});

export interface TopicEvent {
  /** SNS's id of the delivery, for the logs. */
  messageId: string;
  event: PublishedEvent;
}

export interface UnreadableMessage {
  messageId: string;
  /** What is wrong with it, in words (never the message itself). */
  why: string;
}

export interface TopicDelivery {
  events: TopicEvent[];
  /** Messages no retry could make readable: reported, not thrown. */
  unreadable: UnreadableMessage[];
}

/**
 * The events in one SNS invoke. Not an SNS event at all (someone invoked the function by hand
 * with something else) is an UnknownEventError; a record whose message is not a ticket event is
 * `unreadable`.
 */
export function readTopicDelivery(event: unknown): TopicDelivery {
  const parsed = snsEventSchema.safeParse(event);
  if (!parsed.success) {
    const shape = event && typeof event === 'object' ? `keys ${Object.keys(event).slice(0, 8).join(', ') || '(none)'}` : typeof event;
    throw new UnknownEventError(`the chat function expects an SNS event from the ticket-events topic (Records[].EventSource "aws:sns"); got ${shape}`);
  }
  const delivery: TopicDelivery = { events: [], unreadable: [] };
  for (const { Sns } of parsed.data.Records) {
    const read = publishedEventOf(Sns.Message);
    if (read.ok) delivery.events.push({ messageId: Sns.MessageId, event: read.event });
    else delivery.unreadable.push({ messageId: Sns.MessageId, why: `not a ticket event: ${read.why}` });
  }
  return delivery;
}
