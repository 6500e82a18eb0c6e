/** Someone who may not change the ticket wrote on its thread: kept, and changes nothing. */
import { authenticationWords } from '../../domain/sender-trust.js';
import type { Delivery } from './context.js';
import { recordOnTicket } from './record-on-ticket.js';
import { joinReason, result, type InboundResult } from './result.js';
import type { OutsiderKind, Route } from './route.js';
import { staffWarning } from './staff-warning.js';

export async function appendOutsiderMessage(route: Extract<Route, { kind: 'outsider' }>, d: Delivery): Promise<InboundResult> {
  const { ticket, why, visible } = route;
  const reason = joinReason([why, `${whyOutsider(route.outsider, d, ticket.id)}: recorded without changing it`, ...d.notes]);
  const warning = await staffWarning(ticket, d);
  return recordOnTicket(ticket, d, { out: result('appended', reason, d.msg, ticket), visible, role: 'outsider', participants: false, activity: false, effects: warning ? [warning] : [] });
}

function whyOutsider(kind: OutsiderKind, d: Delivery, ticketId: string): string {
  switch (kind) {
    case 'not-on-ticket':
      return `${d.sender ?? 'the sender'} is neither the requester nor a participant of ${ticketId}`;
    case 'forged':
      return `${d.sender} is on ${ticketId}, but ${authenticationWords(d.auth)}: the mail is not from them`;
  }
}
