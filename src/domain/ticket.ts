/** The ticket model and its naming. No I/O. */
import { createHash } from 'node:crypto';
import type { TicketOutage } from './incidents/incident.js';

export type TicketStatus = 'open' | 'awaiting-info' | 'waiting-on-requester' | 'resolved' | 'closed';

export const CLOSED_STATUSES: readonly TicketStatus[] = ['resolved', 'closed'];

/** Every status, in the order a ticket usually goes through them (forms and the API list them so). */
export const TICKET_STATUSES = ['open', 'awaiting-info', 'waiting-on-requester', 'resolved', 'closed'] as const satisfies readonly TicketStatus[];

export interface Ticket {
  /** Internal key: derived from the Message-ID that opened the ticket, so replays converge. */
  key: string;
  number: number;
  /** Human id, e.g. TKT-42. */
  id: string;
  subject: string;
  requester: string;
  requesterName: string;
  participants: string[];
  status: TicketStatus;
  category: string | null;
  priority: string | null;
  triageReasons: string[];
  missing: string[];
  assignee: string | null;
  duplicateOf: string | null;
  createdAt: string;
  lastActivityAt: string;
  stale: boolean;
  /** Message keys on this ticket (a set, so replays add nothing). */
  messageKeys: string[];
  /** Message keys merged in as duplicates of the original request. */
  mergedKeys: string[];
  /** Normalised subject and opening text, kept for duplicate detection without reading messages. */
  fingerprint: string;
  originMessageId: string;
  /** The last few texts we sent on this ticket: a reply that pastes them back unquoted is cleaned with them. */
  outboundTexts: string[];
  /** Follow-up requests for missing details sent so far: capped, so an answering machine cannot keep one going. */
  followUpAsks: number;
  /** When the ticket was last resolved: a requester reply within the reopen window reopens it. */
  resolvedAt: string | null;
  /** The earlier ticket this one follows up (a reply to a closed ticket opens a new, linked one). */
  linkedTo: string | null;
  /** Since when the stale job has flagged it (null: not stale). */
  staleSince: string | null;
  /** When the quiet requester was last reminded. */
  nudgedAt: string | null;
  /** The start of the last message someone wrote on it, for the digest. */
  lastExcerpt: string;
  /**
   * Opened with an address typed into the web form or the API: until its requester opens the
   * status link mailed there, nothing shows the address is theirs. Absent: proven or by mail.
   */
  unverified?: boolean;
  /**
   * The Outlook conversation of the mail that opened it (its Thread-Index header block, base64):
   * our later mails that answer no Outlook mail continue it, so the requester's Outlook keeps
   * them in one conversation. Absent: opened by a mail without one (src/pipeline/outbound.ts).
   */
  outlookThreadIndex?: string;
  /** The incident it is part of (`INC-4`); absent or null: none. */
  incident?: string | null;
  /** What its report said about an outage and what was decided (src/domain/incidents/); absent: no outage report. */
  outage?: TicketOutage | null;
}

export type Priority = 'P1' | 'P2' | 'P3' | 'P4';

/** A person who writes to support (design: the requester item, created on a first mail). */
export interface RequesterProfile {
  address: string;
  name: string;
  firstSeenAt: string;
  bouncing: boolean;
  bounceDetail: string | null;
}

/** What a new mail may change on its ticket. */
export type TicketChanges = Partial<
  Pick<Ticket, 'status' | 'priority' | 'category' | 'assignee' | 'missing' | 'triageReasons' | 'followUpAsks' | 'resolvedAt' | 'duplicateOf' | 'lastExcerpt' | 'unverified' | 'incident'>
>;

export type MessageDirection = 'inbound' | 'outbound';

/** One message on a ticket's thread. */
export interface ThreadMessage {
  ticketKey: string;
  key: string;
  direction: MessageDirection;
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  date: string | null;
  receivedAt: string;
  /** What the person wrote, without quotes and signatures; at most an excerpt when `textBlobKey` is set. */
  visibleText: string;
  /** Where the whole visible text is kept when it is too long for the item (a pasted log). */
  textBlobKey?: string;
  rawBlobKey: string;
  attachments: { filename: string; contentType: string; size: number; blobKey?: string }[];
  /** Why this message is on this ticket, in words. */
  reason: string;
  /** appended | merged | created | machine kinds such as out-of-office. */
  role: string;
  /** Our mail about an incident: which one (`INC-4`), so a reply answers it wherever it was recorded. */
  incident?: string;
  /** What the parser had to tolerate (truncated part, unknown charset), in words. */
  parseWarnings: string[];
}

export function formatTicketId(prefix: string, number: number): string {
  return `${prefix}-${number}`;
}

export function parseTicketId(prefix: string, id: string): number | null {
  const match = new RegExp(`^${prefix}-(\\d{1,9})$`, 'i').exec(id.trim());
  return match ? Number(match[1]) : null;
}

export function isOpen(status: TicketStatus): boolean {
  return !CLOSED_STATUSES.includes(status);
}

/** Stable short key for a Message-ID: ticket and message items are keyed by it, so replays converge. */
export function messageKey(messageId: string): string {
  return createHash('sha256').update(messageId).digest('hex').slice(0, 24);
}
