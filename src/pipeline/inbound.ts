import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type { Config } from '../config.js';
import { chooseRequester, isStaffAddress, visibleParticipants, type AddressBook } from '../domain/addresses.js';
import { classifyMachineMail, type MachineVerdict } from '../domain/machine-mail.js';
import { authentication, quarantineVerdict, verdictsFromHeaders, type Receipt } from '../domain/receipt.js';
import { fingerprint, percent, similarity } from '../domain/similarity.js';
import { decideThread, findTicketTag, staffStanding, threadKeysToLookUp } from '../domain/thread.js';
import { formatTicketId, isOpen, type Ticket, type ThreadMessage } from '../domain/ticket.js';
import { MalformedMailError, parseMail, type AttachmentSink } from '../mail/parse.js';
import type { InboundMessage } from '../mail/types.js';
import { extractVisibleText } from '../mail/visible-text.js';
import type { BlobStore, Clock, InboundLookupResult, ReceiptRecord, TicketStore } from './ports.js';

export type Outcome = 'created' | 'appended' | 'merged' | 'redelivered' | 'ignored' | 'quarantined';

export interface SentReply {
  kind: string;
  to: string;
  subject: string;
}

/** What happened to one inbound mail: the `ticketing ingest` line and the handler's log. */
export interface InboundResult {
  messageId: string | null;
  outcome: Outcome;
  ticket: string | null;
  reason: string;
  status: string | null;
  category: string | null;
  priority: string | null;
  missing: string[];
  replies: SentReply[];
}

export interface InboundPorts {
  store: TicketStore;
  blobs: BlobStore;
  clock: Clock;
}

export class RawMailMissingError extends Error {
  override name = 'RawMailMissingError';
}

/** Header-block types whose first bytes name the message a bounce is about. */
const EMBEDDED_HEADER_TYPES = ['message/rfc822', 'text/rfc822-headers', 'message/rfc822-headers', 'message/global-headers', 'message/global'];
const EMBEDDED_SNIFF_BYTES = 64 * 1024;

export function addressBook(config: Config): AddressBook {
  return {
    supportAddresses: config.supportAddresses,
    ticketPrefix: config.ticketPrefix,
    staffAddresses: config.staff.addresses,
    staffDomains: config.staff.domains,
    staffList: config.staffList,
  };
}

/** Stable short key for a Message-ID: ticket and message items are keyed by it, so replays converge. */
export function messageKey(messageId: string): string {
  return createHash('sha256').update(messageId).digest('hex').slice(0, 24);
}

function receiptIds(msg: Pick<InboundMessage, 'messageId' | 'rawSha256'>): string[] {
  return [`mid:${msg.messageId}`, `sha:${msg.rawSha256}`];
}

function result(outcome: Outcome, reason: string, msg: { messageId: string } | null, ticket: Ticket | null): InboundResult {
  return {
    messageId: msg?.messageId ?? null,
    outcome,
    ticket: ticket?.id ?? null,
    reason,
    status: ticket?.status ?? null,
    category: ticket?.category ?? null,
    priority: ticket?.priority ?? null,
    missing: ticket?.missing ?? [],
    replies: [],
  };
}

/**
 * Streams attachments to blobs beside the raw mail, and keeps the first bytes of embedded
 * header blocks (a bounce's copy of our message) so the bounce can be matched to its ticket.
 */
function attachmentSink(blobs: BlobStore, rawKey: string, embedded: string[]): AttachmentSink {
  const safe = (name: string) => name.replace(/[^\w.\-]+/g, '_').slice(0, 120) || 'attachment';
  return {
    async put({ index, filename, contentType, content }) {
      // Not under the inbound prefix: our own writes must never look like newly arrived mail.
      const blobKey = `attachments/${rawKey}/${index}-${safe(filename)}`;
      const upload = new PassThrough();
      if (EMBEDDED_HEADER_TYPES.includes(contentType.toLowerCase())) {
        let seen = 0;
        const chunks: Buffer[] = [];
        upload.on('data', (c: Buffer) => {
          if (seen < EMBEDDED_SNIFF_BYTES) chunks.push(c.subarray(0, EMBEDDED_SNIFF_BYTES - seen));
          seen += c.length;
        });
        upload.on('end', () => embedded.push(Buffer.concat(chunks).toString('latin1')));
      }
      (content as Readable).pipe(upload);
      await blobs.put(blobKey, upload, contentType);
      return { blobKey };
    },
  };
}

function embeddedMessageIds(texts: string[]): string[] {
  const ids = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/^Message-ID:\s*<([^>\s]+)>/gim)) if (m[1]) ids.add(m[1]);
  }
  return [...ids];
}

export async function processInbound(receipt: Receipt, ports: InboundPorts, config: Config): Promise<InboundResult> {
  const { store, blobs, clock } = ports;
  const book = addressBook(config);
  const now = clock.now();

  let raw: Readable;
  try {
    raw = await blobs.get(receipt.rawKey);
  } catch (err) {
    throw new RawMailMissingError(`raw mail ${receipt.rawKey} cannot be read: ${(err as Error).message}`, { cause: err });
  }

  const embedded: string[] = [];
  const knownProblem = receipt.verdicts ? quarantineVerdict(receipt.verdicts) : null;
  let msg: InboundMessage;
  try {
    msg = await parseMail(raw, {
      limits: config.mail,
      // A virus-flagged mail's attachments are not copied anywhere: the raw stays as evidence.
      attachments: knownProblem ? undefined : attachmentSink(blobs, receipt.rawKey, embedded),
    });
  } catch (err) {
    if (!(err instanceof MalformedMailError)) throw err;
    return quarantine(store, receipt, null, `cannot be parsed: ${err.message}`);
  }
  const verdicts = receipt.verdicts ?? verdictsFromHeaders(msg.headers);
  const verdictProblem = quarantineVerdict(verdicts);
  if (verdictProblem) return quarantine(store, receipt, msg, verdictProblem);

  const machine = classifyMachineMail(msg, book);
  const choice = chooseRequester(msg, book);
  if (!choice && !machine) return quarantine(store, receipt, msg, 'no From or Reply-To address: there is no one to answer');

  const sender = msg.from?.address ?? null;
  const tag = findTicketTag(msg, book);
  const boundIds = machine?.kind === 'bounce' ? embeddedMessageIds([msg.text, ...embedded]) : [];
  const ownKey = messageKey(msg.messageId);
  const found = await store.lookUpInbound({
    receiptIds: receiptIds(msg),
    threadKeys: [...threadKeysToLookUp(msg), ...boundIds, msg.messageId],
    ticketKeys: [ownKey],
    messageItems: [{ ticketKey: ownKey, messageKey: ownKey }],
    ticketNumber: tag?.number ?? null,
    requester:
      choice && !machine
        ? { address: choice.requester.address, since: new Date(now.getTime() - config.duplicates.windowHours * 3600_000).toISOString() }
        : null,
  });

  // Only finished deliveries count: a quarantined one is looked at afresh when it comes again,
  // and a "created" receipt only once its ticket and first message are there too (they are
  // written in the same parallel round trip, so a crash can leave the receipt alone).
  const createdIntact = found.tickets.has(ownKey) && found.messagesFound.has(`${ownKey}/${ownKey}`);
  const previous = found.receipts
    .filter((r) => r.state === 'done' && (r.outcome !== 'created' || r.ticketKey !== ownKey || createdIntact))
    .sort((a, b) => a.id.localeCompare(b.id))[0]; // mid: before sha:, the clearer reason
  if (previous) return redelivered(previous, msg, found);

  // A crashed earlier attempt left part of its writes: finish them instead of starting over.
  const resumedTicket = found.tickets.get(ownKey);
  const interruptedNumber = found.receipts.find((r) => r.outcome === 'created' && r.ticketKey === ownKey)?.ticketId;
  const resumedAppend = found.threadKeyHits.get(msg.messageId);

  const standing = staffStanding(sender, book, authentication(verdicts));
  const notes = [
    standing.note,
    choice && choice.requester.address !== sender ? choice.reason : null,
    msg.parseWarnings.length ? `parsed with warnings: ${msg.parseWarnings.join('; ')}` : null,
  ].filter(Boolean) as string[];

  const decision = resumedTicket || interruptedNumber
    ? ({ kind: 'new', reason: 'resumed an interrupted delivery' } as const)
    : resumedAppend && resumedAppend !== ownKey
      ? ({ kind: 'existing', ticketKey: resumedAppend, reason: 'resumed an interrupted delivery' } as const)
      : decideThread(
          { ...msg, inReplyTo: msg.inReplyTo, references: [...msg.references, ...boundIds] },
          {
            keyHits: found.threadKeyHits,
            tag,
            taggedTicket: found.ticketByNumber,
            sender,
            senderIsStaff: standing.isStaff,
          },
          config.ticketPrefix,
        );

  const visible = extractVisibleText(msg.text, { subject: msg.subject });
  const threadKeys = [msg.messageId];

  if (decision.kind === 'existing') {
    const ticket = found.tickets.get(decision.ticketKey) ?? (await store.getTickets([decision.ticketKey])).get(decision.ticketKey);
    if (!ticket) throw new Error(`thread key points at ticket ${decision.ticketKey}, which is missing from the store`);
    const reason = [machine ? `${machine.reason}; recorded on ${ticket.id}` : decision.reason, ...notes].join('; ');
    const message = threadMessage(msg, ticket.key, receipt, now, visible.text, reason, machine?.kind ?? 'reply');
    const done = doneReceipts(msg, receipt, now, 'appended', ticket, reason);
    await store.appendMessage({
      ticket,
      message,
      threadKeys,
      receipts: done,
      newParticipants: machine ? [] : newParticipants(msg, ticket, book),
      activityAt: machine ? null : now.toISOString(),
      merged: false,
    });
    return result('appended', reason, msg, ticket);
  }

  if (machine) {
    const reason = `${machine.reason}, not on any ticket: no ticket opened, nothing sent`;
    await store.recordReceipts(doneReceipts(msg, receipt, now, 'ignored', null, reason));
    return result('ignored', reason, msg, null);
  }
  const requester = choice!.requester;

  const print = fingerprint(msg.subject, visible.text);
  const duplicate = resumedTicket || interruptedNumber ? null : findDuplicate(found, print, ownKey, config.duplicates.threshold);
  if (duplicate) {
    const { ticket, sim } = duplicate;
    const reason = [
      `same requester's open ${ticket.id} is near-identical (subject ${percent(sim.subject)}, body ${percent(sim.body)}, score ${percent(sim.score)} ≥ ${percent(config.duplicates.threshold)}); merged as a duplicate`,
      ...notes,
    ].join('; ');
    const message = threadMessage(msg, ticket.key, receipt, now, visible.text, reason, 'duplicate');
    await store.appendMessage({
      ticket,
      message,
      threadKeys,
      receipts: doneReceipts(msg, receipt, now, 'merged', ticket, reason),
      newParticipants: newParticipants(msg, ticket, book),
      activityAt: now.toISOString(),
      merged: true,
    });
    return result('merged', reason, msg, ticket);
  }

  const number =
    resumedTicket?.number ?? (interruptedNumber ? Number(interruptedNumber.slice(config.ticketPrefix.length + 1)) : await store.nextTicketNumber());
  const createdAt = resumedTicket?.createdAt ?? now.toISOString();
  const ticket: Ticket = resumedTicket ?? {
    key: ownKey,
    number,
    id: formatTicketId(config.ticketPrefix, number),
    subject: msg.subject.trim() || '(no subject)',
    requester: requester.address,
    requesterName: requester.name,
    participants: visibleParticipants(msg, book).filter((a) => a !== requester.address && !isStaffAddress(a, book)),
    status: 'open',
    category: null,
    priority: null,
    triageReasons: [],
    missing: [],
    assignee: null,
    duplicateOf: null,
    createdAt,
    lastActivityAt: createdAt,
    stale: false,
    messageKeys: [ownKey],
    mergedKeys: [],
    fingerprint: print,
    originMessageId: msg.messageId,
  };
  const reason = [decision.reason, ...notes].join('; ');
  const message = threadMessage(msg, ticket.key, receipt, now, visible.text, reason, 'request');
  const created = await store.createTicket({ ticket, message, threadKeys, receipts: doneReceipts(msg, receipt, now, 'created', ticket, reason) });
  if (!created && !resumedTicket) {
    // A concurrent delivery of the same mail won the race: report its ticket, not our number.
    const winner = (await store.getTickets([ownKey])).get(ownKey)!;
    await store.recordReceipts(doneReceipts(msg, receipt, now, 'created', winner, reason));
    return result('redelivered', `delivered twice at once; ${winner.id} was created by the other delivery`, msg, winner);
  }
  return result('created', reason, msg, ticket);
}

function findDuplicate(found: InboundLookupResult, print: string, ownKey: string, threshold: number) {
  let best: { ticket: Ticket; sim: ReturnType<typeof similarity> } | null = null;
  for (const ticket of found.openTicketsOfRequester) {
    if (ticket.key === ownKey || !isOpen(ticket.status)) continue;
    const sim = similarity(print, ticket.fingerprint);
    if (sim.score >= threshold && (!best || sim.score > best.sim.score)) best = { ticket, sim };
  }
  return best;
}

function newParticipants(msg: InboundMessage, ticket: Ticket, book: AddressBook): string[] {
  return visibleParticipants(msg, book).filter(
    (a) => a !== ticket.requester && !ticket.participants.includes(a) && !isStaffAddress(a, book),
  );
}

function threadMessage(
  msg: InboundMessage,
  ticketKey: string,
  receipt: Receipt,
  now: Date,
  visibleText: string,
  reason: string,
  role: string,
): ThreadMessage {
  return {
    ticketKey,
    key: messageKey(msg.messageId),
    direction: 'inbound',
    messageId: msg.messageId,
    from: msg.from?.address ?? '',
    to: msg.to.map((m) => m.address),
    cc: msg.cc.map((m) => m.address),
    subject: msg.subject,
    date: msg.date,
    receivedAt: now.toISOString(),
    visibleText,
    rawBlobKey: receipt.rawKey,
    attachments: msg.attachments.map(({ filename, contentType, size, blobKey }) => ({ filename, contentType, size, blobKey })),
    reason,
    role,
    parseWarnings: msg.parseWarnings,
  };
}

function doneReceipts(msg: InboundMessage, receipt: Receipt, now: Date, outcome: Outcome, ticket: Ticket | null, reason: string): ReceiptRecord[] {
  return receiptIds(msg).map((id) => ({
    id,
    state: 'done',
    outcome,
    ticketKey: ticket?.key ?? null,
    ticketId: ticket?.id ?? null,
    reason,
    rawKey: receipt.rawKey,
    at: now.toISOString(),
    messageId: msg.messageId,
  }));
}

function redelivered(previous: ReceiptRecord, msg: InboundMessage, found: InboundLookupResult): InboundResult {
  const how = previous.id.startsWith('mid:') ? `same Message-ID <${msg.messageId}>` : 'byte-identical raw message';
  const what = `was processed (${previous.outcome}${previous.ticketId ? ` ${previous.ticketId}` : ''})`;
  const ticket = previous.ticketKey ? found.tickets.get(previous.ticketKey) ?? null : null;
  const out = result('redelivered', `${how} ${what} at ${previous.at}: no second effect`, msg, ticket);
  return { ...out, ticket: previous.ticketId };
}

async function quarantine(store: TicketStore, receipt: Receipt, msg: InboundMessage | null, why: string): Promise<InboundResult> {
  const record: ReceiptRecord = {
    id: msg ? `sha:${msg.rawSha256}` : `raw:${receipt.rawKey}`,
    state: 'quarantined',
    outcome: 'quarantined',
    ticketKey: null,
    ticketId: null,
    reason: why,
    rawKey: receipt.rawKey,
    at: receipt.receivedAt,
    messageId: msg?.messageId ?? null,
    subject: msg?.subject,
    from: msg?.from?.address,
  };
  await store.recordReceipts([record]);
  return { ...result('quarantined', `${why}; raw mail kept at ${receipt.rawKey}`, null, null), messageId: msg?.messageId ?? null };
}

export type { MachineVerdict };
