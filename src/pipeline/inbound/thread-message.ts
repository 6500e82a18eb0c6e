/** What a person wrote, as the ticket keeps it: the visible text, bounded, on a message item. */
import { messageKey, type ThreadMessage } from '../../domain/ticket.js';
import type { InboundMessage } from '../../mail/types.js';
import { extractVisibleText } from '../../mail/visible-text.js';
import { boundedLine, boundedList, boundedText, MAX_SUBJECT_CHARS, STORED_TEXT_BYTES, VISIBLE_TEXT_INPUT_CHARS } from '../bounds.js';
import type { Delivery } from './context.js';

/**
 * The visible text of a mail read with no texts of ours to clean out: the batch order, the
 * lookup (an outage report) and the route of a new mail all ask for it, and it is made once.
 */
const withoutPriorTexts = new WeakMap<InboundMessage, string>();

/** What the person wrote, bounded for analysis; the stored copy is bounded again (threadMessage). */
export function visibleTextOf(msg: InboundMessage, priorTexts: string[]): string {
  if (!priorTexts.length && withoutPriorTexts.has(msg)) return withoutPriorTexts.get(msg)!;
  const text = extractVisibleText(msg.text.length > VISIBLE_TEXT_INPUT_CHARS ? msg.text.slice(0, VISIBLE_TEXT_INPUT_CHARS) : msg.text, { subject: msg.subject, priorTexts }).text;
  if (!priorTexts.length) withoutPriorTexts.set(msg, text);
  return text;
}

/** The start of what someone wrote, on one line: what the digest shows of a ticket's last message. */
export function excerpt(text: string): string {
  const line = text.slice(0, 1000).replace(/\s+/g, ' ').trim();
  return line.length <= 200 ? line : `${line.slice(0, 199)}…`;
}

/** The message item: bounded, with the whole visible text in S3 beside the raw mail when it is long. */
export async function threadMessage(ticketKey: string, visibleText: string, reason: string, role: string, d: Delivery): Promise<ThreadMessage> {
  const { msg, receipt, now } = d;
  let textBlobKey: string | undefined;
  let stored = visibleText;
  // A body too long to look for quotes in is kept whole, as it came.
  const whole = msg.text.length > VISIBLE_TEXT_INPUT_CHARS ? msg.text : visibleText;
  if (Buffer.byteLength(whole) > STORED_TEXT_BYTES) {
    textBlobKey = `text/${receipt.rawKey}.txt`;
    await d.ports.blobs.put(textBlobKey, Buffer.from(whole), 'text/plain; charset=utf-8');
    stored = boundedText(visibleText, STORED_TEXT_BYTES, `\n… (${Math.round(Buffer.byteLength(whole) / 1024)} KB in all: the whole text is kept at ${textBlobKey})`);
  }
  const attachments = msg.attachments.map(({ filename, contentType, size, blobKey }) => ({ filename: boundedLine(filename, 200), contentType: boundedLine(contentType, 100), size, ...(blobKey ? { blobKey } : {}) }));
  return {
    ticketKey,
    key: messageKey(msg.messageId),
    direction: 'inbound',
    messageId: msg.messageId,
    from: msg.from?.address ?? '',
    to: boundedList(msg.to.map((m) => m.address)),
    cc: boundedList(msg.cc.map((m) => m.address)),
    subject: boundedLine(msg.subject, MAX_SUBJECT_CHARS),
    date: msg.date,
    receivedAt: now.toISOString(),
    visibleText: stored,
    ...(textBlobKey ? { textBlobKey } : {}),
    rawBlobKey: receipt.rawKey,
    attachments: boundedList(attachments),
    reason,
    role,
    parseWarnings: boundedList(msg.parseWarnings, 20).map((w) => boundedLine(w, 300)),
  };
}
