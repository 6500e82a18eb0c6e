import * as z from 'zod';
import type { Config } from '../config.js';
import type { AddressBook } from '../domain/addresses.js';
import { runStaleJob, type StaleJobOutput, type StaleJobPorts } from '../pipeline/stale-job.js';
import { sweepPlans, type SweepResult } from '../pipeline/sweep.js';
import { UnknownEventError } from './events.js';

/**
 * The EventBridge scheduled event (`detail-type: Scheduled Event`, `source: aws.events`). The
 * CDK app's second schedule adds `detail: { job: "sweep" }`: finish unfinished effect plans only.
 */
export const scheduledEventSchema = z.object({
  'detail-type': z.literal('Scheduled Event'),
  source: z.literal('aws.events'),
  time: z.iso.datetime(),
  resources: z.array(z.string()).default([]),
  detail: z.object({ job: z.enum(['stale', 'sweep']).default('stale') }).loose().default({ job: 'stale' }),
});

export type ScheduledJobOutput = ({ job: 'stale' } & StaleJobOutput) | { job: 'sweep'; swept: SweepResult };

/**
 * Runs the stale job (or the sweep) for a scheduled event. The job's clock is the event's
 * `time`, so a retried delivery of the same event lands in the same slot and does nothing twice.
 */
export async function handleScheduledEvent(event: unknown, ports: Omit<StaleJobPorts, 'clock'>, config: Config, book: AddressBook): Promise<ScheduledJobOutput> {
  const parsed = scheduledEventSchema.safeParse(event);
  if (!parsed.success) {
    const shape = event && typeof event === 'object' ? `keys ${Object.keys(event).slice(0, 8).join(', ') || '(none)'}` : typeof event;
    throw new UnknownEventError(`the stale job expects an EventBridge scheduled event (detail-type "Scheduled Event", source "aws.events"); got ${shape}`);
  }
  const time = new Date(parsed.data.time);
  const clocked = { ...ports, clock: { now: () => time } };
  if (parsed.data.detail.job === 'sweep') return { job: 'sweep', swept: await sweepPlans(clocked, config) };
  return { job: 'stale', ...(await runStaleJob(clocked, config, book)) };
}
