import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type { Config } from '../config.js';
import { chooseRequester, domainOf, isStaffAddress, isSupportAddress, visibleParticipants, withoutPlus, type AddressBook } from '../domain/addresses.js';
import { deliveryReport, EMBEDDED_HEADER_TYPES, EMBEDDED_SNIFF_BYTES, type DeliveryReport } from '../domain/bounce.js';
import { requesterReplyEffect, type RequesterReplyEffect, type TicketEvent } from '../domain/lifecycle.js';
import { classifyMachineMail, type MachineVerdict } from '../domain/machine-mail.js';
import { missingDetails, stillMissing } from '../domain/missing-info.js';
import { quarantineVerdict, sesVerdictsFromHeaders, type Receipt } from '../domain/receipt.js';
import { authenticationWords, isAuthenticated, isForged, senderAuthentication, type SenderAuthentication } from '../domain/sender-trust.js';
import { fingerprint, percent, similarity, type Similarity } from '../domain/similarity.js';
import { decideThread, findTicketTag, staffStanding, threadKeysToLookUp } from '../domain/thread.js';
import { escalate, triage } from '../domain/triage.js';
import { formatTicketId, isOpen, messageKey, type Priority, type RequesterProfile, type Ticket, type TicketChanges, type ThreadMessage } from '../domain/ticket.js';
import { MalformedMailError, parseMail, type AttachmentSink } from '../mail/parse.js';
import type { InboundMessage, Mailbox } from '../mail/types.js';
import { staffTemplates } from '../mail/templates.js';
import { extractVisibleText } from '../mail/visible-text.js';
import { planAutoReply, type ReplyPlan } from './auto-reply.js';
import { ANALYSED_TEXT_CHARS, boundedLine, boundedList, boundedText, MAX_REASON_CHARS, MAX_SUBJECT_CHARS, STORED_TEXT_BYTES, VISIBLE_TEXT_INPUT_CHARS } from './bounds.js';
import { runPlan } from './effect-runner.js';
import { isSettled, outcomeNote, planned, sentMails, type EffectOutcome, type EffectPlan, type PlannedEffect } from './effects.js';
import type { Mailer } from './mailer.js';
import { planTicketMail, receivingAddress, returnPathIn, sentReply, type Cause, type SentReply } from './outbound.js';
import type { AppendDecision, AppendWrite, BlobStore, Clock, InboundLookupResult, ReceiptRecord, TicketStore } from './ports.js';
import { planStaffMails, planStaffNotice, staffEffect, staffSubject, type Shared } from './staff.js';
import type { TicketEventPublisher, TicketEventType } from './ticket-events.js';
import { overTicketLimit, planLimitNotice, type OverLimit } from './ticket-limit.js';
import { isPermanentStoreError } from './store-errors.js';

export { messageKey };

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

function receiptIds(msg: Pick<InboundMessage, 'messageId' | 'rawSha256'>): string[] {
  return [`mid:${msg.messageId}`, `sha:${msg.rawSha256}`];
}

/** The plan of what one inbound mail causes. */
export function deliveryPlanKey(inboundKey: string): string {
  return `mail:${inboundKey}`;
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

/** The authserv-ids whose Authentication-Results our border writes on mail from this source. */
function trustedAuthservIds(receipt: Receipt, config: Config): string[] {
  switch (receipt.source) {
    case 'ses':
    case 's3':
      // The raw object was written by SES's receipt rule: its own header is the topmost.
      return ['amazonses.com'];
    case 'imap':
      return config.imap?.authservId !== undefined ? [config.imap.authservId] : [];
    default:
      return [];
  }
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
    // Held under the hash of its bytes, so the same broken mail delivered again is one entry.
    return quarantine(store, receipt, null, `cannot be parsed: ${err.message}`, await sha256Of(await blobs.get(receipt.rawKey)));
  }
  const verdicts = receipt.verdicts ?? (receipt.source === 's3' ? sesVerdictsFromHeaders(msg.headers) : null);
  const verdictProblem = verdicts ? quarantineVerdict(verdicts) : null;
  if (verdictProblem) return quarantine(store, receipt, msg, verdictProblem);

  const auth = senderAuthentication({
    verdicts: receipt.verdicts,
    authResults: msg.headers['authentication-results'] ?? [],
    trustedIds: trustedAuthservIds(receipt, config),
    fromDomain: msg.from ? domainOf(msg.from.address) : null,
  });
  const machine = classifyMachineMail(msg, book);
  const choice = chooseRequester(msg, book, isAuthenticated(auth));
  if (!choice && !machine) {
    const why = msg.parseWarnings.length ? ` (${msg.parseWarnings.slice(0, 3).join('; ')})` : '';
    return quarantine(store, receipt, msg, `no From or Reply-To address: there is no one to answer${why}`);
  }

  const sender = msg.from?.address ?? null;
  const tag = findTicketTag(msg, book);
  const bounce = machine?.kind === 'bounce' ? deliveryReport([msg.text, ...embedded]) : null;
  const boundIds = bounce?.originalMessageIds ?? [];
  const returnPath = bounce ? returnPathIn([...receipt.recipients, ...msg.to.map((m) => m.address), ...deliveredTo(msg)], book) : null;
  const ownKey = messageKey(msg.messageId);
  // A mail that can only open a ticket takes its place under the new-ticket limit while the
  // lookup runs (no extra round trip); the slot is keyed by the mail, so a re-delivery costs nothing.
  const looksNew = choice !== null && !machine && !tag && !msg.inReplyTo.length && !msg.references.length && !receipt.replayed;
  const newTicketSlot = looksNew ? overTicketLimit(choice.requester.address, { msg, now, ownKey, ports, config, book }) : null;
  newTicketSlot?.catch(() => undefined); // awaited below when it matters; never an unhandled rejection
  const found = await store.lookUpInbound({
    receiptIds: receiptIds(msg),
    threadKeys: [...threadKeysToLookUp(msg), ...boundIds, ...(returnPath ? [returnPath] : []), msg.messageId],
    ticketKeys: [ownKey],
    messageItems: [{ ticketKey: ownKey, messageKey: ownKey }],
    ticketNumber: tag?.number ?? null,
    requester:
      choice && !machine
        ? { address: choice.requester.address, since: new Date(now.getTime() - config.duplicates.windowHours * 3600_000).toISOString() }
        : null,
    profile: choice && !machine ? choice.requester.address : null,
    planKey: deliveryPlanKey(ownKey),
  });

  // Only finished deliveries count: a quarantined one is looked at afresh when it comes again,
  // and a "created" receipt only once its numbered ticket, first message and plan are there too
  // (the receipts are written beside the plan, so a crash can leave them alone).
  const own = found.tickets.get(ownKey);
  const createdIntact = own !== undefined && own.number > 0 && found.messagesFound.has(`${ownKey}/${ownKey}`) && found.plan !== null;
  const previous = found.receipts
    .filter((r) => r.state === 'done' && (r.outcome !== 'created' || r.ticketKey !== ownKey || createdIntact))
    .sort((a, b) => a.id.localeCompare(b.id))[0]; // mid: before sha:, the clearer reason
  const ctx: Handling = { msg, receipt, now, ownKey, notes: [], found, auth, bounce, returnPath, newTicketSlot, refusedStaff: null, ports, config, book };
  if (previous) return redelivered(previous, ctx);
  // An earlier attempt decided and stopped before its receipts: repeat its decision, decide nothing anew.
  if (found.plan?.decision) return finishDecision(found.plan, ctx, false);

  try {
    return await decide(ctx, { sender, tag, machine, choice });
  } catch (err) {
    // A write DynamoDB refuses for good (an item too large for it): quarantined, not retried for ever.
    if (!isPermanentStoreError(err)) throw err;
    return quarantine(store, receipt, msg, `cannot be stored: ${(err as Error).message}`);
  }
}

/** Everything the branches below share about the mail being handled. */
interface Handling {
  msg: InboundMessage;
  receipt: Receipt;
  now: Date;
  ownKey: string;
  /** What the result's reason adds after the decision (why the requester is who it is, parse warnings). */
  notes: string[];
  found: InboundLookupResult;
  auth: SenderAuthentication;
  bounce: DeliveryReport | null;
  /** One of our return paths among the bounce's recipients: the strongest tie to a mail we sent. */
  returnPath: string | null;
  /** The new-ticket limit, taken during the lookup for a mail that looked new. */
  newTicketSlot: Promise<OverLimit | null> | null;
  /** A staff address whose mail was refused staff powers: that person is told (set in decide). */
  refusedStaff: { address: string; why: string } | null;
  ports: InboundPorts;
  config: Config;
  book: AddressBook;
}

interface Decided {
  sender: string | null;
  tag: ReturnType<typeof findTicketTag>;
  machine: MachineVerdict | null;
  choice: ReturnType<typeof chooseRequester>;
}

async function decide(h: Handling, d: Decided): Promise<InboundResult> {
  const { msg, found, config, book, auth, ownKey, notes } = h;
  const { sender, tag, machine, choice } = d;
  // A crashed earlier attempt left part of its writes: finish them instead of starting over.
  const resumedTicket = found.tickets.get(ownKey);
  const resumedAppend = found.threadKeyHits.get(msg.messageId);

  const standing = staffStanding(sender, msg.fromMailboxes.length, book, auth);
  h.refusedStaff = machine ? null : standing.refused;
  notes.push(
    ...([
      standing.note,
      choice && choice.source !== 'from' ? choice.reason : null,
      msg.parseWarnings.length ? `parsed with warnings: ${msg.parseWarnings.slice(0, 5).join('; ')}${msg.parseWarnings.length > 5 ? ` (and ${msg.parseWarnings.length - 5} more)` : ''}` : null,
    ].filter(Boolean) as string[]),
  );

  const decision = resumedTicket
    ? ({ kind: 'new', reason: 'resumed an interrupted delivery' } as const)
    : resumedAppend && resumedAppend !== ownKey
      ? ({ kind: 'existing', ticketKey: resumedAppend, reason: 'resumed an interrupted delivery' } as const)
      : decideThread(
          { ...msg, inReplyTo: msg.inReplyTo, references: [...msg.references, ...(h.bounce?.originalMessageIds ?? [])] },
          { keyHits: found.threadKeyHits, tag, taggedTicket: found.ticketByNumber, sender, senderIsStaff: standing.isStaff },
          config.ticketPrefix,
        );

  let linkedTo: Ticket | null = null;
  let linkWhy: string | null = null;
  if (decision.kind === 'existing') {
    const ticket = found.tickets.get(decision.ticketKey) ?? (await h.ports.store.getTickets([decision.ticketKey])).get(decision.ticketKey);
    if (!ticket) throw new Error(`thread key points at ticket ${decision.ticketKey}, which is missing from the store`);
    if (!ticket.number) throw new Error(`ticket ${decision.ticketKey} is still being created by another delivery; this mail will be tried again`);
    if (machine) return appendMachineMail(ticket, machine, h);
    // A staff member who is this ticket's requester writes as the requester.
    if (standing.isStaff && sender !== ticket.requester) return appendStaffMessage(ticket, decision.reason, h);
    const visible = visibleTextOf(msg, ticket.outboundTexts);
    // Knowing a Message-ID puts a mail on the thread; changing the ticket takes being on it.
    if (sender !== ticket.requester && !ticket.participants.includes(sender ?? '')) {
      return appendOutsiderMessage(ticket, decision.reason, visible, `${sender ?? 'the sender'} is neither the requester nor a participant of ${ticket.id}`, h);
    }
    // The From domain says this mail is not from the person it names: it speaks for no one.
    if (isForged(auth)) return appendOutsiderMessage(ticket, decision.reason, visible, `${sender} is on ${ticket.id}, but ${authenticationWords(auth)}: the mail is not from them`, h);
    const effect = requesterReplyEffect(ticket, visible, h.now, config.lifecycle.reopenWithinDays);
    if (effect.kind !== 'new-linked') return appendRequesterReply(ticket, decision.reason, visible, effect, h);
    linkedTo = ticket;
    linkWhy = `${decision.reason} (${ticket.id}), but ${effect.why}`;
  }

  if (machine) {
    const marks = await recordBounce(h);
    const reason = [`${machine.reason}, not on any ticket: no ticket opened, nothing sent`, ...marks].join('; ');
    await h.ports.store.recordReceipts(doneReceipts(h, 'ignored', null, reason));
    return result('ignored', reason, msg, null);
  }

  const visible = visibleTextOf(msg, []);
  const print = fingerprint(boundedLine(msg.subject, MAX_SUBJECT_CHARS), visible.slice(0, ANALYSED_TEXT_CHARS));
  const duplicate = resumedTicket || linkedTo ? null : findDuplicate(found, print, ownKey, config.duplicates.threshold);
  if (duplicate) return mergeDuplicate(duplicate, visible, h);
  if (!resumedTicket && !h.receipt.replayed) {
    const over = await (h.newTicketSlot ?? overTicketLimit(choice!.requester.address, h));
    if (over) {
      const notice = await planLimitNotice(choice!.requester.address, over, h);
      const out = await quarantine(h.ports.store, h.receipt, msg, over.reason);
      return { ...out, reason: [out.reason, ...notice].join('; ') };
    }
  }
  return openTicket(resumedTicket ?? newTicket(choice!.requester, visible, print, linkedTo, h), linkWhy ?? decision.reason, visible, h);
}

/** The Delivered-To and X-Original-To headers: where a receiving server says a bounce was addressed. */
function deliveredTo(msg: InboundMessage): string[] {
  return [...(msg.headers['delivered-to'] ?? []), ...(msg.headers['x-original-to'] ?? [])].map((v) => v.trim().toLowerCase().replace(/^<|>$/g, ''));
}

/** What the person wrote, bounded for analysis; the stored copy is bounded again (storedText). */
function visibleTextOf(msg: InboundMessage, priorTexts: string[]): string {
  return extractVisibleText(msg.text.length > VISIBLE_TEXT_INPUT_CHARS ? msg.text.slice(0, VISIBLE_TEXT_INPUT_CHARS) : msg.text, { subject: msg.subject, priorTexts }).text;
}

function newTicket(requester: Mailbox, visible: string, print: string, linkedTo: Ticket | null, h: Handling): Ticket {
  const { msg, config, book, now, auth } = h;
  const subject = boundedLine(msg.subject.trim(), MAX_SUBJECT_CHARS) || '(no subject)';
  const analysed = visible.slice(0, ANALYSED_TEXT_CHARS);
  const triaged = triage({ subject, text: analysed, sender: requester.address, sentAt: msg.date ? new Date(msg.date) : now }, config.triage);
  // A follow-up of an earlier ticket does not ask again for what that ticket already had.
  const missing = missingDetails(triaged.category, [subject, analysed], config.missingInfo).filter((m) => !linkedTo || linkedTo.missing.includes(m.id));
  const createdAt = now.toISOString();
  // Only a mail whose From domain vouches for it may bring others onto the ticket.
  const others = visibleParticipants(msg, h.book).filter((a) => a !== requester.address && !isStaffAddress(a, book));
  if (others.length && !isAuthenticated(auth)) h.notes.push(participantsRefused(others, auth));
  return {
    key: h.ownKey,
    number: 0,
    id: '',
    subject,
    requester: requester.address,
    requesterName: boundedLine(requester.name, 200),
    participants: isAuthenticated(auth) ? boundedList(others) : [],
    status: missing.length ? 'awaiting-info' : 'open',
    category: triaged.category,
    priority: triaged.priority,
    triageReasons: triaged.reasons.map((r) => boundedLine(r, 500)),
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

function participantsRefused(addresses: string[], auth: SenderAuthentication): string {
  const list = addresses.length > 3 ? `${addresses.slice(0, 3).join(', ')} and ${addresses.length - 3} more` : addresses.join(', ');
  return `${list} not added to the ticket: only authenticated mail may change who hears it (${authenticationWords(auth)})`;
}

/** How long a delivery that lost the race for a new ticket waits for the winner to number it. */
const NUMBER_WAIT_MS = 5000;

async function openTicket(draft: Ticket, why: string, visible: string, h: Handling): Promise<InboundResult> {
  const { msg, now, ports, config } = h;
  const { store } = ports;
  const reason = joinReason([why, ...h.notes]);
  const message = await threadMessage(draft.key, visible, reason, 'request', h);
  const events: TicketEvent[] = [{ at: now.toISOString(), actor: draft.requester, kind: 'created', from: draft.linkedTo, to: draft.status, why }];
  // Only the delivery whose write made the ticket takes a number: a copy delivered at the same
  // moment waits for it, so numbers are never burnt and every answer names a ticket that exists.
  const won = await store.createTicket({ ticket: draft, message, threadKeys: [msg.messageId], events });
  let ticket = draft.number ? draft : null;
  if (!ticket && !won) {
    const seenBefore = h.found.tickets.has(draft.key);
    ticket = await waitForNumber(store, draft.key, seenBefore ? 0 : NUMBER_WAIT_MS);
  }
  // Whoever takes the ticket's number created it; a copy that found it taken reports that ticket.
  let numberedHere = false;
  if (!ticket) {
    const { number, ours } = await store.nextTicketNumber(draft.key);
    ticket = await store.numberTicket({ ...draft, number, id: formatTicketId(config.ticketPrefix, number) });
    numberedHere = ours && ticket.number === number;
    // Another copy numbered it between our look and our take: give ours back unless already passed on.
    if (ours && ticket.number !== number) await store.returnTicketNumber(draft.key, number);
  }
  const asks = askFor(ticket.missing, ticket.category, config);
  const reply: ReplyPlan = asks.length ? { kind: 'missing-info', asks, followUp: false } : { kind: 'ack' };
  const headline = [`New ticket ${ticket.id}`, ticket.linkedTo ? `follows up ${ticket.linkedTo}` : null, ticket.priority === 'P1' ? 'P1' : null]
    .filter(Boolean)
    .join(', ');
  const warning = await staffWarning(ticket, h);
  const plan = deliveryPlan(h, [
    planAutoReply({ plan: reply, ticket, inbound: msg, inboundKey: h.ownKey, profile: profileNow(h), now }, config, h.book),
    planStaffNotice(ticket, headline, visible, cause(ticket, h), shared(h)),
    eventEffect('ticket.created', ticket, why, h),
    ...(warning ? [warning] : []),
  ]);
  const [stored] = await Promise.all([
    store.putPlan(plan),
    store.recordReceipts(doneReceipts(h, 'created', ticket, reason)),
    store.forgetTicketNumber(ticket.key),
    clearBouncing(h),
  ]);
  if (!numberedHere) {
    const by = h.found.tickets.has(draft.key) ? 'an earlier delivery of this mail, which stopped before it finished (finished now)' : 'another delivery of this mail, at the same moment';
    return withOutcomes(result('redelivered', `${ticket.id} was created by ${by}`, msg, ticket), await runPlan(stored, ports, config, { fresh: stored === plan }));
  }
  return withOutcomes(result('created', reason, msg, ticket), await runPlan(stored, ports, config, { fresh: stored === plan }));
}

/** Polls until the ticket has its number, for at most `ms`; null when it has none by then. */
async function waitForNumber(store: TicketStore, ticketKey: string, ms: number): Promise<Ticket | null> {
  const until = Date.now() + ms;
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    const ticket = (await store.getTickets([ticketKey])).get(ticketKey);
    if (ticket?.number) return ticket;
    if (Date.now() >= until) return null;
    await new Promise((r) => setTimeout(r, pause));
  }
}

/**
 * The one way an inbound mail is appended to a ticket. When the mail changes anything (the
 * ticket, its audience, or what we send), the decision goes into the mail's plan first and a
 * replay repeats that decision; then the message, thread key and ticket update; the receipts
 * last; then the plan's effects run.
 */
async function recordOnTicket(
  ticket: Ticket,
  h: Handling,
  w: {
    out: InboundResult;
    visible: string;
    role: string;
    participants: boolean;
    activity: boolean;
    merged?: boolean;
    changes?: TicketChanges;
    events?: TicketEvent[];
    effects?: PlannedEffect[];
    sentTo?: string[];
  },
): Promise<InboundResult> {
  const { msg, now, ports, book } = h;
  const added = w.participants ? newParticipants(msg, ticket, book) : [];
  const refused = added.length && !isAuthenticated(h.auth) ? participantsRefused(added, h.auth) : null;
  const reason = joinReason([w.out.reason, ...(refused ? [refused] : [])]);
  const after = w.out.ticket === ticket.id ? { ...ticket, ...(w.changes ?? {}) } : ticket;
  const write: AppendWrite = {
    ticket,
    message: await threadMessage(ticket.key, w.visible, reason, w.role, h),
    threadKeys: [msg.messageId],
    receipts: doneReceipts(h, w.out.outcome, after, reason),
    newParticipants: refused ? [] : boundedList(added),
    activityAt: w.activity ? now.toISOString() : null,
    merged: w.merged ?? false,
    ...(w.sentTo ? { sentTo: w.sentTo } : {}),
    ...(w.changes ? { changes: w.changes } : {}),
    ...(w.events ? { events: w.events } : {}),
  };
  const { replies: _none, ...decided } = { ...w.out, reason };
  const changesSomething = w.effects?.length || write.newParticipants.length || write.merged || Object.keys(w.changes ?? {}).length || w.events?.length;
  if (!changesSomething) {
    await Promise.all([ports.store.appendMessage(write), clearBouncing(h)]);
    return { ...w.out, reason };
  }
  const plan = deliveryPlan(h, w.effects ?? [], { write, result: decided });
  const stored = await ports.store.putPlan(plan);
  return finishDecision(stored, h, stored === plan);
}

/** Writes a plan's decision (again, after a crash: every write is idempotent), then runs its effects. */
async function finishDecision(plan: EffectPlan, h: Handling, fresh: boolean): Promise<InboundResult> {
  const decision = plan.decision!;
  await Promise.all([h.ports.store.appendMessage(decision.write), clearBouncing(h)]);
  const out: InboundResult = { ...decision.result, replies: [] };
  const resumed = fresh ? out : { ...out, reason: `${out.reason}; finished an interrupted delivery` };
  return withOutcomes(resumed, await runPlan(plan, h.ports, h.config, { fresh }));
}

async function mergeDuplicate(duplicate: { ticket: Ticket; sim: Similarity }, visible: string, h: Handling): Promise<InboundResult> {
  const { msg, config } = h;
  const { ticket, sim } = duplicate;
  const reason = joinReason([
    `same requester's open ${ticket.id} is near-identical (subject ${percent(sim.subject)}, body ${percent(sim.body)}, score ${percent(sim.score)} ≥ ${percent(config.duplicates.threshold)}); merged as a duplicate`,
    ...h.notes,
  ]);
  const effects = config.autoReplies.duplicateNotice
    ? [planAutoReply({ plan: { kind: 'duplicate-notice', duplicateOfId: ticket.id }, ticket, inbound: msg, inboundKey: h.ownKey, profile: profileNow(h), now: h.now }, config, h.book)]
    : [];
  const out = result('merged', config.autoReplies.duplicateNotice ? reason : `${reason}; no notice sent (duplicate notices are off)`, msg, ticket);
  return recordOnTicket(ticket, h, { out, visible, role: 'duplicate', participants: true, activity: true, merged: true, effects });
}

/** Machine mail on a thread (an out-of-office, a bounce) is recorded and changes nothing. */
async function appendMachineMail(ticket: Ticket, machine: MachineVerdict, h: Handling): Promise<InboundResult> {
  const { msg, book } = h;
  const visible = visibleTextOf(msg, ticket.outboundTexts);
  // Bounces are marked before the receipt: a replay of a finished delivery marks nothing.
  const marks = await recordBounce(h);
  const reason = joinReason([`${machine.reason}; recorded on ${ticket.id} without changing it`, ...marks, ...h.notes]);
  // A staff member's send-as copy (our address, authenticated): a bounce of it may quote its id.
  const inOurName = machine.kind === 'own-mail' && isAuthenticated(h.auth) ? [...msg.to, ...msg.cc].map((m) => m.address).filter((a) => !isSupportAddress(a, book)) : undefined;
  return recordOnTicket(ticket, h, { out: result('appended', reason, msg, ticket), visible, role: machine.kind, participants: false, activity: false, ...(inOurName ? { sentTo: inOurName } : {}) });
}

/** Someone who may not change the ticket wrote on its thread: kept, and changes nothing. */
async function appendOutsiderMessage(ticket: Ticket, why: string, visible: string, who: string, h: Handling): Promise<InboundResult> {
  const { msg } = h;
  const reason = joinReason([why, `${who}: recorded without changing it`, ...h.notes]);
  const warning = await staffWarning(ticket, h);
  return recordOnTicket(ticket, h, { out: result('appended', reason, msg, ticket), visible, role: 'outsider', participants: false, activity: false, effects: warning ? [warning] : [] });
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
  const reason = joinReason([why, ...update.reasons, ...h.notes]);
  const changed: Ticket = { ...ticket, ...update.changes };
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
  const effects = [
    update.plan ? planAutoReply({ plan: update.plan, ticket: changed, inbound: msg, inboundKey: h.ownKey, profile: profileNow(h), now }, h.config, h.book) : null,
    backToOpen || nowP1 ? planStaffNotice(changed, headline, visible, cause(changed, h), shared(h)) : null,
    events.length ? eventEffect('ticket.updated', changed, events.map((e) => e.why).join('; '), h) : null,
  ].filter((e): e is PlannedEffect => e !== null);
  return recordOnTicket(ticket, h, { out: result('appended', reason, msg, changed), visible, role: 'reply', participants: true, activity: true, changes: update.changes, events, effects });
}

/** A staff member wrote on the thread: commands applied, the answer relayed or kept internal. */
async function appendStaffMessage(ticket: Ticket, why: string, h: Handling): Promise<InboundResult> {
  const { msg, now, ports, config, book, found } = h;
  const visible = visibleTextOf(msg, []);
  const repliesToNote = msg.inReplyTo.some((id) => NOTE_ROLES.has(found.threadKeyRoles.get(id) ?? ''));
  const effect = await staffEffect(ticket, visible, msg, repliesToNote, now, ports.store, config, book);
  const said = [
    effect.applied.length ? `applied: ${effect.applied.join('; ')}` : null,
    effect.rejected.length ? `rejected: ${effect.rejected.join('; ')}` : null,
    effect.internal ? (repliesToNote ? 'a reply to an internal note: kept internal' : 'internal note: not sent to the requester') : null,
  ].filter(Boolean) as string[];
  if (effect.relayText) effect.changes.lastExcerpt = excerpt(effect.relayText);
  const changed: Ticket = { ...ticket, ...effect.changes };
  const mails = planStaffMails(changed, effect, cause(changed, h), shared(h));
  const reason = joinReason([why, ...said, ...h.notes, ...mails.notes]);
  if (effect.mergeTarget) {
    // Before the append: the append's receipt ends the delivery, and a replay would not merge again.
    const event: TicketEvent = { at: now.toISOString(), actor: msg.from!.address, kind: 'merged', from: ticket.id, to: effect.mergeTarget.id, why: `${ticket.id} merged in by ${msg.from!.address}` };
    await ports.store.recordMerge({ target: effect.mergeTarget, source: ticket, event });
  }
  const effects = [...mails.effects, ...(effect.events.length ? [eventEffect('ticket.updated', changed, effect.events.map((e) => e.why).join('; '), h)] : [])];
  return recordOnTicket(ticket, h, {
    out: result('appended', reason, msg, changed),
    visible: effect.text,
    role: effect.internal ? 'note' : 'staff-reply',
    participants: false,
    activity: true,
    changes: effect.changes,
    events: effect.events,
    effects,
  });
}

/**
 * Tells a staff member whose mail was refused staff powers why nothing happened, at most once an
 * hour per address (a slot keyed by this mail, so a replay takes nothing more). It goes only to
 * the staff address itself: a forger learns nothing, the real person learns someone tried.
 */
async function staffWarning(ticket: Ticket, h: Handling): Promise<PlannedEffect | null> {
  const refused = h.refusedStaff;
  if (!refused) return null;
  const hour = h.now.toISOString().slice(0, 13);
  if (!(await h.ports.store.takeSlot({ scope: `staff-warning#${refused.address}`, hour, max: 1, member: h.ownKey }))) return null;
  const { config, book } = h;
  const body = staffTemplates.staffWarning({
    ticketId: ticket.id,
    subject: ticket.subject,
    requesterName: '',
    supportAddress: receivingAddress(h.msg, book),
    teamName: config.teamName,
    address: refused.address,
    why: refused.why,
  });
  const mail = planTicketMail(
    { kind: 'staff-warning', to: [refused.address], cc: [], fromName: config.teamName, subject: `Not applied: ${staffSubject(ticket)}`, body, automatic: 'auto-replied', limitFor: null, toRequester: false },
    cause(ticket, h),
    config,
    book,
  );
  return planned('staff-warning', { type: 'mail', mail });
}

/** Roles of our mails whose replies stay internal. */
const NOTE_ROLES = new Set(['note-notification']);

/**
 * What a person's reply changes: missing details supplied (back to open, or ask only for what is
 * still missing) and an urgency that raises the priority. Never lowers anything.
 */
function replyChanges(ticket: Ticket, visible: string, h: Handling): { changes: TicketChanges; events: TicketEvent[]; reasons: string[]; plan: ReplyPlan | null } {
  const { msg, config, now } = h;
  const text = visible.slice(0, ANALYSED_TEXT_CHARS);
  const changes: TicketChanges = {};
  const events: TicketEvent[] = [];
  const reasons: string[] = [];
  const at = now.toISOString();
  let plan: ReplyPlan | null = null;
  const sender = msg.from?.address ?? ticket.requester;
  if (ticket.status === 'awaiting-info' && ticket.missing.length) {
    const still = stillMissing(ticket.missing, text, ticket.category ?? 'other', config.missingInfo);
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
    const still = stillMissing(ticket.missing, text, ticket.category ?? 'other', config.missingInfo).map((m) => m.id);
    if (still.length < ticket.missing.length) changes.missing = still;
  }
  const raised = ticket.priority
    ? escalate(ticket.priority as Priority, { subject: msg.subject, text, sender, sentAt: msg.date ? new Date(msg.date) : now }, config.triage)
    : null;
  if (raised) {
    changes.priority = raised.priority;
    changes.triageReasons = [...ticket.triageReasons, boundedLine(raised.reason, 500)].slice(-20);
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

/** The plan of what this mail causes (and, for an append, what it decided). */
function deliveryPlan(h: Handling, effects: PlannedEffect[], decision?: AppendDecision): EffectPlan {
  return { key: deliveryPlanKey(h.ownKey), createdAt: h.now.toISOString(), receiptIds: receiptIds(h.msg), effects, ...(decision ? { decision } : {}) };
}

function eventEffect(type: TicketEventType, ticket: Ticket, why: string, h: Handling): PlannedEffect {
  return planned('event', {
    type: 'event',
    event: {
      id: `${deliveryPlanKey(h.ownKey)}/event`,
      type,
      ticketId: ticket.id,
      subject: ticket.subject,
      status: ticket.status,
      priority: ticket.priority,
      category: ticket.category,
      requester: ticket.requester,
      assignee: ticket.assignee,
      why: boundedLine(why, 1000),
      at: h.now.toISOString(),
    },
  });
}

/** Adds what the plan's run sent (replies) and what it did not (said in the reason) to the result. */
function withOutcomes(out: InboundResult, outcomes: EffectOutcome[]): InboundResult {
  const notes = outcomes.map(outcomeNote).filter((n): n is string => n !== null);
  return { ...out, replies: [...out.replies, ...sentMails(outcomes).map(sentReply)], reason: [out.reason, ...notes].join('; ') };
}

/** The start of what someone wrote, on one line: what the digest shows of a ticket's last message. */
function excerpt(text: string): string {
  const line = text.slice(0, 1000).replace(/\s+/g, ' ').trim();
  return line.length <= 200 ? line : `${line.slice(0, 199)}…`;
}

function joinReason(parts: string[]): string {
  return boundedLine(parts.filter(Boolean).join('; '), MAX_REASON_CHARS);
}

function cause(ticket: Ticket, h: Handling): Cause {
  return { ticket, inbound: h.msg, inboundKey: h.ownKey, now: h.now };
}

function shared(h: Handling): Shared {
  return { config: h.config, book: h.book };
}

/** The requester's profile as it stands after this mail: someone who writes to us is not bouncing. */
function profileNow(h: Handling): RequesterProfile | null {
  const p = h.found.profile;
  return p && p.bouncing && p.address === h.msg.from?.address ? { ...p, bouncing: false, bounceDetail: null } : p;
}

async function clearBouncing(h: Handling): Promise<void> {
  const p = h.found.profile;
  if (p?.bouncing && p.address === h.msg.from?.address) await h.ports.store.clearBouncing(p.address);
}

/**
 * A bounce marks the addresses it reports as failed, only where it reports a mail we sent to
 * that address: tied by our return path, or by quoting the Message-ID of mail sent in our name.
 * Anyone can write a bounce; only the recipient's mail system saw those.
 */
async function recordBounce(h: Handling): Promise<string[]> {
  if (!h.bounce) return [];
  const ties = [...(h.returnPath ? [h.returnPath] : []), ...h.bounce.originalMessageIds].filter((k) => h.found.sentTo.has(k));
  const reached = new Set(ties.flatMap((k) => h.found.sentTo.get(k)!));
  const failed = h.bounce.failedRecipients.filter((r) => !isSupportAddress(r.address, h.book));
  const marked = failed.filter((r) => reached.has(r.address));
  const unproven = failed.filter((r) => !reached.has(r.address));
  const at = h.now.toISOString();
  await Promise.all(marked.map((r) => h.ports.store.markBouncing(r.address, boundedLine([r.status, r.diagnostic].filter(Boolean).join(' ') || 'delivery failed', 300), at)));
  const how = h.returnPath && ties.includes(h.returnPath) ? 'our return path' : 'the Message-ID of our mail';
  return [
    marked.length ? `${marked.map((r) => r.address).join(', ')} marked as bouncing: the bounce reports our mail to ${marked.length === 1 ? 'it' : 'them'} failed (tied by ${how})` : null,
    unproven.length
      ? `${unproven.map((r) => r.address).slice(0, 5).join(', ')} not marked as bouncing: the bounce names no mail we sent to ${unproven.length === 1 ? 'that address' : 'those addresses'}, and anyone can write a bounce`
      : null,
  ].filter((n): n is string => n !== null);
}

function findDuplicate(found: InboundLookupResult, print: string, ownKey: string, threshold: number) {
  let best: { ticket: Ticket; sim: ReturnType<typeof similarity> } | null = null;
  for (const ticket of found.openTicketsOfRequester) {
    if (ticket.key === ownKey || !isOpen(ticket.status) || !ticket.number) continue;
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

/** The message item: bounded, with the whole visible text in S3 beside the raw mail when it is long. */
async function threadMessage(ticketKey: string, visibleText: string, reason: string, role: string, h: Handling): Promise<ThreadMessage> {
  const { msg, receipt, now } = h;
  let textBlobKey: string | undefined;
  let stored = visibleText;
  // A body too long to look for quotes in is kept whole, as it came.
  const whole = msg.text.length > VISIBLE_TEXT_INPUT_CHARS ? msg.text : visibleText;
  if (Buffer.byteLength(whole) > STORED_TEXT_BYTES) {
    textBlobKey = `text/${receipt.rawKey}.txt`;
    await h.ports.blobs.put(textBlobKey, Buffer.from(whole), 'text/plain; charset=utf-8');
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

function doneReceipts(h: Handling, outcome: Outcome, ticket: Ticket | null, reason: string): ReceiptRecord[] {
  // A replayed mail that could not even be parsed before was quarantined under its raw key.
  const ids = h.receipt.replayed ? [...receiptIds(h.msg), `raw:${h.receipt.rawKey}`] : receiptIds(h.msg);
  return ids.map((id) => ({
    id,
    state: 'done',
    outcome,
    ticketKey: ticket?.key ?? null,
    ticketId: ticket?.id ?? null,
    reason: boundedLine(reason, MAX_REASON_CHARS),
    rawKey: h.receipt.rawKey,
    at: h.now.toISOString(),
    messageId: h.msg.messageId,
  }));
}

/** A finished delivery of this mail: nothing decided again; what its plan left pending is done now. */
async function redelivered(previous: ReceiptRecord, h: Handling): Promise<InboundResult> {
  const { msg, found } = h;
  const how = previous.id.startsWith('mid:') ? `same Message-ID <${msg.messageId}>` : 'byte-identical raw message';
  const what = `was processed (${previous.outcome}${previous.ticketId ? ` ${previous.ticketId}` : ''})`;
  const ticket = previous.ticketKey ? found.tickets.get(previous.ticketKey) ?? null : null;
  const out = { ...result('redelivered', `${how} ${what} at ${previous.at}: no second effect`, msg, ticket), ticket: previous.ticketId };
  if (!found.plan || isSettled(found.plan)) return out;
  const outcomes = await runPlan(found.plan, h.ports, h.config);
  const finished = outcomes.filter((o) => o.status === 'sent' || o.status === 'done').length;
  const done = finished ? `${finished} planned ${finished === 1 ? 'effect was' : 'effects were'} still pending and ${finished === 1 ? 'is' : 'are'} done now` : null;
  return withOutcomes({ ...out, reason: [out.reason, done].filter(Boolean).join('; ') }, outcomes);
}

async function sha256Of(raw: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of raw) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

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
    arrival: { source: receipt.source, recipients: boundedList(receipt.recipients), verdicts: receipt.verdicts },
  };
  await store.recordReceipts([record]);
  return { ...result('quarantined', `${why}; raw mail kept at ${receipt.rawKey}`, null, null), messageId: msg?.messageId ?? null };
}

export type { MachineVerdict, SentReply };
