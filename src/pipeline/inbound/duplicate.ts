/** A near-identical mail of the same requester's open ticket: merged into it as a duplicate. */
import { percent } from '../../domain/similarity.js';
import { duplicateNoticeOff, planAutoReply } from '../auto-reply.js';
import { profileNow, type Delivery } from './context.js';
import { forwardNote } from './forward.js';
import { recordOnTicket } from './record-on-ticket.js';
import { joinReason, result, type InboundResult } from './result.js';
import type { Route } from './route.js';

export async function mergeDuplicate({ ticket, sim, visible }: Extract<Route, { kind: 'duplicate' }>, d: Delivery): Promise<InboundResult> {
  const { msg, config } = d;
  const reason = joinReason([
    `same requester's open ${ticket.id} is near-identical (subject ${percent(sim.subject)}, body ${percent(sim.body)}, score ${percent(sim.score)} ≥ ${percent(config.duplicates.threshold)}); merged as a duplicate`,
    forwardNote(d),
    ...d.notes,
  ]);
  const off = duplicateNoticeOff(config);
  const effects = off
    ? []
    : [planAutoReply({ plan: { kind: 'duplicate-notice', duplicateOfId: ticket.id }, ticket, inbound: msg, inboundKey: d.ownKey, profile: profileNow(d), now: d.now }, config, d.book)];
  const out = off ? { ...result('merged', `${reason}; no notice sent (${off.why})`, msg, ticket), suppressed: [off] } : result('merged', reason, msg, ticket);
  return recordOnTicket(ticket, d, { out, visible, role: 'duplicate', participants: true, activity: true, merged: true, effects });
}
