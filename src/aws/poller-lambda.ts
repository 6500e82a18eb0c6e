/**
 * What the three mailbox pollers' Lambdas (src/imap/, src/graph/, src/gmail/ lambda.ts) share:
 * the cold start (configuration from TICKETING_CONFIG, its mailbox block required, the ports) and
 * the handler an EventBridge schedule invokes once a minute: one poll, a log line per message
 * (ids, outcomes and ticket ids only: no subjects, no addresses), the inbound Lambda's metrics
 * under the poller's service plus `<Source>MessagesFailed` and `<Source>PollsSkipped`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { loadConfigFromEnv, type Config } from '../config.js';
import { MailboxLockedError } from '../pipeline/mailbox-lease.js';
import { createClients } from './clients.js';
import { METRIC_SERVICES, pollCounts, ticketingMetrics, UndeliveredMailTally } from './lambda-metrics.js';
import { withLinkKeys } from './link-keys.js';
import { portsFor, systemClock } from './ports-from-config.js';

export type PollerSource = 'imap' | 'graph' | 'gmail';

const METRIC_STEM: Record<PollerSource, string> = { imap: 'Imap', graph: 'Graph', gmail: 'Gmail' };
const NAME: Record<PollerSource, string> = { imap: 'IMAP', graph: 'Microsoft Graph', gmail: 'Gmail' };

export interface PollerSetup<S extends PollerSource> {
  source: S;
  /** The configuration, its `S` block present. */
  config: Config & { [K in S]-?: NonNullable<Config[K]> };
  ports: ReturnType<typeof portsFor>;
  logger: Logger;
  metrics: ReturnType<typeof ticketingMetrics>;
  undelivered: UndeliveredMailTally;
}

/** The cold start. Bad configuration, or none for this source, fails it loudly. */
export async function pollerSetup<S extends PollerSource>(source: S): Promise<PollerSetup<S>> {
  const undelivered = new UndeliveredMailTally();
  const config = await withLinkKeys(loadConfigFromEnv());
  if (!config[source]) throw new Error(`TICKETING_CONFIG has no ${source} block: the ${NAME[source]} poller has nothing to poll`);
  return {
    source,
    config: config as PollerSetup<S>['config'],
    ports: portsFor(config, createClients({ region: config.aws.region }), { clock: systemClock, undelivered }),
    logger: new Logger({ serviceName: METRIC_SERVICES[source] }),
    metrics: ticketingMetrics(METRIC_SERVICES[source]),
    undelivered,
  };
}

export interface PollerHandler<R extends { outcome: string }> {
  poll(context: Context): Promise<R[]>;
  /** Where the message is in the mailbox, for its log line: a UID or the API's id. */
  ref(r: R): Record<string, unknown>;
  /** A whole poll the service asked us to put off (Graph's throttling): skipped and counted, as a held mailbox is. */
  putOff?: { is(err: unknown): boolean; metric: string };
}

export function pollerHandler<S extends PollerSource, R extends { outcome: string }>(setup: PollerSetup<S>, spec: PollerHandler<R>) {
  const { source, logger, metrics, undelivered } = setup;
  const stem = METRIC_STEM[source];
  return async (_event: unknown, context: Context) => {
    logger.addContext(context);
    try {
      const results = await spec.poll(context);
      for (const r of results) logger.info(`${source} message`, { ...spec.ref(r), outcome: r.outcome, ticket: 'ticket' in r ? r.ticket : null });
      for (const [name, n] of Object.entries(pollCounts(results, `${stem}MessagesFailed`))) metrics.addMetric(name, MetricUnit.Count, n);
      return { polled: results.length, failed: results.filter((r) => r.outcome === 'error').length };
    } catch (err) {
      // The schedule fires again soon: a poll still running elsewhere is no failure, nor a service asking us to wait.
      if (err instanceof MailboxLockedError) {
        logger.info(`${source} poll skipped`, { reason: err.message });
        metrics.addMetric(`${stem}PollsSkipped`, MetricUnit.Count, 1);
        return { polled: 0, failed: 0, skipped: err.message };
      }
      if (spec.putOff?.is(err)) {
        logger.warn(`${source} poll throttled`, { reason: (err as Error).message });
        metrics.addMetric(spec.putOff.metric, MetricUnit.Count, 1);
        return { polled: 0, failed: 0, throttled: (err as Error).message };
      }
      // A failed poll (login, credentials, the mailbox itself) is the Lambda's Errors metric, which the outage alarm watches.
      throw err;
    } finally {
      for (const [name, n] of Object.entries(undelivered.drain())) metrics.addMetric(name, MetricUnit.Count, n!);
      metrics.publishStoredMetrics();
    }
  };
}
