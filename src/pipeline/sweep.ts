/**
 * The sweeper: finishes effect plans that no delivery finished. A delivery runs its own plan
 * at once; what is left (a send to retry after throttling, a Lambda that stopped between its
 * writes and its sends, a claim whose runner died) is found on the open-plans index and run
 * again here, by the scheduled job. A plan whose delivery never finished is left to that
 * delivery's own retries.
 */
import type { Config } from '../config.js';
import { runPlan, type EffectPorts } from './effect-runner.js';
import type { EffectOutcome } from './effects.js';

/** A plan younger than this may still be running in the delivery that wrote it. */
export const SWEEP_AFTER_MS = 2 * 60_000;
/** A claim older than this belongs to a runner that stopped: Lambda stops every run within 15 minutes. */
export const CLAIM_LEASE_MS = 15 * 60_000;
/** A plan whose delivery has not finished after this long was given up on (quarantine, dead-letter queue). */
const ABANDONED_AFTER_MS = 24 * 3600_000;

export interface SweepResult {
  /** Open plans looked at. */
  plans: number;
  /** Effects finished now: sent, published, applied. */
  completed: number;
  /** Effects that failed for good or may not have gone out, in words. */
  problems: string[];
  /** Plans left to their delivery, which has not finished yet. */
  waiting: number;
}

export async function sweepPlans(ports: EffectPorts, config: Config): Promise<SweepResult> {
  const now = ports.clock.now();
  const plans = await ports.store.openPlans(new Date(now.getTime() - SWEEP_AFTER_MS).toISOString());
  const out: SweepResult = { plans: plans.length, completed: 0, problems: [], waiting: 0 };
  for (const plan of plans) {
    if (plan.receiptIds.length) {
      const receipts = await ports.store.getReceipts(plan.receiptIds);
      if (!receipts.some((r) => r.state === 'done')) {
        out.waiting++;
        if (now.getTime() - Date.parse(plan.createdAt) > ABANDONED_AFTER_MS) {
          out.problems.push(`${plan.key}: its delivery never finished (see the quarantine and the failed-invocation queue)`);
        }
        continue;
      }
    }
    const outcomes: EffectOutcome[] = await runPlan(plan, ports, config, { leaseMs: CLAIM_LEASE_MS });
    for (const o of outcomes) {
      if (o.status === 'sent' || o.status === 'done') out.completed++;
      else if (o.status === 'failed' || o.status === 'unconfirmed') out.problems.push(`${plan.key} ${o.effect.id}: ${o.why}`);
    }
  }
  return out;
}
