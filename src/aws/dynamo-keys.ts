/**
 * The keys of the single-table design: one item kind per partition-key prefix, and the
 * partitions of the indexes `openByActivity`, `byRequester` and `byActivity` (src/aws/table.ts).
 * Message-IDs, addresses and plan keys go through keyPart: a huge one is hashed.
 */
import { createHash } from 'node:crypto';
import type { MailboxFolder } from '../pipeline/ports.js';

/** Partition keys may be 2048 bytes; a key part longer than this is stored by its hash. */
const MAX_KEY_PART = 400;

/** A key part (a Message-ID, an address) as it goes into a key: long ones by their sha256. */
export function keyPart(value: string): string {
  return Buffer.byteLength(value) <= MAX_KEY_PART ? value : `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

export const keys = {
  ticket: (ticketKey: string) => ({ pk: `T#${ticketKey}`, sk: 'T' }),
  message: (ticketKey: string, messageKey: string) => ({ pk: `T#${ticketKey}`, sk: `M#${messageKey}` }),
  /** Keyed by the message that caused it, so a replay rewrites the same items. */
  event: (ticketKey: string, causeKey: string, index: number) => ({ pk: `T#${ticketKey}`, sk: `E#${causeKey}#${index}` }),
  alias: (number: number) => ({ pk: `N#${number}`, sk: 'N' }),
  threadKey: (messageId: string) => ({ pk: `K#${keyPart(messageId)}`, sk: 'K' }),
  receipt: (id: string) => ({ pk: `R#${keyPart(id)}`, sk: 'R' }),
  requester: (address: string) => ({ pk: `U#${keyPart(address)}`, sk: 'U' }),
  counter: { pk: 'C#ticket', sk: 'C' },
  incident: (number: number) => ({ pk: `INC#${number}`, sk: 'INC' }),
  incidentCounter: { pk: 'C#incident', sk: 'C' },
  incidentClaim: (service: string) => ({ pk: `INC-CLAIM#${keyPart(service)}`, sk: 'C' }),
  limit: (scope: string, hour: string) => ({ pk: `L#${keyPart(scope)}#${hour}`, sk: 'L' }),
  plan: (planKey: string) => ({ pk: `O#${keyPart(planKey)}`, sk: 'O' }),
  undelivered: (planKey: string, effectId: string) => ({ pk: `X#${keyPart(planKey)}#${effectId}`, sk: 'X' }),
  staleRun: (slot: string) => ({ pk: `J#stale#${slot}`, sk: 'J' }),
  mailboxCheckpoint: (m: MailboxFolder) => ({ pk: `I#${m.account}#${m.folder}`, sk: 'I' }),
  mailboxCursor: (m: MailboxFolder) => ({ pk: `I#${m.account}#${m.folder}`, sk: 'C' }),
  mailboxLease: (m: MailboxFolder) => ({ pk: `I#${m.account}#${m.folder}`, sk: 'L' }),
  /** One chat post of one event to one channel (src/chat/post-store.ts). */
  chatPost: (channel: string, eventId: string) => ({ pk: `H#${channel}#${keyPart(eventId)}`, sk: 'H' }),
  /** The Slack message a ticket's thread hangs under, per channel. */
  chatThread: (channel: string, ticketId: string) => ({ pk: `H#${channel}#T#${ticketId}`, sk: 'T' }),
};

/** Partitions of the sparse indexes: an item is in one only while it carries that index's keys. */
export const partitions = {
  /** byRequester: a requester's open tickets, by last activity. */
  requesterTickets: (address: string) => `REQ#${address}`,
  /** openByActivity: open tickets of one priority, by last activity (the stale job). */
  openTickets: (priority: string | null) => `OPEN#${priority ?? 'NONE'}`,
  /** openByActivity: resolved tickets (until closed), by when they were resolved. */
  resolvedTickets: 'RESOLVED',
  /** byActivity: every numbered ticket, open or not, by last activity (search, listings). */
  allTickets: 'TICKETS',
  /** byActivity: open incidents, by when they formed. */
  openIncidents: 'INCIDENTS#open',
  /** byActivity: resolved incidents, by when they were resolved. */
  resolvedIncidents: 'INCIDENTS#resolved',
  /** openByActivity: quarantined receipts, by arrival. */
  quarantine: 'QUARANTINE',
  /** openByActivity: effect plans not yet settled, by creation (the sweeper). */
  openPlans: 'PLANS#open',
  /** openByActivity: mail that did not go out, by when it settled (the digest). */
  undelivered: 'UNDELIVERED',
};
