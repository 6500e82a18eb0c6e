import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type { Config } from '../config.js';
import { chooseRequester, isStaffAddress, isSupportAddress, visibleParticipants, withoutPlus, type AddressBook } from '../domain/addresses.js';
import { classifyMachineMail, type MachineVerdict } from '../domain/machine-mail.js';
import { authentication, quarantineVerdict, verdictsFromHeaders, type Receipt } from '../domain/receipt.js';
import { deliveryReport, EMBEDDED_HEADER_TYPES, EMBEDDED_SNIFF_BYTES } from '../domain/bounce.js';
import { missingDetails, stillMissing } from '../domain/missing-info.js';
import { fingerprint, percent, similarity, type Similarity } from '../domain/similarity.js';
import { escalate, triage } from '../domain/triage.js';
import { decideThread, findTicketTag, staffStanding, threadKeysToLookUp } from '../domain/thread.js';
import { formatTicketId, isOpen, type Priority, type Ticket, type TicketChanges, type ThreadMessage } from '../domain/ticket.js';
import { MalformedMailError, parseMail, type AttachmentSink } from '../mail/parse.js';
import type { InboundMessage, Mailbox } from '../mail/types.js';
import { extractVisibleText } from '../mail/visible-text.js';
import { requesterReplyEffect, type RequesterReplyEffect, type TicketEvent } from '../domain/lifecycle.js';
import { sendAutoReply, type ReplyPlan } from './auto-reply.js';
import type { Cause, SentReply } from './outbound.js';
import { EventPublishError, type TicketEventPublisher, type TicketEventType } from './ticket-events.js';
import { notifyStaff, staffEffect, staffMails, type Shared } from './staff.js';
import { MailSendError, type Mailer } from './mailer.js';
import type { BlobStore, Clock, InboundLookupResult, ReceiptRecord, TicketStore } from './ports.js';

export type Outcome = 'created' | 'appended' | 'merged' | 'redelivered' | 'ignored' | 'quarantined';

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
  mailer: Mailer;
  /** Ticket events for subscribers (SNS); null when no topic is configured. */
  events: TicketEventPublisher | null;
}

export class RawMailMissingError extends Error {
  override name = 'RawMailMissingError';
}


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
      if (EMBEDDED_HEADER_TYPES.has(contentType.toLowerCase())) {
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

export async function processInbound(receipt: Receipt, ports: InboundPorts, config: Config): Promise<InboundResult> {
  const { store, blobs, clock } = ports;
  const book = addressBook(config);
  const now = clock.now();

  // The receipt rule receives for the whole domain (so plus-addresses match): mail for other
  // mailboxes there is not ours. Decided on the envelope, before the raw mail is even read.
  if (receipt.recipients.length && !receipt.recipients.some((r) => book.supportAddresses.includes(withoutPlus(r.toLowerCase())))) {
    const reason = `addressed to ${receipt.recipients.join(', ')}, none of them a support address (${book.supportAddresses.join(', ')}): not a support mail, left alone; raw mail kept at ${receipt.rawKey}`;
    await store.recordReceipts([
      { id: `raw:${receipt.rawKey}`, state: 'done', outcome: 'ignored', ticketKey: null, ticketId: null, reason, rawKey: receipt.rawKey, at: now.toISOString(), messageId: null },
    ]);
    return { ...result('ignored', reason, null, null) };
  }

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
  const verdicts = receipt.verdicts ?? verdictsFromHeaders(msg.headers, config.mail.trustedAuthservId);
  const verdictProblem = quarantineVerdict(verdicts);
  if (verdictProblem) return quarantine(store, receipt, msg, verdictProblem);

  const machine = classifyMachineMail(msg, book);
  const choice = chooseRequester(msg, book);
  if (!choice && !machine) return quarantine(store, receipt, msg, 'no From or Reply-To address: there is no one to answer');

  const sender = msg.from?.address ?? null;
  const tag = findTicketTag(msg, book);
  const bounce = machine?.kind === 'bounce' ? deliveryReport([msg.text, ...embedded]) : null;
  const boundIds = bounce?.originalMessageIds ?? [];
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
    profile: choice && !machine ? choice.requester.address : null,
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

  const ctx: Handling = { msg, receipt, now, ownKey, notes, found, bounce, ports, config, book };

  let linkedTo: Ticket | null = null;
  if (decision.kind === 'existing') {
    const ticket = found.tickets.get(decision.ticketKey) ?? (await store.getTickets([decision.ticketKey])).get(decision.ticketKey);
    if (!ticket) throw new Error(`thread key points at ticket ${decision.ticketKey}, which is missing from the store`);
    if (machine) return appendMachineMail(ticket, machine, ctx);
    // A staff member who is this ticket's requester writes as the requester.
    if (standing.isStaff && sender !== ticket.requester) return appendStaffMessage(ticket, decision.reason, ctx);
    const visible = extractVisibleText(msg.text, { subject: msg.subject, priorTexts: ticket.outboundTexts }).text;
    // Knowing a Message-ID puts a mail on the thread; changing the ticket takes being on it.
    if (sender !== ticket.requester && !ticket.participants.includes(sender ?? '')) return appendOutsiderMessage(ticket, decision.reason, visible, ctx);
    const effect = requesterReplyEffect(ticket, visible, now, config.lifecycle.reopenWithinDays);
    if (effect.kind !== 'new-linked') return appendRequesterReply(ticket, decision.reason, visible, effect, ctx);
    linkedTo = ticket;
    notes.unshift(`${decision.reason} (${ticket.id}), but ${effect.why.replace(/linked to it$/, `linked to ${ticket.id}`)}`);
  }

  if (machine) {
    const reason = `${machine.reason}, not on any ticket: no ticket opened, nothing sent`;
    await Promise.all([store.recordReceipts(doneReceipts(msg, receipt, now, 'ignored', null, reason)), recordBounce(ctx)]);
    return result('ignored', reason, msg, null);
  }

  const visible = extractVisibleText(msg.text, { subject: msg.subject }).text;
  const print = fingerprint(msg.subject, visible);
  const duplicate = resumedTicket || interruptedNumber || linkedTo ? null : findDuplicate(found, print, ownKey, config.duplicates.threshold);
  if (duplicate) return mergeDuplicate(duplicate, visible, ctx);
  const number =
    resumedTicket?.number ?? (interruptedNumber ? Number(interruptedNumber.slice(config.ticketPrefix.length + 1)) : await store.nextTicketNumber());
  const why = linkedTo ? notes.shift()! : decision.reason;
  return openTicket(resumedTicket ?? newTicket(number, choice!.requester, visible, print, linkedTo, ctx), why, visible, ctx);
}

/** Everything the branches below share about the mail being handled. */
interface Handling {
  msg: InboundMessage;
  receipt: Receipt;
  now: Date;
  ownKey: string;
  notes: string[];
  found: InboundLookupResult;
  bounce: ReturnType<typeof deliveryReport> | null;
  ports: InboundPorts;
  config: Config;
  book: AddressBook;
}

function newTicket(number: number, requester: Mailbox, visible: string, print: string, linkedTo: Ticket | null, h: Handling): Ticket {
  const { msg, config, book, now } = h;
  const triaged = triage({ subject: msg.subject, text: visible, sender: requester.address, sentAt: msg.date ? new Date(msg.date) : now }, config.triage);
  // A follow-up of an earlier ticket does not ask again for what that ticket already had.
  const missing = missingDetails(triaged.category, [msg.subject, visible], config.missingInfo).filter((m) => !linkedTo || linkedTo.missing.includes(m.id));
  const createdAt = now.toISOString();
  return {
    key: h.ownKey,
    number,
    id: formatTicketId(config.ticketPrefix, number),
    subject: msg.subject.trim() || '(no subject)',
    requester: requester.address,
    requesterName: requester.name,
    participants: visibleParticipants(msg, book).filter((a) => a !== requester.address && !isStaffAddress(a, book)),
    status: missing.length ? 'awaiting-info' : 'open',
    category: triaged.category,
    priority: triaged.priority,
    triageReasons: triaged.reasons,
    missing: missing.map((m) => m.id),
    assignee: null,
    duplicateOf: null,
    createdAt,
    lastActivityAt: createdAt,
    stale: false,
    messageKeys: [h.ownKey],
    mergedKeys: [],
    fingerprint: print,
    originMessageId: msg.messageId,
    outboundTexts: [],
    followUpAsks: 0,
    resolvedAt: null,
    linkedTo: linkedTo?.id ?? null,
    staleSince: null,
    nudgedAt: null,
    lastExcerpt: excerpt(visible),
  };
}

async function openTicket(ticket: Ticket, why: string, visible: string, h: Handling): Promise<InboundResult> {
  const { msg, receipt, now, ports, config } = h;
  const reason = [why, ...h.notes].join('; ');
  const message = threadMessage(msg, ticket.key, receipt, now, visible, reason, 'request');
  const created = await ports.store.createTicket({
    ticket,
    message,
    threadKeys: [msg.messageId],
    receipts: doneReceipts(msg, receipt, now, 'created', ticket, reason),
    events: [{ at: now.toISOString(), actor: ticket.requester, kind: 'created', from: ticket.linkedTo, to: ticket.status, why }],
  });
  if (!created && ticket.messageKeys.length === 1 && !h.found.tickets.has(ticket.key)) {
    // A concurrent delivery of the same mail won the race: report its ticket, not our number.
    const winner = (await ports.store.getTickets([ticket.key])).get(ticket.key)!;
    await ports.store.recordReceipts(doneReceipts(msg, receipt, now, 'created', winner, reason));
    return result('redelivered', `delivered twice at once; ${winner.id} was created by the other delivery`, msg, winner);
  }
  const asks = askFor(ticket.missing, ticket.category, config);
  const plan: ReplyPlan = asks.length ? { kind: 'missing-info', asks, followUp: false } : { kind: 'ack' };
  const headline = [`New ticket ${ticket.id}`, ticket.linkedTo ? `follows up ${ticket.linkedTo}` : null, ticket.priority === 'P1' ? 'P1' : null]
    .filter(Boolean)
    .join(', ');
  // The answer to the requester and the notice to staff go out together: one wait, not two.
  return withEffects(result('created', reason, msg, ticket), [
    autoReply(plan, ticket, h),
    staffNotice(ticket, headline, visible, h),
    publish('ticket.created', ticket, why, h),
  ]);
}

/** What was written on a ticket's thread, with its receipts: the one way an inbound mail is appended. */
async function recordOnTicket(
  ticket: Ticket,
  h: Handling,
  w: { visible: string; reason: string; role: string; outcome: Outcome; after?: Ticket; participants: boolean; activity: boolean; merged?: boolean; changes?: TicketChanges; events?: TicketEvent[] },
): Promise<void> {
  const { msg, receipt, now, ports, book } = h;
  await ports.store.appendMessage({
    ticket,
    message: threadMessage(msg, ticket.key, receipt, now, w.visible, w.reason, w.role),
    threadKeys: [msg.messageId],
    receipts: doneReceipts(msg, receipt, now, w.outcome, w.after ?? ticket, w.reason),
    newParticipants: w.participants ? newParticipants(msg, ticket, book) : [],
    activityAt: w.activity ? now.toISOString() : null,
    merged: w.merged ?? false,
    ...(w.changes ? { changes: w.changes } : {}),
    ...(w.events ? { events: w.events } : {}),
  });
}

async function mergeDuplicate(duplicate: { ticket: Ticket; sim: Similarity }, visible: string, h: Handling): Promise<InboundResult> {
  const { msg, config } = h;
  const { ticket, sim } = duplicate;
  const reason = [
    `same requester's open ${ticket.id} is near-identical (subject ${percent(sim.subject)}, body ${percent(sim.body)}, score ${percent(sim.score)} ≥ ${percent(config.duplicates.threshold)}); merged as a duplicate`,
    ...h.notes,
  ].join('; ');
  await recordOnTicket(ticket, h, { visible, reason, role: 'duplicate', outcome: 'merged', participants: true, activity: true, merged: true });
  const out = result('merged', reason, msg, ticket);
  if (!config.autoReplies.duplicateNotice) return { ...out, reason: `${reason}; no notice sent (duplicate notices are off)` };
  return withEffects(out, [autoReply({ kind: 'duplicate-notice', duplicateOfId: ticket.id }, ticket, h)]);
}

/** Machine mail on a thread (an out-of-office, a bounce) is recorded and changes nothing. */
async function appendMachineMail(ticket: Ticket, machine: MachineVerdict, h: Handling): Promise<InboundResult> {
  const { msg } = h;
  const visible = extractVisibleText(msg.text, { subject: msg.subject, priorTexts: ticket.outboundTexts }).text;
  const reason = [`${machine.reason}; recorded on ${ticket.id} without changing it`, ...h.notes].join('; ');
  await Promise.all([
    recordOnTicket(ticket, h, { visible, reason, role: machine.kind, outcome: 'appended', participants: false, activity: false }),
    recordBounce(h),
  ]);
  return result('appended', reason, msg, ticket);
}

/** Someone neither requester nor participant wrote on the thread: kept, and changes nothing. */
async function appendOutsiderMessage(ticket: Ticket, why: string, visible: string, h: Handling): Promise<InboundResult> {
  const { msg } = h;
  const reason = [why, `${msg.from?.address ?? 'the sender'} is neither the requester nor a participant of ${ticket.id}: recorded without changing it`, ...h.notes].join('; ');
  await recordOnTicket(ticket, h, { visible, reason, role: 'outsider', outcome: 'appended', participants: false, activity: false });
  return result('appended', reason, msg, ticket);
}

/** The requester (or someone in Cc) wrote on the thread: status, missing details, priority. */
async function appendRequesterReply(ticket: Ticket, why: string, visible: string, effect: RequesterReplyEffect, h: Handling): Promise<InboundResult> {
  const { msg, now } = h;
  const update = replyChanges(ticket, visible, h);
  const events: TicketEvent[] = [...update.events];
  const actor = msg.from?.address ?? ticket.requester;
  if (effect.kind === 'status' && update.changes.status === undefined) {
    update.changes.status = effect.to;
    events.push({ at: now.toISOString(), actor, kind: 'status', from: ticket.status, to: effect.to, why: effect.why });
    update.reasons.push(effect.why);
  } else if (effect.kind === 'record-only') {
    update.reasons.push(effect.why);
  }
  update.changes.lastExcerpt = excerpt(visible);
  const reason = [why, ...update.reasons, ...h.notes].join('; ');
  const changed: Ticket = { ...ticket, ...update.changes };
  await recordOnTicket(ticket, h, { visible, reason, role: 'reply', outcome: 'appended', after: changed, participants: true, activity: true, changes: update.changes, events });
  // Staff hear of a reply that needs them: back to open, reopened, or now P1.
  const backToOpen = changed.status === 'open' && ticket.status !== 'open';
  const nowP1 = changed.priority === 'P1' && ticket.priority !== 'P1';
  const who = msg.from?.name || msg.from?.address || 'The requester';
  const headline = [
    ticket.status === 'resolved' ? `${who} reopened ${ticket.id}` : backToOpen ? `${who} replied on ${ticket.id}: back to open` : `${who} wrote on ${ticket.id}`,
    nowP1 ? `now P1` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return withEffects(result('appended', reason, msg, changed), [
    update.plan ? autoReply(update.plan, changed, h) : null,
    backToOpen || nowP1 ? staffNotice(changed, headline, visible, h) : null,
    events.length ? publish('ticket.updated', changed, events.map((e) => e.why).join('; '), h) : null,
  ]);
}

/** A staff member wrote on the thread: commands applied, the answer relayed or kept internal. */
async function appendStaffMessage(ticket: Ticket, why: string, h: Handling): Promise<InboundResult> {
  const { msg, now, ports, config, book, found } = h;
  const visible = extractVisibleText(msg.text, { subject: msg.subject }).text;
  const repliesToNote = msg.inReplyTo.some((id) => NOTE_ROLES.has(found.threadKeyRoles.get(id) ?? ''));
  const effect = await staffEffect(ticket, visible, msg, repliesToNote, now, ports.store, config, book);
  const applied = effect.applied.filter((a) => !a.startsWith('kept as an internal note'));
  const said = [
    applied.length ? `applied: ${applied.join('; ')}` : null,
    effect.rejected.length ? `rejected: ${effect.rejected.join('; ')}` : null,
    effect.internal ? (repliesToNote ? 'a reply to an internal note: kept internal' : 'internal note: not sent to the requester') : null,
  ].filter(Boolean) as string[];
  if (effect.relayText) effect.changes.lastExcerpt = excerpt(effect.relayText);
  const reason = [why, ...said, ...h.notes].join('; ');
  const changed: Ticket = { ...ticket, ...effect.changes };
  await recordOnTicket(ticket, h, {
    visible: effect.text,
    reason,
    role: effect.internal ? 'note' : 'staff-reply',
    outcome: 'appended',
    after: changed,
    participants: false,
    activity: true,
    changes: effect.changes,
    events: effect.events,
  });
  if (effect.mergeTarget) {
    const event: TicketEvent = { at: now.toISOString(), actor: msg.from!.address, kind: 'merged', from: ticket.id, to: effect.mergeTarget.id, why: `${ticket.id} merged in by ${msg.from!.address}` };
    await ports.store.recordMerge({ target: effect.mergeTarget, source: ticket, event });
  }
  return withEffects(result('appended', reason, msg, changed), [
    sending('not sent', () => staffMails(changed, effect, cause(changed, h), shared(h))),
    effect.events.length ? publish('ticket.updated', changed, effect.events.map((e) => e.why).join('; '), h) : null,
  ]);
}

/** Roles of our mails whose replies stay internal. */
const NOTE_ROLES = new Set(['note-notification']);

/**
 * What a person's reply changes: missing details supplied (back to open, or ask only for what is
 * still missing) and an urgency that raises the priority. Never lowers anything.
 */
function replyChanges(ticket: Ticket, visible: string, h: Handling): { changes: TicketChanges; events: TicketEvent[]; reasons: string[]; plan: ReplyPlan | null } {
  const { msg, config, now } = h;
  const changes: TicketChanges = {};
  const events: TicketEvent[] = [];
  const reasons: string[] = [];
  const at = now.toISOString();
  let plan: ReplyPlan | null = null;
  const sender = msg.from?.address ?? ticket.requester;
  if (ticket.status === 'awaiting-info' && ticket.missing.length) {
    const still = stillMissing(ticket.missing, visible, ticket.category ?? 'other', config.missingInfo);
    if (!still.length) {
      changes.status = 'open';
      changes.missing = [];
      reasons.push('the reply supplies the missing details: status awaiting-info → open');
      events.push({ at, actor: sender, kind: 'status', from: ticket.status, to: 'open', why: 'the requester supplied the missing details' });
    } else {
      const supplied = ticket.missing.filter((id) => !still.some((m) => m.id === id));
      changes.missing = still.map((m) => m.id);
      reasons.push(`still missing: ${changes.missing.join(', ')}${supplied.length ? ` (supplied: ${supplied.join(', ')})` : ''}`);
      if (ticket.followUpAsks >= config.autoReplies.maxFollowUpAsks) {
        // Asking forever helps no one (and feeds any answering machine): a person takes over.
        changes.status = 'open';
        reasons.push(`already asked ${ticket.followUpAsks + 1} times: status awaiting-info → open for IT to follow up, not asked again`);
        events.push({ at, actor: 'system', kind: 'status', from: ticket.status, to: 'open', why: `details still missing after ${ticket.followUpAsks + 1} requests: over to IT` });
      } else {
        changes.followUpAsks = ticket.followUpAsks + 1;
        plan = { kind: 'missing-info', asks: still.map((m) => m.ask), followUp: true };
      }
    }
  }
  if (ticket.status !== 'awaiting-info' && ticket.missing.length) {
    // Staff have taken the conversation over: no more asking, but what is given is crossed off.
    const still = stillMissing(ticket.missing, visible, ticket.category ?? 'other', config.missingInfo).map((m) => m.id);
    if (still.length < ticket.missing.length) changes.missing = still;
  }
  const raised = ticket.priority
    ? escalate(ticket.priority as Priority, { subject: msg.subject, text: visible, sender, sentAt: msg.date ? new Date(msg.date) : now }, config.triage)
    : null;
  if (raised) {
    changes.priority = raised.priority;
    changes.triageReasons = [...ticket.triageReasons, raised.reason];
    reasons.push(raised.reason);
    events.push({ at, actor: sender, kind: 'priority', from: ticket.priority, to: raised.priority, why: raised.reason });
  }
  return { changes, events, reasons, plan };
}

function askFor(missingIds: string[], category: string | null, config: Config): string[] {
  if (!missingIds.length) return [];
  const all = missingDetails(category ?? 'other', [], config.missingInfo);
  return missingIds.map((id) => all.find((m) => m.id === id)?.ask ?? id);
}

/** What the sends and publishes after a write did: mail that went out, and what did not, in words. */
interface Effects {
  replies: SentReply[];
  notes: string[];
}

/**
 * Runs the effects together (one wait, not one each) and adds them to the result: replies in
 * the order given, and every "not sent" said in the reason.
 */
async function withEffects(out: InboundResult, effects: Array<Promise<Effects> | null>): Promise<InboundResult> {
  const done = await Promise.all(effects.filter((e): e is Promise<Effects> => e !== null));
  const notes = done.flatMap((e) => e.notes);
  return { ...out, replies: [...out.replies, ...done.flatMap((e) => e.replies)], reason: [out.reason, ...notes].join('; ') };
}

/**
 * The ticket is safely stored and its receipt written when we send: a failed send must not fail
 * the delivery (a retry would only find the receipt). What was not sent, and why, is said.
 */
async function sending(label: string, send: () => Promise<{ sent: SentReply[]; notSent: string[] }>): Promise<Effects> {
  let r: { sent: SentReply[]; notSent: string[] };
  try {
    r = await send();
  } catch (err) {
    if (!(err instanceof MailSendError)) throw err;
    r = { sent: [], notSent: [err.message] };
  }
  return { replies: r.sent, notes: r.notSent.length ? [`${label}: ${r.notSent.join('; ')}`] : [] };
}

const one = (r: { sent: SentReply | null; suppressed: string | null }) => ({ sent: r.sent ? [r.sent] : [], notSent: r.suppressed ? [r.suppressed] : [] });

function autoReply(plan: ReplyPlan, ticket: Ticket, h: Handling): Promise<Effects> {
  const { ports, config, book, msg, now } = h;
  return sending(`no ${plan.kind} sent`, async () =>
    one(await sendAutoReply({ plan, ticket, inbound: msg, inboundKey: h.ownKey, profile: h.found.profile, now }, ports, config, book, messageKey)),
  );
}

/** Tells staff about the ticket (the assignee, else the staff list). */
function staffNotice(ticket: Ticket, headline: string, visible: string, h: Handling): Promise<Effects> {
  return sending('staff not notified', async () => one(await notifyStaff(ticket, headline, visible, cause(ticket, h), shared(h))));
}

/** Publishes the ticket event; a failure is said in the reason and does not fail the delivery. */
async function publish(type: TicketEventType, ticket: Ticket, why: string, h: Handling): Promise<Effects> {
  if (!h.ports.events) return { replies: [], notes: [] };
  try {
    await h.ports.events.publish({
      type,
      ticketId: ticket.id,
      subject: ticket.subject,
      status: ticket.status,
      priority: ticket.priority,
      category: ticket.category,
      requester: ticket.requester,
      assignee: ticket.assignee,
      why,
      at: h.now.toISOString(),
    });
    return { replies: [], notes: [] };
  } catch (err) {
    if (!(err instanceof EventPublishError)) throw err;
    return { replies: [], notes: [`${type} event not published: ${err.message}`] };
  }
}

/** The start of what someone wrote, on one line: what the digest shows of a ticket's last message. */
function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= 200 ? line : `${line.slice(0, 199)}…`;
}

function cause(ticket: Ticket, h: Handling): Cause {
  return { ticket, inbound: h.msg, inboundKey: h.ownKey, now: h.now };
}

function shared(h: Handling): Shared {
  return { config: h.config, book: h.book, ports: h.ports, messageKey };
}

/** A bounce marks the addresses it reports as failed, so nothing more is sent to them. */
async function recordBounce(h: Handling): Promise<void> {
  if (!h.bounce) return;
  const at = h.now.toISOString();
  await Promise.all(
    h.bounce.failedRecipients
      .filter((r) => !isSupportAddress(r.address, h.book))
      .map((r) => h.ports.store.markBouncing(r.address, [r.status, r.diagnostic].filter(Boolean).join(' ') || 'delivery failed', at)),
  );
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

export type { MachineVerdict, SentReply };
