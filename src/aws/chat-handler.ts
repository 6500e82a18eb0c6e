/**
 * The chat Lambda's logic (src/aws/lambda/chat.ts is its entry): SNS delivers each ticket event
 * the topic publishes; each is posted to the configured Slack and Teams channels by notifyChat.
 * A message that is not a ticket event is logged and counted, never thrown: no retry could make
 * it readable. A post Slack or Teams asked us to retry later makes the invoke fail once every
 * record is handled, so Lambda's async retry delivers the event again; the post claims make that
 * retry skip what was posted.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Config } from '../config.js';
import { notifyChat, type ChatDelivery, type ChatDeps } from '../chat/notifier.js';
import { isIncidentEvent, type PublishedEvent } from '../pipeline/ticket-events.js';
import { chatCounts, type ChatOutcomeCounts } from './chat-metrics.js';
import { redactAddresses } from './redact.js';
import { readTopicDelivery } from './sns-ticket-events.js';

/** The log lines the handler writes: Powertools' Logger, or a test's collector. */
export interface ChatLog {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** Where counts go: Powertools' Metrics, or a test's tally. */
export interface ChatMetricSink {
  addMetric(name: string, unit: Parameters<Metrics['addMetric']>[1], value: number): unknown;
}

export interface ChatHandlerSetup {
  config: Config;
  deps: ChatDeps;
  log: ChatLog;
  metrics: ChatMetricSink;
}

/** Some post is to be tried again: Lambda's async retry delivers the event again. */
export class ChatRetryLaterError extends Error {
  override name = 'ChatRetryLaterError';
}

export interface ChatInvokeSummary {
  events: number;
  unreadable: number;
  /** Per outcome, over every channel and event. */
  outcomes: ChatOutcomeCounts;
}

/** Outcomes someone should look at: warnings in the log. */
const WARN_OUTCOMES = new Set<ChatDelivery['outcome']>(['failed', 'unconfirmed', 'retry-later']);

export async function handleChatEvent(event: unknown, setup: ChatHandlerSetup): Promise<ChatInvokeSummary> {
  const { config, deps, log, metrics } = setup;
  const delivery = readTopicDelivery(event);
  const summary: ChatInvokeSummary = { events: delivery.events.length, unreadable: delivery.unreadable.length, outcomes: {} };
  for (const u of delivery.unreadable) log.error('chat event unreadable', { messageId: u.messageId, why: u.why });
  const retry: string[] = [];
  for (const { messageId, event: published } of delivery.events) {
    for (const d of await notifyChat(published, config, deps)) {
      summary.outcomes[d.outcome] = (summary.outcomes[d.outcome] ?? 0) + 1;
      // Ids, outcome and reason: no subjects, addresses masked.
      const line = { messageId, eventId: published.id, type: published.type, about: aboutOf(published), channel: d.channel, outcome: d.outcome, why: redactAddresses(d.why) };
      if (WARN_OUTCOMES.has(d.outcome)) log.warn('chat delivery', line);
      else log.info('chat delivery', line);
      if (d.outcome === 'retry-later') retry.push(`${published.type} ${published.id} to ${d.channel}`);
    }
  }
  for (const [name, n] of Object.entries(chatCounts(summary.outcomes, summary.unreadable))) metrics.addMetric(name, MetricUnit.Count, n);
  if (retry.length) throw new ChatRetryLaterError(`to be tried again with the event's next delivery: ${retry.join(', ')}`);
  return summary;
}

/** The ticket or incident an event is about, for the log line. */
function aboutOf(event: PublishedEvent): string | null {
  if (isIncidentEvent(event)) return event.incidentId;
  if ('ticketId' in event) return event.ticketId;
  return null;
}
