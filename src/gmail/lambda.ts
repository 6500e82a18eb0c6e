/**
 * Lambda entry for an EventBridge schedule: one Gmail API poll of config.gmail.label.
 * Configuration comes from TICKETING_CONFIG, like the other Lambdas'. The token source lives at
 * module scope, so a warm Lambda reuses its access token until shortly before it expires.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { createClients } from '../aws/clients.js';
import { METRIC_SERVICES, pollCounts, ticketingMetrics, UndeliveredMailTally } from '../aws/lambda-metrics.js';
import { withLinkKeys } from '../aws/link-keys.js';
import { portsFor, systemClock } from '../aws/ports-from-config.js';
import { loadConfigFromEnv } from '../config.js';
import { MailboxLockedError } from '../pipeline/mailbox-lease.js';
import { gmailTokenSource, pollGmailMailbox, type GmailPollDeps } from './poller.js';

const logger = new Logger({ serviceName: METRIC_SERVICES.gmail });
// The inbound Lambda's metrics (Quarantined, TicketsCreated, MailNotSent, …) under service
// ticketing-gmail, plus what only a poll has: failed messages and skipped polls.
const metrics = ticketingMetrics(METRIC_SERVICES.gmail);
const undelivered = new UndeliveredMailTally();
// Bad configuration fails the cold start, loudly.
const config = await withLinkKeys(loadConfigFromEnv());
if (!config.gmail) throw new Error('TICKETING_CONFIG has no gmail block: the Gmail poller has nothing to poll');
const gmail = config.gmail;
const secrets = gmail.serviceAccountSecretArn ? new SecretsManagerClient({ region: gmail.serviceAccountSecretArn.split(':')[3] }) : undefined;
const ports = portsFor(config, createClients({ region: config.aws.region }), { clock: systemClock, undelivered });
const deps: GmailPollDeps = { ...ports, ...(secrets ? { secrets } : {}), tokens: gmailTokenSource(gmail, { clock: systemClock, ...(secrets ? { secrets } : {}) }) };

export async function handler(_event: unknown, context: Context) {
  logger.addContext(context);
  try {
    const results = await pollGmailMailbox(deps, config, {
      onSync: (s) => logger.info('gmail sync', { ...s }),
    });
    // Message ids, outcomes and ticket ids only: no subjects, no addresses.
    for (const r of results) logger.info('gmail message', { id: r.id, outcome: r.outcome, ticket: 'ticket' in r ? r.ticket : null });
    for (const [name, n] of Object.entries(pollCounts(results, 'GmailMessagesFailed'))) metrics.addMetric(name, MetricUnit.Count, n);
    return { polled: results.length, failed: results.filter((r) => r.outcome === 'error').length };
  } catch (err) {
    // The schedule fires again soon; a poll still running elsewhere is not a failure.
    if (err instanceof MailboxLockedError) {
      logger.info('gmail poll skipped', { reason: err.message });
      metrics.addMetric('GmailPollsSkipped', MetricUnit.Count, 1);
      return { polled: 0, failed: 0, skipped: err.message };
    }
    // A failed poll (token refused, API down) is the Lambda's Errors metric, which the outage alarm watches.
    throw err;
  } finally {
    for (const [name, n] of Object.entries(undelivered.drain())) metrics.addMetric(name, MetricUnit.Count, n!);
    metrics.publishStoredMetrics();
  }
}
