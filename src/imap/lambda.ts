/**
 * Lambda entry for an EventBridge schedule: one IMAP poll of config.imap.folder.
 * Configuration comes from TICKETING_CONFIG, like the other Lambdas'. The CDK app adds it, with a
 * one-minute schedule, when the config has an imap block.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { createClients } from '../aws/clients.js';
import { imapCounts, METRIC_SERVICES, ticketingMetrics, UndeliveredMailTally } from '../aws/lambda-metrics.js';
import { withLinkKeys } from '../aws/link-keys.js';
import { portsFor, systemClock } from '../aws/ports-from-config.js';
import { loadConfigFromEnv } from '../config.js';
import { imapTokenSource, MailboxLockedError, pollMailbox, type PollDeps } from './poller.js';

const logger = new Logger({ serviceName: METRIC_SERVICES.imap });
// The same metrics as the inbound Lambda's (Quarantined, TicketsCreated, MailNotSent, …) under
// service ticketing-imap, plus what only a poll has: failed messages and skipped polls.
const metrics = ticketingMetrics(METRIC_SERVICES.imap);
const undelivered = new UndeliveredMailTally();
// Bad configuration fails the cold start, loudly.
const config = await withLinkKeys(loadConfigFromEnv());
if (!config.imap) throw new Error('TICKETING_CONFIG has no imap block: the IMAP poller has nothing to poll');
const secretArn = config.imap.passwordSecretArn ?? config.imap.oauth2?.credentialsSecretArn;
const ports = portsFor(config, createClients({ region: config.aws.region }), { clock: systemClock, undelivered });
const secrets = secretArn ? new SecretsManagerClient({ region: secretArn.split(':')[3] }) : undefined;
// Made once per cold start: the app's secret is read once and its token cached across polls.
const imapTokens = imapTokenSource(config.imap, { clock: ports.clock, ...(secrets ? { secrets } : {}) });
const deps: PollDeps = { ...ports, ...(secrets ? { secrets } : {}), ...(imapTokens ? { imapTokens } : {}) };

export async function handler(_event: unknown, context: Context) {
  logger.addContext(context);
  try {
    const results = await pollMailbox(deps, config);
    // UIDs, outcomes and ticket ids only: no subjects, no addresses.
    for (const r of results) logger.info('imap message', { uid: r.uid, outcome: r.outcome, ticket: 'ticket' in r ? r.ticket : null });
    for (const [name, n] of Object.entries(imapCounts(results))) metrics.addMetric(name, MetricUnit.Count, n);
    return { polled: results.length, failed: results.filter((r) => r.outcome === 'error').length };
  } catch (err) {
    // The schedule fires again soon; a poll still running elsewhere is not a failure.
    if (err instanceof MailboxLockedError) {
      logger.info('imap poll skipped', { reason: err.message });
      metrics.addMetric('ImapPollsSkipped', MetricUnit.Count, 1);
      return { polled: 0, failed: 0, skipped: err.message };
    }
    // A failed poll (login, connection) is the Lambda's Errors metric, which the outage alarm watches.
    throw err;
  } finally {
    for (const [name, n] of Object.entries(undelivered.drain())) metrics.addMetric(name, MetricUnit.Count, n!);
    metrics.publishStoredMetrics();
  }
}
