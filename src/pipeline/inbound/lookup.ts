/**
 * Step 4: every read the decision needs, in one round trip (src/pipeline/ports.ts
 * `lookUpInbound`). A mail that can only open a ticket takes its place under the new-ticket
 * limit meanwhile (no extra round trip); the slot is keyed by the mail, so a re-delivery costs
 * nothing. An outage report that may open a ticket brings along, in the same round trip, what
 * the incident decision compares it with (incident-report.ts).
 */
import type { Config } from '../../config.js';
import type { AddressBook } from '../../domain/addresses.js';
import type { Receipt } from '../../domain/receipt.js';
import { threadKeysToLookUp } from '../../domain/thread.js';
import { messageKey } from '../../domain/ticket.js';
import type { InboundMessage } from '../../mail/types.js';
import { overTicketLimit } from '../ticket-limit.js';
import type { Delivery, InboundPorts, SenderFacts } from './context.js';
import { deliveryPlanKey, receiptIds } from './context.js';
import { readIncidentReads } from './incident-report.js';
import { senderNotes } from './sender-facts.js';

export async function lookUp(msg: InboundMessage, receipt: Receipt, now: Date, facts: SenderFacts, ports: InboundPorts, config: Config, book: AddressBook): Promise<Delivery> {
  const { choice, machine, tag, bounce, returnPath } = facts;
  const ownKey = messageKey(msg.messageId);
  const looksNew = choice !== null && !machine && !tag && !msg.inReplyTo.length && !msg.references.length && !receipt.replayed;
  const newTicketSlot = looksNew ? overTicketLimit(choice.requester.address, { msg, now, ownKey, ports, config, book }) : null;
  newTicketSlot?.catch(() => undefined); // awaited when it matters; never an unhandled rejection
  const person = choice && !machine ? choice.requester.address : null;
  const reports = looksNew ? readIncidentReads(msg, now, ports.store, config) : null;
  reports?.catch(() => undefined); // awaited when it matters; never an unhandled rejection
  const found = await ports.store.lookUpInbound({
    receiptIds: receiptIds(msg),
    threadKeys: [...threadKeysToLookUp(msg), ...(bounce?.originalMessageIds ?? []), ...(returnPath ? [returnPath] : []), msg.messageId],
    ticketKeys: [ownKey],
    messageItems: [{ ticketKey: ownKey, messageKey: ownKey }],
    ticketNumber: tag?.number ?? null,
    requester: person ? { address: person, since: new Date(now.getTime() - config.duplicates.windowHours * 3600_000).toISOString() } : null,
    profile: person,
    planKey: deliveryPlanKey(ownKey),
    // A number an earlier attempt took for this mail's ticket commits the mail to that ticket.
    numberFor: person ? ownKey : null,
    confirmWith: ownKey,
  });
  return { ...facts, msg, receipt, now, ownKey, notes: senderNotes(msg, facts), found, newTicketSlot, incidentReads: reports, ports, config, book };
}
