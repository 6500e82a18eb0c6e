/**
 * Lambda entry for an EventBridge schedule: one Microsoft Graph poll of config.graph.folder.
 * Configuration comes from TICKETING_CONFIG, like the other Lambdas'; the app's credentials from
 * Secrets Manager (graph.app.credentialsSecretArn). The CDK app adds it, with a one-minute
 * schedule, when the config has a graph block.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createClients } from '../aws/clients.js';
import { METRIC_SERVICES, pollCounts, ticketingMetrics, UndeliveredMailTally } from '../aws/lambda-metrics.js';
import { withLinkKeys } from '../aws/link-keys.js';
import { portsFor, systemClock } from '../aws/ports-from-config.js';
import { loadConfigFromEnv } from '../config.js';
import { GraphThrottledError } from './client.js';
import { MailboxLockedError, pollGraphMailbox, type GraphPollDeps } from './poller.js';
import { graphTokens } from './tokens.js';

const logger = new Logger({ serviceName: METRIC_SERVICES.graph });
// The same metrics as the inbound Lambda's under service ticketing-graph, plus what only a poll
// has: failed messages, skipped and throttled polls.
const metrics = ticketingMetrics(METRIC_SERVICES.graph);
const undelivered = new UndeliveredMailTally();
// Bad configuration fails the cold start, loudly.
const config = await withLinkKeys(loadConfigFromEnv());
if (!config.graph) throw new Error('TICKETING_CONFIG has no graph block: the Microsoft Graph poller has nothing to poll');
const deps: GraphPollDeps = {
  ...portsFor(config, createClients({ region: config.aws.region }), { clock: systemClock, undelivered }),
  // Made once: the token is cached across warm invocations.
  tokens: graphTokens(config.graph),
};

export async function handler(_event: unknown, context: Context) {
  logger.addContext(context);
  try {
    const results = await pollGraphMailbox(deps, config, {
      // Ends well inside the function's timeout, with time left to save and release.
      maxThrottleWaitMs: Math.max(0, Math.min(60_000, context.getRemainingTimeInMillis() / 3)),
    });
    // Graph ids, outcomes and ticket ids only: no subjects, no addresses.
    for (const r of results) logger.info('graph message', { id: r.id, outcome: r.outcome, ticket: 'ticket' in r ? r.ticket : null });
    for (const [name, n] of Object.entries(pollCounts(results, 'GraphMessagesFailed'))) metrics.addMetric(name, MetricUnit.Count, n);
    return { polled: results.length, failed: results.filter((r) => r.outcome === 'error').length };
  } catch (err) {
    // The schedule fires again soon: a poll still running elsewhere, or Graph asking us to wait, is no failure.
    if (err instanceof MailboxLockedError) {
      logger.info('graph poll skipped', { reason: err.message });
      metrics.addMetric('GraphPollsSkipped', MetricUnit.Count, 1);
      return { polled: 0, failed: 0, skipped: err.message };
    }
    if (err instanceof GraphThrottledError) {
      logger.warn('graph poll throttled', { reason: err.message });
      metrics.addMetric('GraphPollsThrottled', MetricUnit.Count, 1);
      return { polled: 0, failed: 0, throttled: err.message };
    }
    // A failed poll (credentials, permissions, a missing folder) is the Lambda's Errors metric, which the outage alarm watches.
    throw err;
  } finally {
    for (const [name, n] of Object.entries(undelivered.drain())) metrics.addMetric(name, MetricUnit.Count, n!);
    metrics.publishStoredMetrics();
  }
}
