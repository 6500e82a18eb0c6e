/** A new ticket over the requester's hourly limit: held in quarantine, and staff told once an hour. */
import { planLimitNotice } from '../ticket-limit.js';
import type { Delivery } from './context.js';
import { quarantine } from './quarantine.js';
import type { InboundResult } from './result.js';
import type { Route } from './route.js';

export async function holdOverLimit({ requester, over }: Extract<Route, { kind: 'over-limit' }>, d: Delivery): Promise<InboundResult> {
  const notice = await planLimitNotice(requester, over, d);
  const out = await quarantine(d.ports.store, d.receipt, d.msg, over.reason);
  return { ...out, reason: [out.reason, ...notice].join('; ') };
}
