/** Mail held back with its reason: its raw object stays, `ticketing replay --quarantined` brings it in. */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Receipt } from '../../domain/receipt.js';
import type { InboundMessage } from '../../mail/types.js';
import { boundedLine, boundedList, MAX_REASON_CHARS, MAX_SUBJECT_CHARS } from '../bounds.js';
import type { ReceiptRecord, TicketStore } from '../ports.js';
import { result, type InboundResult } from './result.js';

export async function quarantine(store: TicketStore, receipt: Receipt, msg: InboundMessage | null, why: string, rawSha256 = msg?.rawSha256): Promise<InboundResult> {
  const record: ReceiptRecord = {
    id: rawSha256 ? `sha:${rawSha256}` : `raw:${receipt.rawKey}`,
    state: 'quarantined',
    outcome: 'quarantined',
    ticketKey: null,
    ticketId: null,
    reason: boundedLine(why, MAX_REASON_CHARS),
    rawKey: receipt.rawKey,
    at: receipt.receivedAt,
    messageId: msg ? boundedLine(msg.messageId, 500) : null,
    ...(msg ? { subject: boundedLine(msg.subject, MAX_SUBJECT_CHARS) } : {}),
    ...(msg?.from ? { from: boundedLine(msg.from.address, 300) } : {}),
    arrival: { source: receipt.source, recipients: boundedList(receipt.recipients), verdicts: receipt.verdicts, ...(receipt.proof ? { proof: receipt.proof } : {}) },
  };
  await store.recordReceipts([record]);
  return { ...result('quarantined', `${why}; raw mail kept at ${receipt.rawKey}`, null, null), messageId: msg?.messageId ?? null };
}

export async function sha256Of(raw: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of raw) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
