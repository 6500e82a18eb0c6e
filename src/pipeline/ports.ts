import type { Readable } from 'node:stream';
import type { Incident, IncidentMember } from '../domain/incidents/incident.js';
import type { TicketEvent } from '../domain/lifecycle.js';
import type { Receipt } from '../domain/receipt.js';
import type { RequesterProfile, Ticket, TicketChanges, ThreadMessage } from '../domain/ticket.js';
import type { EffectPlan, EffectState } from './effects.js';
import type { InboundResult } from './inbound.js';

/** What the store remembers about one inbound delivery (idempotency and quarantine). */
export interface ReceiptRecord {
  /** `mid:<Message-ID>` or `sha:<sha256 of raw>`. */
  id: string;
  state: 'done' | 'quarantined';
  outcome: string;
  ticketKey: string | null;
  ticketId: string | null;
  reason: string;
  rawKey: string;
  at: string;
  messageId: string | null;
  subject?: string;
  from?: string;
  /** What the receiving side said (SES verdicts, envelope recipients), so a replay judges the mail as it arrived. */
  arrival?: Pick<Receipt, 'source' | 'recipients' | 'verdicts' | 'proof'>;
  /**
   * Written beside the message it records (an append that changes nothing else), not after it:
   * it counts only once that message, its thread key and its ticket's update are found too.
   */
  withMessage?: boolean;
}

export interface InboundLookup {
  receiptIds: string[];
  /** Message-IDs to resolve to tickets (references, in-reply-to and the mail's own id). */
  threadKeys: string[];
  /** Ticket keys to read outright (the key a new ticket from this mail would get). */
  ticketKeys: string[];
  /** Message items whose existence proves an earlier delivery finished its writes. */
  messageItems: { ticketKey: string; messageKey: string }[];
  ticketNumber: number | null;
  /** Open tickets of this requester active since `since`, for duplicate merging. */
  requester: { address: string; since: string } | null;
  /** Requester profile to read (bouncing flag), in the same batch. */
  profile: string | null;
  /** The effect plan an earlier delivery of this mail may have written. */
  planKey: string;
  /** A ticket key (of a mail that may open a ticket) whose number, taken and not yet on the ticket, to bring along. */
  numberFor?: string | null;
  /** This mail's message key: a receipt written beside its message brings that message item and its ticket along. */
  confirmWith?: string | null;
}

export interface InboundLookupResult {
  receipts: ReceiptRecord[];
  threadKeyHits: Map<string, string>;
  /** What the mail behind a thread key was, where we sent it (e.g. `note-notification`). */
  threadKeyRoles: Map<string, string>;
  /** The incident our mail behind a thread key was about (`INC-4`). */
  threadKeyIncidents: Map<string, string>;
  tickets: Map<string, Ticket>;
  /** `ticketKey/messageKey` of the requested message items that exist. */
  messagesFound: Set<string>;
  ticketByNumber: Ticket | null;
  openTicketsOfRequester: Ticket[];
  profile: RequesterProfile | null;
  plan: EffectPlan | null;
  /**
   * Thread keys of mail sent in our name (by us through SES, or by staff as the support address),
   * with its recipients: the only mail a bounce may report a failure of.
   */
  sentTo: Map<string, string[]>;
  /** The number taken for `numberFor`'s ticket that the ticket does not hold yet (an interrupted delivery's); absent: none. */
  pendingNumber?: number | null;
}

/** A new ticket's first writes: the ticket without its number yet, its first message and thread key. */
export interface NewTicketWrite {
  /** `number` 0 and `id` '' until numberTicket: its number is the one remembered for it (nextTicketNumber). */
  ticket: Ticket;
  message: ThreadMessage;
  threadKeys: string[];
  events: TicketEvent[];
}

export interface AppendWrite {
  ticket: Ticket;
  message: ThreadMessage;
  threadKeys: string[];
  receipts: ReceiptRecord[];
  /** Mail sent in our name (a staff member's send-as copy): its recipients, kept on its thread key for bounces. */
  sentTo?: string[];
  newParticipants: string[];
  /** Human activity moves lastActivityAt; an out-of-office does not. */
  activityAt: string | null;
  merged: boolean;
  changes?: TicketChanges;
  /** What changed, who did it and why: kept on the ticket as its history. */
  events?: TicketEvent[];
}

export interface OutboundWrite {
  ticketKey: string;
  message: ThreadMessage;
  /** Every Message-ID the mail may be quoted by: ours and the one SES put on it. */
  threadKeys: string[];
  /** Keys a bounce of this mail may quote (SES's Message-ID, our return path), with the recipients. */
  sentTo: { keys: string[]; recipients: string[] };
  /** Texts we sent to the requester, kept to clean replies that paste them back; null: unchanged. */
  outboundTexts: string[] | null;
}

/** What an append decided, as its result line says it (replies are added when its plan runs). */
export type DecidedResult = Omit<InboundResult, 'replies'>;

/**
 * An append's decision, kept in its effect plan and written before anything changes: a replay
 * after a crash repeats exactly these writes, never a decision made again on a ticket the first
 * attempt may already have changed.
 */
export interface AppendDecision {
  write: AppendWrite;
  result: DecidedResult;
}

/** A change with no message behind it (the stale job's reminders and closings). */
export interface TicketChangeWrite {
  ticket: Ticket;
  changes: TicketChanges & { nudgedAt?: string };
  events: TicketEvent[];
  /** Keys the events, so a repeated run rewrites the same items. */
  causeKey: string;
}

/** One run of the stale job, recorded so a retried or doubled invocation does nothing twice. */
export interface StaleRun {
  slot: string;
  startedAt: string;
  finishedAt: string | null;
  /** What the run did (the `ticketing stale` JSON). */
  result: unknown;
  /** Keys of the tickets it left flagged: the next run clears those that moved on. */
  flaggedKeys: string[];
}

/** The hour bucket of a limit slot at `now` (UTC), e.g. 2026-11-23T08. */
export function limitHour(now: Date): string {
  return now.toISOString().slice(0, 13);
}

/** One hour's slot of a limit, taken by a member (an effect, a mail): taking it again costs nothing. */
export interface LimitSlot {
  /** e.g. `sender#a@b.example`, `ticket#<key>`, `new-tickets#a@b.example`. */
  scope: string;
  /** Hour bucket, e.g. 2026-11-23T08. */
  hour: string;
  max: number;
  member: string;
}

/** How one effect ended, written back to its plan. */
export interface EffectSettlement {
  id: string;
  state: EffectState;
  detail: string | null;
  providerId: string | null;
  attempts: number;
}

/** A mail that did not go out (failed or unconfirmed), kept for the digest. */
export interface UndeliveredMail {
  planKey: string;
  effectId: string;
  state: 'failed' | 'unconfirmed';
  kind: string;
  ticketId: string | null;
  to: string[];
  subject: string;
  detail: string;
  at: string;
}

/** Durable effect plans (src/pipeline/effects.ts): written with a delivery, finished by the runner. */
export interface PlanStore {
  /** Writes the plan unless one with its key exists; resolves to the stored plan either way. */
  putPlan(plan: EffectPlan): Promise<EffectPlan>;
  getPlan(key: string): Promise<EffectPlan | null>;
  /** Moves each effect from pending to sending, conditionally; resolves to the ids this call claimed. */
  claimEffects(planKey: string, ids: string[], at: string): Promise<Set<string>>;
  /** Puts claims of this runner (taken at `at`) back to pending: their sends were never attempted. */
  releaseEffects(planKey: string, ids: string[], at: string): Promise<void>;
  /** Records how effects ended; `settled` takes the plan off the open-plans index. */
  settleEffects(planKey: string, settlements: EffectSettlement[], settled: boolean, undelivered: UndeliveredMail[]): Promise<void>;
  /** Plans not yet settled that were written before `before`, oldest first: what the sweeper finishes. */
  openPlans(before: string): Promise<EffectPlan[]>;
  /** Mail that failed or is unconfirmed, settled since `since`. */
  undeliveredSince(since: string): Promise<UndeliveredMail[]>;
}

export interface MergeWrite {
  /** The ticket the merged one now lives on. */
  target: Ticket;
  source: Ticket;
  event: TicketEvent;
}

/**
 * Tickets and their threads: the one batched read an inbound decision needs, creating and
 * numbering a ticket, appending to it, its history, and the listings of tickets and messages.
 */
export interface TicketBook {
  /**
   * One round trip: every read the inbound decision needs, batched (it brings the ledger's
   * receipts, plan and profile along, so a mail costs one read before its ticket is known); a
   * second only for a tag's ticket or a receipt written beside its message (`confirmWith`).
   */
  lookUpInbound(q: InboundLookup): Promise<InboundLookupResult>;
  /** Tickets by key, batched (thread-key hits resolved to tickets). */
  getTickets(keys: string[]): Promise<Map<string, Ticket>>;
  /**
   * The next ticket number, for this ticket: asked again for the same ticket, the same number
   * (`ours` false: an earlier or concurrent delivery of the same mail took it).
   */
  nextTicketNumber(ticketKey: string): Promise<{ number: number; ours: boolean }>;
  /**
   * A number taken for a ticket that another delivery numbered first: back to the counter, when
   * no later number was taken since. False when one was (the number is then a gap).
   */
  returnTicketNumber(ticketKey: string, number: number): Promise<boolean>;
  /**
   * The ticket holds `number` now: the counter no longer needs to remember it. Only that number
   * is forgotten: one a later copy of the mail took meanwhile stays until that copy gives it back.
   */
  forgetTicketNumber(ticketKey: string, number: number): Promise<void>;
  /**
   * One round trip of parallel, idempotent writes: the ticket (conditionally, without its
   * number), its first message and thread key. False when the ticket existed already.
   */
  createTicket(write: NewTicketWrite): Promise<boolean>;
  /**
   * Gives the ticket its number (and its alias `N#n`), unless it has one: resolves to the ticket
   * as stored, whose number may be another delivery's.
   */
  numberTicket(ticket: Ticket): Promise<Ticket>;
  /** Message, thread key and ticket update first; the receipts only once those are durable (beside them when `withMessage`). */
  appendMessage(write: AppendWrite): Promise<void>;
  /** Records on the target that another ticket was merged into it (the source's own update is an append). */
  recordMerge(write: MergeWrite): Promise<void>;
  listEvents(ticketKey: string): Promise<TicketEvent[]>;
  changeTicket(write: TicketChangeWrite): Promise<void>;
  /** Open tickets of one priority idle since at least `idleSince`: a Query on the sparse index, never a Scan. */
  staleCandidates(priority: string | null, idleSince: string): Promise<Ticket[]>;
  setStale(ticket: Ticket, staleSince: string | null): Promise<void>;
  getTicketById(number: number): Promise<Ticket | null>;
  /** Every numbered ticket: a Scan, for the operator's CLI listing and exports, never a page of the console. */
  listTickets(): Promise<Ticket[]>;
  /** Every open numbered ticket: one Query per priority on the sparse openByActivity index. */
  openTickets(): Promise<Ticket[]>;
  /** Tickets resolved (and not yet closed) since then: one Query of openByActivity's resolved partition. */
  resolvedSince(since: string): Promise<Ticket[]>;
  /**
   * At most `limit` numbered tickets, most recent activity first, starting after `from`: one
   * Query of the byActivity index (src/pipeline/find-tickets.ts reads it page by page).
   */
  ticketsByActivity(from: ActivityPosition | null, limit: number): Promise<TicketPage>;
  /**
   * Puts tickets written before the byActivity index (and resolved ones before openByActivity's
   * resolved partition) existed into them, once after an upgrade: how many it had to add. Idempotent.
   */
  reindexTickets(): Promise<number>;
  listMessages(ticketKey: string): Promise<ThreadMessage[]>;
}

/** A place in the most-recent-activity-first order of tickets: the last ticket read. */
export interface ActivityPosition {
  lastActivityAt: string;
  key: string;
}

/** One read of that order; `end` when nothing older is left. */
export interface TicketPage {
  tickets: Ticket[];
  end: boolean;
}

/**
 * The delivery ledger: what arrived (receipts, the quarantine), what it causes (effect plans and
 * their claims), the hourly slots of limits, the mail we sent, and who bounces.
 */
export interface DeliveryLedger extends PlanStore {
  recordReceipts(receipts: ReceiptRecord[], quarantined?: boolean): Promise<void>;
  getReceipts(ids: string[]): Promise<ReceiptRecord[]>;
  listQuarantine(): Promise<ReceiptRecord[]>;
  /**
   * Takes the member's slot in this hour's limit, with a conditional set so the limit holds
   * across concurrent Lambdas and a replay of the same member takes nothing more. False when full.
   */
  takeSlot(slot: LimitSlot): Promise<boolean>;
  /** Gives the member's slot back (a mail another limit refused must not use up this one). */
  returnSlot(slot: LimitSlot): Promise<void>;
  recordOutbound(write: OutboundWrite): Promise<void>;
  /**
   * All of recordOutbound but the message item: for a mail whose message item is there (so it
   * went out) while its runner stopped before the ticket's update or the thread keys landed.
   */
  completeOutboundRecord(write: OutboundWrite): Promise<void>;
  /** Whether each outbound message item exists: proof that a claimed send went out and was recorded. */
  outboundRecorded(messages: { ticketKey: string; messageKey: string }[]): Promise<Set<string>>;
  markBouncing(address: string, detail: string, at: string): Promise<void>;
  /** The address wrote to us again: it is not bouncing (any more). */
  clearBouncing(address: string): Promise<void>;
  getProfiles(addresses: string[]): Promise<Map<string, RequesterProfile>>;
}

/** One mailbox folder a poller reads (IMAP, Microsoft Graph, the Gmail API). */
export interface MailboxFolder {
  /** `user@host` (IMAP, src/imap/poller.ts imapAccount) or `graph:`/`gmail:` and the mailbox, safe inside a key. */
  account: string;
  folder: string;
}

/** Where the IMAP poller got to in one folder. */
export interface MailboxCheckpoint {
  /** UIDVALIDITY of the folder when lastUid was reached (a string: IMAP allows 32 bits unsigned, imapflow gives a bigint). */
  uidValidity: string;
  /** Every message up to and including this UID has been processed. */
  lastUid: number;
}

/**
 * Where a mailbox-API poller (Microsoft Graph's delta query, the Gmail API's history) got to in
 * one folder: the API's own cursor, and the messages it has seen but not yet finished.
 */
export interface MailboxCursor {
  /** The delta link or history id the next poll reads changes from; null: a full sync is due. */
  cursor: string | null;
  /**
   * Message ids seen but not yet processed and moved, oldest first: ones that failed (they stay
   * in the mailbox and are retried, without holding up the others) and ones past a batch's size.
   */
  pending: string[];
}

/** Records of the scheduled jobs: the stale job's runs, the pollers' place and lease in each folder. */
export interface JobRecords {
  /** Null when this call claimed the slot; else the run that already has it. */
  claimStaleRun(slot: string, at: string): Promise<StaleRun | null>;
  finishStaleRun(run: StaleRun): Promise<void>;
  lastStaleRun(): Promise<StaleRun | null>;
  mailboxCheckpoint(mailbox: MailboxFolder): Promise<MailboxCheckpoint | null>;
  saveMailboxCheckpoint(mailbox: MailboxFolder, checkpoint: MailboxCheckpoint, at: Date): Promise<void>;
  mailboxCursor(mailbox: MailboxFolder): Promise<MailboxCursor | null>;
  saveMailboxCursor(mailbox: MailboxFolder, cursor: MailboxCursor, at: Date): Promise<void>;
  /**
   * Takes the folder's lease for `owner` from `at` until `until`, unless another poller's lease
   * has not run out by `at`: then resolves to when that one ends. An expired lease is taken over.
   */
  leaseMailbox(mailbox: MailboxFolder, owner: string, at: Date, until: Date): Promise<{ heldUntil: Date } | null>;
  /** Gives the lease back if it is still this owner's (an expired one may have been taken over). */
  releaseMailbox(mailbox: MailboxFolder, owner: string): Promise<void>;
}

/** A report's claim to form the incident of its service (and place), until it runs out. */
export interface IncidentClaim {
  service: string;
  number: number;
  site: string | null;
  floor: number | null;
  /** ISO: the end of the window of the report that claimed it. */
  until: string;
}

/** Incidents (src/domain/incidents/): the reports a decision compares, and the incidents themselves. */
export interface IncidentBook {
  /** Numbered tickets opened since then with an outage report, most recent activity first: one Query of byActivity. */
  recentReports(since: string): Promise<Ticket[]>;
  /** The next incident number, for the incident this ticket forms: asked again for the same ticket, the same number. */
  nextIncidentNumber(ownerKey: string): Promise<number>;
  /**
   * Claims forming an incident of this service, for this number, until `until`: resolves to the
   * claim that holds (this one, or another report's that got there first and has not run out).
   * Two reports deciding at once to form one outage's incident find each other here.
   */
  claimIncidentForming(claim: IncidentClaim, now: string): Promise<IncidentClaim>;
  /** Writes the incident unless it exists; resolves to the incident as stored. */
  createIncident(incident: Incident): Promise<Incident>;
  /** Adds (or writes again) these members: idempotent. */
  addIncidentMembers(number: number, members: IncidentMember[]): Promise<void>;
  /** Takes these tickets out: idempotent. */
  removeIncidentMembers(number: number, ticketKeys: string[]): Promise<void>;
  /** Resolved, at the first time it was said to be: idempotent. */
  resolveIncident(number: number, at: string): Promise<void>;
  getIncident(number: number): Promise<Incident | null>;
  /** The open incidents, newest first: one Query. */
  openIncidents(): Promise<Incident[]>;
  /** Incidents resolved since then, the latest first: one Query. */
  resolvedIncidentsSince(since: string): Promise<Incident[]>;
  /** Every incident, newest first (the operator's listing). */
  listIncidents(): Promise<Incident[]>;
}

/** Every port of the ticket table, as the pipeline's entry points take it; a module that needs one asks for that one. */
export type TicketStore = TicketBook & DeliveryLedger & JobRecords & IncidentBook;

export interface BlobStore {
  put(key: string, body: Buffer | Readable, contentType?: string): Promise<void>;
  get(key: string): Promise<Readable>;
}

export interface Clock {
  now(): Date;
}

/** Short-lived links that download a stored object (an attachment, a raw mail) straight from the blob store. */
export interface DownloadLinks {
  downloadLink(key: string, as: { filename: string; contentType: string }, seconds: number): Promise<string>;
}

/**
 * One person's data to erase (`ticketing forget`, src/pipeline/forget.ts): who, what stands in
 * for their address on the records that are kept, and how text is cleaned of them.
 */
export interface PersonErasure {
  /** Lower-case. */
  address: string;
  /** Takes the address's place where a record must keep someone (a ticket's requester). */
  placeholder: string;
  /** The names they are known by, replaced along with the address. */
  knownAs: string[];
  /** Whether a text names them (their address, or a full name they are known by). */
  names(text: string): boolean;
  /** The text with their address replaced by the placeholder and their names by "[erased]". */
  scrub(text: string): string;
  /** ISO 8601. */
  at: string;
  /** Said on what is left of a record whose content went, e.g. "erased on request on 2026-12-01". */
  note: string;
  /** What the store writes on the records the erasure leaves behind (worded here, not by the store). */
  remarks: {
    /** On a delivery receipt whose raw mail went. */
    unreplayable: string;
    /** On the placeholder's profile. */
    noOneToWriteTo: string;
    /** On a mail to them that had not gone out. */
    notSent: string;
  };
}

/** What an erasure finds, and so what it changes: counts and ticket ids, for the person who asked. */
export interface ErasureSummary {
  /** Their requester profile (deleted). */
  profile: boolean;
  /** Tickets they opened: the requester becomes the placeholder. */
  ticketsOpened: string[];
  /** Those still open: no one is left to answer on them. */
  stillOpen: string[];
  /** Other tickets naming them (a participant, a mention). */
  ticketsNaming: string[];
  /** Messages they sent: text, attachments and raw mail go; the message stays on its thread. */
  messagesSent: number;
  /** Other messages naming them (mail to them, Cc): address and name replaced. */
  messagesNaming: number;
  /** History entries naming them. */
  historyEntries: number;
  /** Delivery receipts of mail they sent (kept, so a re-delivery is still recognised). */
  receipts: number;
  /** Of those, quarantined mail: taken out of the quarantine (its raw mail is gone). */
  quarantined: number;
  /** Effect plans, sent-mail records, rate-limit slots and the like. */
  otherRecords: number;
}

/** An erasure decided on, not yet written: what a confirmation shows, and what applying it writes. */
export interface ErasurePlan {
  erasure: PersonErasure;
  summary: ErasureSummary;
  /** Raw objects of mail they sent: deleted with their kept text and attachments before the records change. */
  rawKeys: string[];
  /** Objects named on their messages (whole texts, attachments), deleted with the raw mail. */
  blobKeys: string[];
  /** The store's own list of writes; only `applyErasure` reads it. */
  writes: unknown;
}

/** Erasure of one person's data: read everything naming them, then write it all cleaned. */
export interface ErasureStore {
  /** The names this address is known by: its profile's, and those on the tickets it opened. */
  knownNames(address: string): Promise<string[]>;
  /** Reads every record naming them (a whole-table read: an operator's rare request). Writes nothing. */
  planErasure(erasure: PersonErasure): Promise<ErasurePlan>;
  /** Writes the plan; idempotent (a second plan for the same person finds nothing). */
  applyErasure(plan: ErasurePlan): Promise<void>;
}

/** Deleting blobs (for erasure): listing a prefix, deleting a key (a missing key is no error). */
export interface BlobEraser {
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
}
