/**
 * What the chat Lambda counts, as CloudWatch metrics (namespace Ticketing, dimensions service
 * and stage, as src/aws/lambda-metrics.ts does for the others): posts made, refused for good,
 * perhaps made (the answer was lost), to be retried, and messages that were no ticket event.
 */
import type { ChatDelivery } from '../chat/notifier.js';

export type ChatOutcomeCounts = Partial<Record<ChatDelivery['outcome'], number>>;

const METRIC_OF_OUTCOME: Partial<Record<ChatDelivery['outcome'], string>> = {
  posted: 'ChatPosted',
  failed: 'ChatFailed',
  unconfirmed: 'ChatUnconfirmed',
  'retry-later': 'ChatRetryLater',
};

/** Counts above zero only: a custom metric is billed for every hour it receives data, zeros included. */
export function chatCounts(outcomes: ChatOutcomeCounts, unreadable: number): Record<string, number> {
  const counts: Record<string, number> = { ChatEventsUnreadable: unreadable };
  for (const [outcome, n] of Object.entries(outcomes)) {
    const name = METRIC_OF_OUTCOME[outcome as ChatDelivery['outcome']];
    if (name) counts[name] = (counts[name] ?? 0) + n;
  }
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}
