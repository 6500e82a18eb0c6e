/** Machine mail (an out-of-office, a bounce, a copy of our own mail): recorded, changes nothing. */
import { isSupportAddress } from '../../domain/addresses.js';
import { isAuthenticated } from '../../domain/sender-trust.js';
import { recordBounce } from './bounce-marks.js';
import { doneReceipts, type Delivery } from './context.js';
import { recordOnTicket } from './record-on-ticket.js';
import { joinReason, result, type InboundResult } from './result.js';
import type { Route } from './route.js';
import { visibleTextOf } from './thread-message.js';

/** On a ticket's thread: kept on the ticket without changing it. */
export async function appendMachineMail({ ticket, machine }: Extract<Route, { kind: 'machine-on-ticket' }>, d: Delivery): Promise<InboundResult> {
  const { msg, book } = d;
  const visible = visibleTextOf(msg, ticket.outboundTexts);
  // Bounces are marked before the receipt: a replay of a finished delivery marks nothing.
  const marks = await recordBounce(d);
  const reason = joinReason([`${machine.reason}; recorded on ${ticket.id} without changing it`, ...marks, ...d.notes]);
  // A staff member's send-as copy (our address, authenticated): a bounce of it may quote its id.
  const inOurName = machine.kind === 'own-mail' && isAuthenticated(d.auth) ? [...msg.to, ...msg.cc].map((m) => m.address).filter((a) => !isSupportAddress(a, book)) : undefined;
  return recordOnTicket(ticket, d, { out: result('appended', reason, msg, ticket), visible, role: machine.kind, participants: false, activity: false, ...(inOurName ? { sentTo: inOurName } : {}) });
}

/** On no thread of ours: no ticket opened, nothing sent (a bounce may still mark who it proves). */
export async function ignoreMachineMail({ machine }: Extract<Route, { kind: 'machine-alone' }>, d: Delivery): Promise<InboundResult> {
  const marks = await recordBounce(d);
  const reason = [`${machine.reason}, not on any ticket: no ticket opened, nothing sent`, ...marks].join('; ');
  await d.ports.store.recordReceipts(doneReceipts(d, 'ignored', null, reason));
  return result('ignored', reason, d.msg, null);
}
