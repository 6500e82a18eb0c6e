/**
 * Hourly limits of the web surface, kept in the store (the same conditional slots as the
 * auto-reply limits), so they hold across Lambdas and processes.
 */
import { randomUUID } from 'node:crypto';
import { limitHour, type DeliveryLedger } from '../pipeline/ports.js';

export interface LimitCheck {
  scope: string;
  max: number;
}

/** Takes one slot in each limit; the first that is full is returned (slots taken before it stay: the attempt counts). */
export async function overLimit(store: Pick<DeliveryLedger, 'takeSlot'>, limits: LimitCheck[], now: Date): Promise<LimitCheck | null> {
  const hour = limitHour(now);
  const member = randomUUID();
  const taken = await Promise.all(limits.map((l) => store.takeSlot({ scope: l.scope, hour, max: l.max, member })));
  const full = taken.findIndex((ok) => !ok);
  return full === -1 ? null : limits[full]!;
}

/** Seconds until the next clock hour, when every hourly limit starts again. */
export function secondsToNextHour(now: Date): number {
  return 3600 - (Math.floor(now.getTime() / 1000) % 3600);
}
