/**
 * Step 1, on the envelope alone: the receipt rule receives for the whole domain (so
 * plus-addresses match), and mail for other mailboxes there is not ours. Decided before the raw
 * mail is even read.
 */
import { withoutPlus, type AddressBook } from '../../domain/addresses.js';
import type { Receipt } from '../../domain/receipt.js';
import type { TicketStore } from '../ports.js';
import { result, type InboundResult } from './result.js';

/** Null when the mail is addressed to a support address (or the source gives no envelope). */
export async function notAddressedToUs(receipt: Receipt, book: AddressBook, store: TicketStore, now: Date): Promise<InboundResult | null> {
  if (!receipt.recipients.length || receipt.recipients.some((r) => book.supportAddresses.includes(withoutPlus(r.toLowerCase())))) return null;
  const reason = `addressed to ${receipt.recipients.join(', ')}, none of them a support address (${book.supportAddresses.join(', ')}): not a support mail, left alone; raw mail kept at ${receipt.rawKey}`;
  await store.recordReceipts([
    { id: `raw:${receipt.rawKey}`, state: 'done', outcome: 'ignored', ticketKey: null, ticketId: null, reason, rawKey: receipt.rawKey, at: now.toISOString(), messageId: null },
  ]);
  return result('ignored', reason, null, null);
}
