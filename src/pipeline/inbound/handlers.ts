/** One handler per kind of route: the type system checks that every kind has one. */
import type { Delivery } from './context.js';
import { mergeDuplicate } from './duplicate.js';
import { appendMachineMail, ignoreMachineMail } from './machine-mail.js';
import { openTicket } from './open-ticket.js';
import { appendOutsiderMessage } from './outsider.js';
import { holdOverLimit } from './over-limit.js';
import { appendRequesterReply } from './requester-reply.js';
import type { InboundResult } from './result.js';
import type { Route, RouteKind } from './route.js';
import { appendStaffMessage } from './staff-message.js';

type Handlers = { [K in RouteKind]: (route: Extract<Route, { kind: K }>, d: Delivery) => Promise<InboundResult> };

const HANDLERS: Handlers = {
  'machine-on-ticket': appendMachineMail,
  'machine-alone': ignoreMachineMail,
  'staff-message': appendStaffMessage,
  outsider: appendOutsiderMessage,
  'requester-reply': appendRequesterReply,
  duplicate: mergeDuplicate,
  'over-limit': holdOverLimit,
  'new-ticket': openTicket,
};

export function handle(route: Route, d: Delivery): Promise<InboundResult> {
  return (HANDLERS[route.kind] as (route: Route, d: Delivery) => Promise<InboundResult>)(route, d);
}
