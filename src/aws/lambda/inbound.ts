/**
 * The inbound Lambda: SES receipt events, S3 ObjectCreated events, SQS-wrapped S3 events.
 * Clients and config are made once per container; the work is in handleInboundEvent.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { loadConfigFromEnv } from '../../config.js';
import { createClients } from '../clients.js';
import { handleInboundEvent } from '../inbound-handler.js';
import { inboundCounts, METRIC_SERVICES, ticketingMetrics, UndeliveredMailTally } from '../lambda-metrics.js';
import { withLinkKeys } from '../link-keys.js';
import { portsFor, systemClock } from '../ports-from-config.js';
import { redactAddresses } from '../redact.js';

const logger = new Logger({ serviceName: METRIC_SERVICES.inbound });
// Dimensions service and stage (TICKETING_STAGE): each stage's alarms see only its own numbers.
const metrics = ticketingMetrics(METRIC_SERVICES.inbound);
const undelivered = new UndeliveredMailTally();
// Bad configuration fails the cold start, loudly, before any mail is touched.
const config = await withLinkKeys(loadConfigFromEnv());
const deps = portsFor(config, createClients({ region: config.aws.region }), { clock: systemClock, undelivered });

export async function handler(event: unknown, context: Context) {
  logger.addContext(context);
  try {
    const handled = await handleInboundEvent(event, deps);
    for (const r of handled.results) {
      // Outcome and reason, never bodies; addresses are masked.
      logger.info('inbound mail', { outcome: r.outcome, ticket: r.ticket, messageId: r.messageId, reason: redactAddresses(r.reason) });
    }
    for (const s of handled.skipped) logger.info('record skipped', s);
    for (const f of handled.failures) logger.error('record failed; SQS will deliver it again', { id: f.id, error: redactAddresses(f.error) });
    for (const [name, n] of Object.entries(inboundCounts(handled.results))) metrics.addMetric(name, MetricUnit.Count, n);
    if (handled.failures.length) metrics.addMetric('RecordsFailed', MetricUnit.Count, handled.failures.length);
    return handled.kind === 'sqs' ? { batchItemFailures: handled.batchItemFailures } : undefined;
  } finally {
    // Mail that did not go out counts even when the invocation fails afterwards (MailNotSent alarm).
    for (const [name, n] of Object.entries(undelivered.drain())) metrics.addMetric(name, MetricUnit.Count, n!);
    metrics.publishStoredMetrics();
  }
}
