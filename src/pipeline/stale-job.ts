/**
 * The scheduled stale-ticket job: flags tickets idle past their threshold, clears the flag of
 * those that moved on, reminds quiet requesters and closes their tickets in time, and mails IT
 * one digest. Reads follow the candidates (a Query per priority on the sparse open-tickets
 * index), never the table; one run per schedule slot, whatever retries happen.
 */
import type { Config } from '../config.js';
import { domainOf, type AddressBook } from '../domain/addresses.js';
import type { TicketEvent } from '../domain/lifecycle.js';
import { missingDetails } from '../domain/missing-info.js';
import { candidateCutoff, idleHours, isStale, isWaitingOnRequester, quietAction, slotOf } from '../domain/stale.js';
import type { Ticket } from '../domain/ticket.js';
import { composeMail } from '../mail/compose.js';
import { renderDigest, type DigestTicket } from '../mail/digest.js';
import { templates } from '../mail/templates.js';
import type { Mailer } from './mailer.js';
import { MailSendError } from './mailer.js';
import { sendTicketMail, ticketAddress, ticketSubject, type CauseMail } from './outbound.js';
import type { Clock, TicketStore } from './ports.js';

export interface StaleJobResult {
  /** The schedule slot this run had, e.g. 2026-11-23T08:00. */
  slot: string;
  /** True when the slot had already run: nothing was done this time. */
  alreadyRan: boolean;
  flagged: string[];
  cleared: string[];
  digest: { to: string; subject: string; tickets: string[] } | null;
  nudged: string[];
  closed: string[];
  /** What could not be done, in words (a send SES refused); the rest went ahead. */
  problems: string[];
}

export interface StaleJobPorts {
  store: TicketStore;
  mailer: Mailer;
  clock: Clock;
}

export interface StaleJobOutput {
  result: StaleJobResult;
  /** The digest's HTML, for `ticketing stale --html FILE`; null when none was sent. */
  digestHtml: string | null;
}

const PRIORITIES = ['P1', 'P2', 'P3', 'P4', null] as const;

export async function runStaleJob(ports: StaleJobPorts, config: Config, book: AddressBook, messageKey: (id: string) => string): Promise<StaleJobOutput> {
  const { store } = ports;
  const rules = config.stale;
  const now = ports.clock.now();
  const at = now.toISOString();
  const slot = slotOf(now, rules);
  const earlier = await store.claimStaleRun(slot, at);
  if (earlier) {
    const previous = (earlier.result ?? {}) as Partial<StaleJobResult>;
    return {
      result: { slot, alreadyRan: true, flagged: [], cleared: [], digest: null, nudged: [], closed: [], problems: [`the ${slot} slot already ran at ${earlier.startedAt}${previous.digest ? ` and sent "${previous.digest.subject}"` : ''}: nothing done again`] },
      digestHtml: null,
    };
  }

  const [candidateLists, last] = await Promise.all([
    Promise.all(PRIORITIES.map((p) => store.staleCandidates(p, candidateCutoff(p, now, rules)))),
    store.lastStaleRun(),
  ]);
  const candidates = candidateLists.flat();
  const byKey = new Map(candidates.map((t) => [t.key, t]));
  // Tickets flagged last time that are no longer candidates had activity, or were resolved.
  const gone = (last?.flaggedKeys ?? []).filter((k) => !byKey.has(k));
  const [goneTickets, profiles] = await Promise.all([
    gone.length ? store.getTickets(gone) : Promise.resolve(new Map<string, Ticket>()),
    store.getProfiles(candidates.filter((t) => isWaitingOnRequester(t.status)).map((t) => t.requester)),
  ]);

  const result: StaleJobResult = { slot, alreadyRan: false, flagged: [], cleared: [], digest: null, nudged: [], closed: [], problems: [] };
  const unreachable: Ticket[] = [];
  const stale: Ticket[] = [];
  const support = config.supportAddresses[0]!;
  const quiet = candidates.map(async (ticket) => {
    const bouncing = profiles.get(ticket.requester)?.bouncing ?? false;
    const action = quietAction(ticket, now, rules);
    if (action && bouncing) {
      unreachable.push(ticket);
      return ticket;
    }
    if (action?.kind === 'close') return closeQuietTicket(ticket, action.days);
    if (action?.kind === 'nudge') await nudge(ticket, action.days);
    return ticket;
  });

  async function nudge(ticket: Ticket, days: number): Promise<void> {
    const sent = await sendToRequester(ticket, 'nudge', templates.nudge({
        ...context(ticket),
        waitingFor: asksFor(ticket, config),
        days,
        ...(rules.autoCloseAfterDays > days ? { closesInDays: rules.autoCloseAfterDays - days } : {}),
      }));
    if (!sent) return;
    const event: TicketEvent = { at, actor: 'system', kind: 'note', from: null, to: null, why: `reminded ${ticket.requester} after ${days} quiet days` };
    await store.changeTicket({ ticket, changes: { nudgedAt: at }, events: [event], causeKey: `nudge-${slot}` });
    result.nudged.push(ticket.id);
  }

  async function closeQuietTicket(ticket: Ticket, days: number): Promise<Ticket> {
    const event: TicketEvent = { at, actor: 'system', kind: 'status', from: ticket.status, to: 'closed', why: `no answer from ${ticket.requester} for ${days} days: closed with a notice` };
    await store.changeTicket({ ticket, changes: { status: 'closed' }, events: [event], causeKey: `close-${slot}` });
    result.closed.push(ticket.id);
    await sendToRequester(ticket, 'auto-closed', templates.autoClosed({ ...context(ticket), days }));
    return { ...ticket, status: 'closed' };
  }

  function context(ticket: Ticket) {
    return { ticketId: ticket.id, subject: ticket.subject, requesterName: ticket.requesterName, supportAddress: support, teamName: config.teamName };
  }

  /** A reminder or a closing notice, once per quiet spell: the claim is keyed by the last activity. */
  async function sendToRequester(ticket: Ticket, kind: 'nudge' | 'auto-closed', body: { text: string; html: string }): Promise<boolean> {
    const request: CauseMail = { messageId: ticket.originMessageId, references: [], to: [{ address: support, name: '' }], cc: [], from: null, attachments: [] };
    try {
      const out = await sendTicketMail(
        { kind, to: [ticket.requester], cc: [], fromName: config.teamName, subject: ticketSubject(config, ticket), body, automatic: 'auto-generated', limitFor: null, toRequester: true },
        { ticket, inbound: request, inboundKey: messageKey(`${kind} ${ticket.key} ${ticket.lastActivityAt}`), now },
        { store, mailer: ports.mailer },
        config,
        book,
        messageKey,
      );
      // Sent by an earlier, interrupted run: it counts, or the reminder would never be recorded.
      return out.sent !== null || out.alreadySent === true;
    } catch (err) {
      if (!(err instanceof MailSendError)) throw err;
      result.problems.push(`${kind} for ${ticket.id} not sent: ${err.message}`);
      return false;
    }
  }

  for (const ticket of await Promise.all(quiet)) if (isStale(ticket, now, rules) && !unreachable.includes(ticket)) stale.push(ticket);

  // Flags: set on the newly stale, cleared on those that moved on; both conditional-free and idempotent.
  const staleKeys = new Set(stale.map((t) => t.key));
  const toClear = [...candidates.filter((t) => t.stale && !staleKeys.has(t.key)), ...[...goneTickets.values()].filter((t) => t.stale)];
  const toFlag = stale.filter((t) => !t.stale);
  await Promise.all([...toFlag.map((t) => store.setStale(t, at)), ...toClear.map((t) => store.setStale(t, null))]);
  result.flagged = toFlag.map((t) => t.id).sort(byNumber);
  result.cleared = toClear.map((t) => t.id).sort(byNumber);

  let digestHtml: string | null = null;
  if (stale.length || unreachable.length || rules.allClear) {
    const digest = renderDigest({
      teamName: config.teamName,
      staffList: config.staffList,
      supportAddress: support,
      now,
      stale: stale.map((t) => digestTicket(t, now, support, config)),
      unreachable: unreachable.map((t) => digestTicket(t, now, support, config)),
      nudged: result.nudged,
      closed: result.closed,
      allClear: rules.allClear,
    });
    const raw = await composeMail({
      from: { name: config.teamName, address: support },
      to: [config.staffList],
      cc: [],
      replyTo: support,
      subject: digest.subject,
      messageId: `digest.${slot.replace(/[^\dT]/g, '')}@${domainOf(support)}`,
      inReplyTo: null,
      references: [],
      text: digest.text,
      html: digest.html,
      date: now,
      automatic: 'auto-generated',
    });
    try {
      await ports.mailer.send(raw, { from: support, to: [config.staffList] });
      result.digest = { to: config.staffList, subject: digest.subject, tickets: [...stale, ...unreachable].map((t) => t.id) };
      digestHtml = digest.html;
    } catch (err) {
      if (!(err instanceof MailSendError)) throw err;
      result.problems.push(`digest not sent: ${err.message}`);
    }
  }
  await store.finishStaleRun({ slot, startedAt: at, finishedAt: ports.clock.now().toISOString(), result, flaggedKeys: [...staleKeys] });
  return { result, digestHtml };
}

function digestTicket(t: Ticket, now: Date, support: string, config: Config): DigestTicket {
  return {
    id: t.id,
    subject: t.subject,
    requester: t.requesterName ? `${t.requesterName} <${t.requester}>` : t.requester,
    category: t.category,
    priority: t.priority,
    status: t.status,
    idleHours: idleHours(t, now),
    excerpt: t.lastExcerpt,
    replyAddress: ticketAddress(support, config.ticketPrefix, t.number),
    assignee: t.assignee,
  };
}

/** The questions still open on a ticket, as we asked them. */
function asksFor(ticket: Ticket, config: Config): string[] {
  return missingDetails(ticket.category ?? config.triage.fallbackCategory, [], config.missingInfo)
    .filter((d) => ticket.missing.includes(d.id))
    .map((d) => d.ask);
}

function byNumber(a: string, b: string): number {
  return Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')) || a.localeCompare(b);
}
