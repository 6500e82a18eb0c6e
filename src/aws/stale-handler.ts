import { z } from 'zod';
import type { Config } from '../config.js';
import type { AddressBook } from '../domain/addresses.js';
import { runStaleJob, type StaleJobOutput, type StaleJobPorts } from '../pipeline/stale-job.js';
import { UnknownEventError } from './events.js';

/** The EventBridge scheduled event (`detail-type: Scheduled Event`, `source: aws.events`). */
export const scheduledEventSchema = z.object({
  'detail-type': z.literal('Scheduled Event'),
  source: z.literal('aws.events'),
  time: z.iso.datetime(),
  resources: z.array(z.string()).default([]),
});

/**
 * Runs the stale job for a scheduled event. The job's clock is the event's `time`, so a retried
 * delivery of the same event lands in the same slot and does nothing twice.
 */
export async function handleScheduledEvent(
  event: unknown,
  ports: Omit<StaleJobPorts, 'clock'>,
  config: Config,
  book: AddressBook,
  messageKey: (id: string) => string,
): Promise<StaleJobOutput> {
  const parsed = scheduledEventSchema.safeParse(event);
  if (!parsed.success) {
    const shape = event && typeof event === 'object' ? `keys ${Object.keys(event).slice(0, 8).join(', ') || '(none)'}` : typeof event;
    throw new UnknownEventError(`the stale job expects an EventBridge scheduled event (detail-type "Scheduled Event", source "aws.events"); got ${shape}`);
  }
  const time = new Date(parsed.data.time);
  return runStaleJob({ ...ports, clock: { now: () => time } }, config, book, messageKey);
}
