/**
 * IT staff work from their mail client: they are told about tickets, and what they write on a
 * ticket's thread is relayed to the requester, or kept internal, and its commands applied.
 */
import { statusLink } from '../domain/status-link.js';
import type { Config } from '../config.js';
import { isStaffAddress, type AddressBook } from '../domain/addresses.js';
import { applyCommands, parseCommands, type CommandOutcome, type IncidentScope } from '../domain/commands.js';
import { transition, type Actor, type TicketEvent } from '../domain/lifecycle.js';
import type { Ticket, TicketChanges } from '../domain/ticket.js';
import { staffTemplates, type StaffTicketFacts } from '../mail/templates/staff.js';
import type { InboundMessage } from '../mail/types.js';
import { boundedText, NOTICE_TEXT_BYTES, RELAY_TEXT_BYTES } from './bounds.js';
import { planned, type PlannedEffect } from './effects.js';
import { planTicketMail, receivingAddress, ticketSubject, type Cause, type TicketMail } from './outbound.js';
import type { TicketStore } from './ports.js';

/** `[TKT-42] [P2 network] VPN down`: what staff sort and filter their inbox by. */
export function staffSubject(ticket: Ticket): string {
  const label = [ticket.priority, ticket.category].filter(Boolean).join(' ');
  return `[${ticket.id}]${label ? ` [${label}]` : ''} ${ticket.subject}`;
}

export function factsOf(ticket: Ticket): StaffTicketFacts {
  return {
    requester: ticket.requesterName ? `${ticket.requesterName} <${ticket.requester}>` : ticket.requester,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    assignee: ticket.assignee,
    triageReasons: ticket.triageReasons,
    missing: ticket.missing,
    ...(ticket.unverified ? { unverified: true } : {}),
  };
}

export interface Shared {
  config: Config;
  book: AddressBook;
}

/** Tells the assignee (else the staff list) that the ticket needs a look, with what was written. */
export function planStaffNotice(ticket: Ticket, headline: string, text: string, cause: Cause, s: Shared, remarks: string[] = []): PlannedEffect {
  const to = ticket.assignee ?? s.config.staffList;
  const from = cause.inbound.from;
  const body = staffTemplates.notification({
    ticketId: ticket.id,
    subject: ticket.subject,
    requesterName: ticket.requesterName,
    supportAddress: receivingAddress(cause.inbound, s.book),
    teamName: s.config.teamName,
    headline,
    facts: factsOf(ticket),
    from: from ? (from.name ? `${from.name} <${from.address}>` : from.address) : ticket.requester,
    text: boundedText(text, NOTICE_TEXT_BYTES, '\n… (the whole text is on the ticket)'),
    attachments: cause.inbound.attachments.map((a) => a.filename),
    staffList: s.config.staffList,
    ticketPrefix: s.config.ticketPrefix,
    remarks,
  });
  const mail = planTicketMail(
    { kind: 'staff-notification', to: [to], cc: [], fromName: s.config.teamName, subject: staffSubject(ticket), body, automatic: 'auto-generated', limitFor: null },
    cause,
    s.config,
    s.book,
  );
  return planned('staff-notification', { type: 'mail', mail });
}

/** What a staff message does to its ticket: its commands' outcome, and what to tell whom. */
export interface StaffEffect extends CommandOutcome {
  /** Kept internal: a #note, or a reply to a note's notification. */
  internal: boolean;
  /** What the staff member wrote, command lines removed. */
  text: string;
  /** The text to relay to the requester, or null when nothing goes out. */
  relayText: string | null;
}

/** Where a staff message is read: the mail, its time, and what its commands are checked against. */
export interface StaffMessageContext {
  msg: InboundMessage;
  now: Date;
  store: TicketStore;
  config: Config;
  book: AddressBook;
  /** The door the message came through when it was not mail or the console ('Slack'): its history lines say so. */
  via?: string | null;
}

/**
 * Applies a staff member's commands to the ticket as one change set (one conditional update),
 * and decides what is relayed. Every command is checked first; a rejected one changes nothing.
 * `repliesToNote`: the mail answers an internal note (or nobody), so it stays internal;
 * `incident`: it answers an incident, whose tickets its commands may name.
 */
export async function staffEffect(
  ticket: Ticket,
  visibleText: string,
  { msg, now, store, config, book, via = null }: StaffMessageContext,
  { repliesToNote = false, incident = null }: { repliesToNote?: boolean; incident?: IncidentScope | null } = {},
): Promise<StaffEffect> {
  const sender = msg.from!.address;
  const actor: Actor = { kind: 'staff', address: sender };
  const at = now.toISOString();
  const parsed = parseCommands(visibleText, {
    sender,
    ticketPrefix: config.ticketPrefix,
    ticketNumber: ticket.number,
    categories: [...config.triage.categories.map((c) => c.name), config.triage.fallbackCategory],
    isStaff: (address) => isStaffAddress(address, book),
  });
  const { status, ...outcome } = await applyCommands(ticket, parsed, { sender, at, via, ticketByNumber: (n) => store.getTicketById(n), incident });
  const effect: StaffEffect = {
    ...outcome,
    internal: repliesToNote || parsed.commands.some((c) => c.kind === 'note'),
    text: parsed.text.trim(),
    relayText: null,
  };
  if (!effect.internal && !effect.mergeTarget && effect.text) {
    effect.relayText = effect.text;
    // An answer to the requester waits for them, unless a command said otherwise. News of an
    // incident to all its reporters asks nothing of them: their tickets stay as they are.
    if (!incident && effect.changes.status === undefined && (status === 'open' || status === 'awaiting-info')) {
      const step = transition(status, 'waiting-on-requester', actor, `${sender} answered the requester${via ? ` via ${via}` : ''}`, at);
      if (step.ok && step.event) {
        effect.events.push(step.event);
        effect.changes.status = 'waiting-on-requester';
      }
    }
  }
  return effect;
}

/** What a staff message causes: the relay to the requester, the note to staff, the result to its author. */
export function planStaffMails(
  ticket: Ticket,
  effect: StaffEffect,
  cause: Cause,
  s: Shared,
  options: { resultByMail: boolean; resultAbout?: { id: string; title: string } } = { resultByMail: true },
): { effects: PlannedEffect[]; notes: string[] } {
  const { inbound } = cause;
  const author = inbound.from!;
  const support = receivingAddress(inbound, s.book);
  const ctx = { ticketId: ticket.id, subject: ticket.subject, requesterName: ticket.requesterName, supportAddress: support, teamName: s.config.teamName };
  const effects: PlannedEffect[] = [];
  const plan = (mail: TicketMail) => effects.push(planned(mail.kind, { type: 'mail', mail: planTicketMail(mail, cause, s.config, s.book) }));
  const notes: string[] = [];
  // Whoever the staff member wrote to directly (reply-all) has the mail already: no second copy.
  const direct = new Set([...inbound.to, ...inbound.cc].map((m) => m.address));
  const people = [ticket.requester, ...ticket.participants.filter((a) => a !== ticket.requester && !isStaffAddress(a, s.book))];
  const [to, ...cc] = people.filter((a) => !direct.has(a));
  // The status link acts as the requester: only a mail to the requester alone carries it.
  const forRequester = { ...ctx, statusUrl: to === ticket.requester && cc.length === 0 ? statusLink(ticket.key, cause.now, s.config.web) : null };
  if (effect.relayText && !to) notes.push('not sent: relay (the staff member wrote to the requester directly, so there is nothing to pass on)');
  if (effect.relayText && to) {
    plan({
      kind: 'relay',
      to: [to],
      cc,
      fromName: author.name ? `${author.name} (${s.config.teamName})` : s.config.teamName,
      subject: ticketSubject(s.config, ticket),
      body: staffTemplates.relay({ ...forRequester, staffName: author.name, text: boundedText(effect.relayText, RELAY_TEXT_BYTES, '\n… (shortened: the full answer is kept on the ticket)') }),
      automatic: null,
      limitFor: null,
      // On the requester's own thread: the staff member's mail answered our internal notice.
      thread: { inReplyTo: ticket.originMessageId, references: [ticket.originMessageId] },
      // Our notice carried the requester's Outlook conversation, so the answer to it is in it too.
      conversationOfCause: true,
    });
  }
  if (effect.notedByCommand) {
    plan({
      kind: 'note-notification',
      to: [s.config.staffList],
      cc: [],
      fromName: s.config.teamName,
      subject: staffSubject(ticket),
      body: staffTemplates.note({ ...ctx, author: author.name || author.address, text: boundedText(effect.text, NOTICE_TEXT_BYTES), staffList: s.config.staffList }),
      automatic: 'auto-generated',
      limitFor: null,
    });
  }
  if (options.resultByMail && (effect.applied.length || effect.rejected.length)) {
    // The result of commands given to an incident is about the incident, not the ticket they came in on.
    const about = options.resultAbout;
    plan({
      kind: 'command-result',
      to: [author.address],
      cc: [],
      fromName: s.config.teamName,
      subject: about ? `Re: [${about.id}] ${about.title}` : `Re: ${staffSubject(ticket)}`,
      body: staffTemplates.commandResult({ ...ctx, ...(about ? { ticketId: about.id, subject: about.title } : {}), applied: effect.applied, rejected: effect.rejected, staffList: s.config.staffList }),
      automatic: 'auto-replied',
      limitFor: null,
    });
  }
  return { effects, notes };
}
