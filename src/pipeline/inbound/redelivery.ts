/**
 * Step 5: a mail already handled is not decided again. A finished delivery is `redelivered`
 * (and what its plan left pending is done now); an attempt that decided and stopped before its
 * receipts has its decision repeated (record-on-ticket.ts `finishDecision`).
 */
import type { InboundLookupResult, ReceiptRecord } from '../ports.js';
import { isSettled } from '../effects.js';
import { runPlan } from '../effect-runner.js';
import { deliveryPlanKey, type Delivery } from './context.js';
import { result, withOutcomes, type InboundResult } from './result.js';

/**
 * The finished delivery of this mail, if any. Only finished deliveries count: a quarantined one
 * is looked at afresh when it comes again; a `created` receipt counts only when its ticket,
 * first message and plan are all there (the receipts are written beside the plan, so a crash
 * can leave them alone); one written beside its message only once that message, its thread key
 * and the ticket's update are there (the lookup brings them along).
 */
export async function previousDelivery(d: Delivery): Promise<ReceiptRecord | null> {
  const { found, ownKey, msg } = d;
  const own = found.tickets.get(ownKey);
  const createdIntact = own !== undefined && own.number > 0 && found.messagesFound.has(`${ownKey}/${ownKey}`) && found.plan !== null;
  const previous =
    found.receipts
      .filter((r) => r.state === 'done' && (r.outcome !== 'created' || r.ticketKey !== ownKey || createdIntact))
      .sort((a, b) => a.id.localeCompare(b.id))[0] ?? null; // mid: before sha:, the clearer reason
  if (!previous?.withMessage) return previous;
  const ticketKey = previous.ticketKey;
  if (!ticketKey || found.threadKeyHits.get(msg.messageId) !== ticketKey) return null;
  const landedIn = (f: Pick<InboundLookupResult, 'tickets' | 'messagesFound'>) => f.messagesFound.has(`${ticketKey}/${ownKey}`) && f.tickets.get(ticketKey)?.messageKeys.includes(ownKey) === true;
  if (landedIn(found)) return previous;
  // Not among what the lookup brought (it was not there, or the store brings it only when asked): read it.
  const asked = await d.ports.store.lookUpInbound({
    receiptIds: [],
    threadKeys: [],
    ticketKeys: [ticketKey],
    messageItems: [{ ticketKey, messageKey: ownKey }],
    ticketNumber: null,
    requester: null,
    profile: null,
    planKey: deliveryPlanKey(ownKey),
  });
  return landedIn(asked) ? previous : null;
}

/** A finished delivery of this mail: nothing decided again; what its plan left pending is done now. */
export async function redelivered(previous: ReceiptRecord, d: Delivery): Promise<InboundResult> {
  const { msg, found } = d;
  const how = previous.id.startsWith('mid:') ? `same Message-ID <${msg.messageId}>` : 'byte-identical raw message';
  const what = `was processed (${previous.outcome}${previous.ticketId ? ` ${previous.ticketId}` : ''})`;
  const ticket = previous.ticketKey ? found.tickets.get(previous.ticketKey) ?? null : null;
  const out = { ...result('redelivered', `${how} ${what} at ${previous.at}: no second effect`, msg, ticket), ticket: previous.ticketId };
  // An attempt that stopped after numbering its ticket left the number remembered: forgotten now.
  const own = found.tickets.get(d.ownKey);
  const forget = own && own.number === found.pendingNumber ? () => d.ports.store.forgetTicketNumber(own.key, own.number) : undefined;
  if (!found.plan || isSettled(found.plan)) {
    await forget?.();
    return out;
  }
  const outcomes = await runPlan(found.plan, d.ports, d.config, { alongside: forget });
  const finished = outcomes.filter((o) => o.status === 'sent' || o.status === 'done').length;
  const done = finished ? `${finished} planned ${finished === 1 ? 'effect was' : 'effects were'} still pending and ${finished === 1 ? 'is' : 'are'} done now` : null;
  return withOutcomes({ ...out, reason: [out.reason, done].filter(Boolean).join('; ') }, outcomes);
}
