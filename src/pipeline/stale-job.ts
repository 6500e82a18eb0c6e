/**
 * The scheduled stale-ticket job: flags tickets idle past their threshold, clears the flag of
 * those that moved on, reminds quiet requesters and closes their tickets in time, and mails IT
 * one digest, open incidents first. Reads follow the candidates (a Query per priority on the
 * sparse open-tickets index; one each of the open and the lately resolved incidents), never the
 * table. One run per schedule slot: every reminder, closing and the digest
 * is an effect plan keyed by the slot (and ticket), so a run that stopped half-way is finished
 * by its retry and nothing is sent twice. It also sweeps effect plans left unfinished.
 */
import type { Config } from '../config.js';
import type { AddressBook } from '../domain/addresses.js';
import { summarise } from '../domain/incidents/incident.js';
import type { TicketEvent } from '../domain/lifecycle.js';
import { asksFor } from '../domain/missing-info.js';
import { candidateCutoff, idleHours, isStale, isWaitingOnRequester, quietAction, slotOf } from '../domain/stale.js';
import type { Ticket } from '../domain/ticket.js';
import { digestIsDue, renderDigest, type DigestInput, type DigestTicket } from '../mail/digest.js';
import { templates } from '../mail/templates/requester.js';
import { runPlan, type EffectPorts } from './effect-runner.js';
import { outcomeNote, planned, type EffectOutcome, type EffectPlan, type PlannedEffect } from './effects.js';
import { planTicketMail, ticketAddress, ticketSubject, type CauseMail } from './outbound.js';
import type { UndeliveredMail } from './ports.js';
import type { DigestEventMessage, TicketEventMessage } from './ticket-events.js';
import { sweepPlans, type SweepResult } from './sweep.js';

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
  /** Effect plans of earlier deliveries this run finished. */
  swept: SweepResult | null;
}

export type StaleJobPorts = EffectPorts;

export interface StaleJobOutput {
  result: StaleJobResult;
  /** The digest's HTML, for `ticketing stale --html FILE`; null when none was sent. */
  digestHtml: string | null;
}

const PRIORITIES = ['P1', 'P2', 'P3', 'P4', null] as const;
/** A digest lists this many tickets of each kind; the rest are counted. */
const DIGEST_STALE_LISTED = 100;
const DIGEST_UNREACHABLE_LISTED = 50;
const DIGEST_UNDELIVERED_LISTED = 50;

export async function runStaleJob(ports: StaleJobPorts, config: Config, book: AddressBook): Promise<StaleJobOutput> {
  const { store } = ports;
  const rules = config.stale;
  const now = ports.clock.now();
  const at = now.toISOString();
  const slot = slotOf(now, rules);
  // The slot as our Message-IDs write it: 2026-11-23T08:00 → 20261123T0800.
  const slotKey = slot.replace(/[^\dT]/g, '');
  const earlier = await store.claimStaleRun(slot, at);
  if (earlier?.finishedAt) {
    const previous = (earlier.result ?? {}) as Partial<StaleJobResult>;
    return {
      result: {
        slot,
        alreadyRan: true,
        flagged: [],
        cleared: [],
        digest: null,
        nudged: [],
        closed: [],
        problems: [`the ${slot} slot already ran at ${earlier.startedAt}${previous.digest ? ` and sent "${previous.digest.subject}"` : ''}: nothing done again`],
        swept: null,
      },
      digestHtml: null,
    };
  }
  const result: StaleJobResult = { slot, alreadyRan: false, flagged: [], cleared: [], digest: null, nudged: [], closed: [], problems: [], swept: null };
  const planPrefix = `stale:${slot}:`;
  const outcomesOf = (plan: EffectPlan, outcomes: EffectOutcome[]) => {
    for (const note of outcomes.map(outcomeNote)) if (note) result.problems.push(`${plan.key.slice(planPrefix.length)}: ${note}`);
    return outcomes;
  };
  const run = async (plan: EffectPlan): Promise<EffectOutcome[]> => {
    const stored = await store.putPlan(plan);
    return outcomesOf(stored, await runPlan(stored, ports, config, { fresh: stored === plan }));
  };
  if (earlier) {
    // A run of this slot stopped part-way: finish what it planned for tickets it already changed.
    const upToNow = new Date(now.getTime() + 1).toISOString();
    for (const plan of (await store.openPlans(upToNow)).filter((p) => p.key.startsWith(planPrefix))) outcomesOf(plan, await runPlan(plan, ports, config));
  }

  const [candidateLists, last, openIncidents] = await Promise.all([
    Promise.all(PRIORITIES.map((p) => store.staleCandidates(p, candidateCutoff(p, now, rules)))),
    store.lastStaleRun(),
    store.openIncidents(),
  ]);
  const candidates = candidateLists.flat();
  const byKey = new Map(candidates.map((t) => [t.key, t]));
  // Tickets flagged last time that are no longer candidates had activity, or were resolved.
  const gone = (last?.flaggedKeys ?? []).filter((k) => !byKey.has(k));
  const [goneTickets, profiles] = await Promise.all([
    gone.length ? store.getTickets(gone) : Promise.resolve(new Map<string, Ticket>()),
    store.getProfiles(candidates.filter((t) => isWaitingOnRequester(t.status)).map((t) => t.requester)),
  ]);

  const unreachable: Ticket[] = [];
  const nudged: Ticket[] = [];
  const closed: Ticket[] = [];
  const support = config.supportAddresses[0]!;
  const quiet = candidates.map(async (ticket): Promise<Ticket> => {
    const bouncing = profiles.get(ticket.requester)?.bouncing ?? false;
    const action = quietAction(ticket, now, rules);
    if (action && bouncing) {
      unreachable.push(ticket);
      return ticket;
    }
    if (action?.kind === 'close') {
      const event: TicketEvent = { at, actor: 'system', kind: 'status', from: ticket.status, to: 'closed', why: `no answer from ${ticket.requester} for ${action.days} days: closed with a notice` };
      const outcomes = await run(ticketPlan(`${planPrefix}close:${ticket.key}`, ticket, { status: 'closed' }, event, 'auto-closed', templates.autoClosed({ ...context(ticket), days: action.days })));
      if (outcomes[0]?.status === 'done' || outcomes[0]?.status === 'earlier') closed.push(ticket);
      return { ...ticket, status: 'closed' };
    }
    if (action?.kind === 'nudge') {
      const event: TicketEvent = { at, actor: 'system', kind: 'note', from: null, to: null, why: `reminded ${ticket.requester} after ${action.days} quiet days` };
      const body = templates.nudge({
        ...context(ticket),
        waitingFor: asksFor(ticket.missing, ticket.category ?? config.triage.fallbackCategory, config.missingInfo),
        days: action.days,
        ...(rules.autoCloseAfterDays > action.days ? { closesInDays: rules.autoCloseAfterDays - action.days } : {}),
      });
      const outcomes = await run(ticketPlan(`${planPrefix}nudge:${ticket.key}`, ticket, { nudgedAt: at }, event, 'nudge', body));
      if (outcomes[1]?.status === 'sent' || outcomes[1]?.status === 'earlier') nudged.push(ticket);
    }
    return ticket;
  });

  function context(ticket: Ticket) {
    return { ticketId: ticket.id, subject: ticket.subject, requesterName: ticket.requesterName, supportAddress: support, teamName: config.teamName };
  }

  /** A reminder or a closing: the ticket's change and the mail to its requester, as one plan. */
  function ticketPlan(key: string, ticket: Ticket, changes: { status?: 'closed'; nudgedAt?: string }, event: TicketEvent, kind: 'nudge' | 'auto-closed', body: { text: string; html: string }): EffectPlan {
    const request: CauseMail = { messageId: ticket.originMessageId, references: [], to: [{ address: support, name: '' }], cc: [], from: null, attachments: [] };
    const mail = planTicketMail(
      { kind, to: [ticket.requester], cc: [], fromName: config.teamName, subject: ticketSubject(config, ticket), body, automatic: 'auto-generated', limitFor: null },
      { ticket, inbound: request, inboundKey: `${kind}-${slotKey}-${ticket.key}`, now },
      config,
      book,
    );
    const effects: PlannedEffect[] = [
      planned('change', { type: 'ticket-change', change: { ticket: { key: ticket.key, id: ticket.id }, changes, events: [event], causeKey: `${kind === 'nudge' ? 'nudge' : 'close'}-${slot}` } }),
      planned(kind, { type: 'mail', mail }),
    ];
    return { key, createdAt: at, receiptIds: [], effects };
  }

  const stale: Ticket[] = [];
  for (const ticket of await Promise.all(quiet)) if (isStale(ticket, now, rules) && !unreachable.includes(ticket)) stale.push(ticket);
  result.nudged = idsByNumber(nudged);
  result.closed = idsByNumber(closed);

  // Flags: set on the newly stale, cleared on those that moved on; both idempotent.
  const staleKeys = new Set(stale.map((t) => t.key));
  const toClear = [...candidates.filter((t) => t.stale && !staleKeys.has(t.key)), ...[...goneTickets.values()].filter((t) => t.stale)];
  const toFlag = stale.filter((t) => !t.stale);
  // The events are planned before the flags are set: a run that stops between the two finishes
  // the plan on its retry, when the flags would no longer say which tickets were new.
  if (toFlag.length) await run({ key: `${planPrefix}stale-events`, createdAt: at, receiptIds: [], effects: toFlag.map((t) => staleEventEffect(t, `${planPrefix}stale:${t.key}/event`, now)) });
  await Promise.all([...toFlag.map((t) => store.setStale(t, at)), ...toClear.map((t) => store.setStale(t, null))]);
  result.flagged = idsByNumber(toFlag);
  result.cleared = idsByNumber(toClear);

  result.swept = await sweepPlans(ports, config);
  result.problems.push(...result.swept.problems);
  // What happened since the last run: mail that did not go out, incidents resolved.
  const since = last?.startedAt ?? new Date(now.getTime() - 24 * 3600_000).toISOString();
  const [undeliveredSince, resolvedIncidents] = await Promise.all([store.undeliveredSince(since), store.resolvedIncidentsSince(since)]);
  const undelivered = undeliveredSince.slice(0, DIGEST_UNDELIVERED_LISTED);

  let digestHtml: string | null = null;
  const listedStale = [...stale].sort(mostUrgent).slice(0, DIGEST_STALE_LISTED);
  const listedUnreachable = unreachable.slice(0, DIGEST_UNREACHABLE_LISTED);
  const input: DigestInput = {
    teamName: config.teamName,
    staffList: config.staffList,
    supportAddress: support,
    now,
    stale: listedStale.map((t) => digestTicket(t, now, support, config)),
    unreachable: listedUnreachable.map((t) => digestTicket(t, now, support, config)),
    nudged: result.nudged,
    closed: result.closed,
    undelivered: undelivered.map(undeliveredLine),
    omitted: { stale: stale.length - listedStale.length, unreachable: unreachable.length - listedUnreachable.length },
    incidents: { open: openIncidents.map(summarise), resolved: resolvedIncidents.map(summarise) },
    allClear: rules.allClear,
  };
  if (digestIsDue(input)) {
    const digest = renderDigest(input);
    // No mail caused the digest: the schedule did, so it answers none and its slot names it.
    const mail = planTicketMail(
      { kind: 'digest', to: [config.staffList], cc: [], fromName: config.teamName, subject: digest.subject, body: digest, automatic: 'auto-generated', limitFor: null },
      { ticket: null, inbound: null, inboundKey: slotKey, now },
      config,
      book,
    );
    const summary = digestEvent(`${planPrefix}digest/event`, digest.subject, stale, unreachable.length, undeliveredSince.length, openIncidents.length, now);
    const [outcome] = await run({ key: `${planPrefix}digest`, createdAt: at, receiptIds: [], effects: [planned('digest', { type: 'mail', mail }), planned('digest-event', { type: 'event', event: summary })] });
    if ((outcome?.status === 'sent' || outcome?.status === 'earlier') && outcome.effect.spec.type === 'mail') {
      // A retried run sends what the first one planned: report that digest, not a new one.
      const sent = outcome.effect.spec.mail;
      result.digest = { to: config.staffList, subject: sent.subject, tickets: [...stale, ...unreachable].map((t) => t.id) };
      digestHtml = sent.html;
    }
  }
  await store.finishStaleRun({ slot, startedAt: at, finishedAt: ports.clock.now().toISOString(), result, flaggedKeys: [...staleKeys] });
  return { result, digestHtml };
}

/** Whole hours idle, as chat shows them. */
const wholeIdleHours = (t: Ticket, now: Date) => Math.floor(idleHours(t, now));

function staleEventEffect(t: Ticket, id: string, now: Date): PlannedEffect {
  const hours = wholeIdleHours(t, now);
  const event: TicketEventMessage = {
    id,
    type: 'ticket.stale',
    ticketId: t.id,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    category: t.category,
    requester: t.requester,
    assignee: t.assignee,
    why: `no activity for ${hours} hours`,
    at: now.toISOString(),
    idleHours: hours,
  };
  return planned(`event:${t.id}`, { type: 'event', event });
}

/** The digest's summary for chat: its counts, and the longest-idle stale tickets. */
function digestEvent(id: string, subject: string, stale: Ticket[], unreachable: number, undelivered: number, openIncidents: number, now: Date): DigestEventMessage {
  const top = stale
    .map((t) => ({ ticketId: t.id, subject: t.subject, priority: t.priority, idleHours: wholeIdleHours(t, now) }))
    .sort((a, b) => b.idleHours - a.idleHours)
    .slice(0, 10);
  return { id, type: 'digest.sent', subject, stale: stale.length, unreachable, undelivered, openIncidents, top, why: `the ${now.toISOString().slice(0, 10)} digest was mailed`, at: now.toISOString() };
}

function undeliveredLine(u: UndeliveredMail) {
  return { ticketId: u.ticketId, kind: u.kind, to: u.to.join(', '), state: u.state, detail: u.detail };
}

function digestTicket(t: Ticket, now: Date, support: string, config: Config): DigestTicket {
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    requester: t.requesterName ? `${t.requesterName} <${t.requester}>` : t.requester,
    requesterAddress: t.requester,
    category: t.category,
    priority: t.priority,
    status: t.status,
    idleHours: idleHours(t, now),
    excerpt: t.lastExcerpt,
    replyAddress: ticketAddress(support, config.ticketPrefix, t.number),
    assignee: t.assignee,
    incident: t.incident ?? null,
  };
}

/** P1 first, then the longest idle: what a digest lists when it cannot list everything. */
function mostUrgent(a: Ticket, b: Ticket): number {
  return (a.priority ?? 'P9').localeCompare(b.priority ?? 'P9') || a.lastActivityAt.localeCompare(b.lastActivityAt);
}

/** Ticket ids, lowest ticket number first. */
function idsByNumber(tickets: Ticket[]): string[] {
  return [...tickets].sort((a, b) => a.number - b.number).map((t) => t.id);
}
