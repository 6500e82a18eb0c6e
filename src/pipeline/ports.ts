import type { Readable } from 'node:stream';
import type { TicketEvent } from '../domain/lifecycle.js';
import type { RequesterProfile, Ticket, TicketChanges, ThreadMessage } from '../domain/ticket.js';

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
}

export interface InboundLookupResult {
  receipts: ReceiptRecord[];
  threadKeyHits: Map<string, string>;
  /** What the mail behind a thread key was, where we sent it (e.g. `note-notification`). */
  threadKeyRoles: Map<string, string>;
  tickets: Map<string, Ticket>;
  /** `ticketKey/messageKey` of the requested message items that exist. */
  messagesFound: Set<string>;
  ticketByNumber: Ticket | null;
  openTicketsOfRequester: Ticket[];
  profile: RequesterProfile | null;
}

export interface NewTicketWrite {
  ticket: Ticket;
  message: ThreadMessage;
  threadKeys: string[];
  receipts: ReceiptRecord[];
  events: TicketEvent[];
}

export interface AppendWrite {
  ticket: Ticket;
  message: ThreadMessage;
  threadKeys: string[];
  receipts: ReceiptRecord[];
  newParticipants: string[];
  /** Human activity moves lastActivityAt; an out-of-office does not. */
  activityAt: string | null;
  merged: boolean;
  changes?: TicketChanges;
  /** What changed, who did it and why: kept on the ticket as its history. */
  events?: TicketEvent[];
}

export interface OutboundWrite {
  ticket: Ticket;
  message: ThreadMessage;
  /** Every Message-ID the mail may be quoted by: ours and the one SES put on it. */
  threadKeys: string[];
  /** Texts we sent to the requester, kept to clean replies that paste them back; null: unchanged. */
  outboundTexts: string[] | null;
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

export interface MergeWrite {
  /** The ticket the merged one now lives on. */
  target: Ticket;
  source: Ticket;
  event: TicketEvent;
}

export interface ReplyAllowance {
  sender: string;
  ticketKey: string;
  /** Hour bucket, e.g. 2026-11-23T08. */
  hour: string;
  maxPerSender: number;
  maxPerTicket: number;
}

export interface TicketStore {
  /** One round trip: every read the inbound decision needs, batched. */
  lookUpInbound(q: InboundLookup): Promise<InboundLookupResult>;
  /** Tickets by key, batched (thread-key hits resolved to tickets). */
  getTickets(keys: string[]): Promise<Map<string, Ticket>>;
  nextTicketNumber(): Promise<number>;
  /**
   * One round trip of parallel, idempotent writes (receipts included: a replay checks the
   * ticket and its first message exist before trusting them). False when the ticket existed.
   */
  createTicket(write: NewTicketWrite): Promise<boolean>;
  /** Message, thread key and ticket update first; the receipts only once those are durable. */
  appendMessage(write: AppendWrite): Promise<void>;
  recordReceipts(receipts: ReceiptRecord[], quarantined?: boolean): Promise<void>;
  /**
   * Takes one auto-reply slot per sender and per ticket for this hour, with conditional counters
   * so the limit holds across concurrent Lambdas. Null when allowed, else why not.
   */
  takeReplySlot(a: ReplyAllowance): Promise<string | null>;
  /** At most one auto-reply per inbound mail, whatever replays happen. False when already claimed. */
  claimReply(inboundKey: string, kind: string): Promise<boolean>;
  recordOutbound(write: OutboundWrite): Promise<void>;
  markBouncing(address: string, detail: string, at: string): Promise<void>;
  /** Records on the target that another ticket was merged into it (the source's own update is an append). */
  recordMerge(write: MergeWrite): Promise<void>;
  listEvents(ticketKey: string): Promise<TicketEvent[]>;
  changeTicket(write: TicketChangeWrite): Promise<void>;
  /** Open tickets of one priority idle since at least `idleSince`: a Query on the sparse index, never a Scan. */
  staleCandidates(priority: string | null, idleSince: string): Promise<Ticket[]>;
  setStale(ticket: Ticket, staleSince: string | null): Promise<void>;
  /** Null when this call claimed the slot; else the run that already has it. */
  claimStaleRun(slot: string, at: string): Promise<StaleRun | null>;
  finishStaleRun(run: StaleRun): Promise<void>;
  lastStaleRun(): Promise<StaleRun | null>;
  getProfiles(addresses: string[]): Promise<Map<string, RequesterProfile>>;
  getTicketById(number: number): Promise<Ticket | null>;
  listTickets(): Promise<Ticket[]>;
  listMessages(ticketKey: string): Promise<ThreadMessage[]>;
  listQuarantine(): Promise<ReceiptRecord[]>;
}

export interface BlobStore {
  put(key: string, body: Buffer | Readable, contentType?: string): Promise<void>;
  get(key: string): Promise<Readable>;
}

export interface Clock {
  now(): Date;
}
