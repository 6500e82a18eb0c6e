/**
 * Lambda entry for the EventBridge schedule: the stale-ticket job and the IT digest.
 * Configuration comes from TICKETING_CONFIG, like the inbound Lambda's.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { loadConfigFromEnv } from '../../config.js';
import { createClients } from '../clients.js';
import { addressBook } from '../../pipeline/inbound.js';
import { METRIC_SERVICES, staleCounts, ticketingMetrics, UndeliveredMailTally } from '../lambda-metrics.js';
import { portsFor, systemClock } from '../ports-from-config.js';
import { redactAddresses } from '../redact.js';
import { handleScheduledEvent } from '../stale-handler.js';

const logger = new Logger({ serviceName: METRIC_SERVICES.stale });
const metrics = ticketingMetrics(METRIC_SERVICES.stale);
const undelivered = new UndeliveredMailTally();
// Bad configuration fails the cold start, loudly.
const config = loadConfigFromEnv();
// The job's own clock is the event's time (handleScheduledEvent).
const ports = portsFor(config, createClients({ region: config.aws.region }), { clock: systemClock, undelivered });

export async function handler(event: unknown, context: Context) {
  logger.addContext(context);
  try {
    return await run(event);
  } finally {
    // The digest, reminders and the sweep's retries send mail too: what did not go out counts here.
    for (const [name, n] of Object.entries(undelivered.drain())) metrics.addMetric(name, MetricUnit.Count, n!);
    metrics.publishStoredMetrics();
  }
}

async function run(event: unknown) {
  const out = await handleScheduledEvent(event, ports, config, addressBook(config));
  if (out.job === 'sweep') {
    logger.info('sweep', { plans: out.swept.plans, completed: out.swept.completed, waiting: out.swept.waiting, problems: out.swept.problems.length });
    for (const p of out.swept.problems) logger.warn('sweep problem', { problem: redactAddresses(p) });
    return out.swept;
  }
  const { result } = out;
  // Ticket ids and counts only: no subjects, no addresses.
  logger.info('stale job', {
    slot: result.slot,
    alreadyRan: result.alreadyRan,
    flagged: result.flagged,
    cleared: result.cleared,
    digestTickets: result.digest?.tickets.length ?? 0,
    nudged: result.nudged,
    closed: result.closed,
    problems: result.problems.length,
  });
  for (const p of result.problems) logger.warn('stale job problem', { problem: redactAddresses(p) });
  for (const [name, n] of Object.entries(staleCounts(result))) metrics.addMetric(name, MetricUnit.Count, n);
  return result;
}
