/**
 * When a ticket has gone stale, and what to do about a requester who has gone quiet. No I/O.
 *
 * IT must act on a ticket that waits on IT (open) longer than its priority allows; a ticket
 * that waits on the requester (waiting-on-requester, awaiting-info) runs on its own clock:
 * stale after `waitingAfterHours`, a reminder to the requester after `nudgeAfterDays`, closed
 * after `autoCloseAfterDays` — each counted from the ticket's last activity.
 */
import * as z from 'zod';
import { isOpen, type Ticket, type TicketStatus } from './ticket.js';

const hours = z.number().positive().max(24 * 365);

export const staleRulesSchema = z
  .object({
    /** Hours without activity before an open ticket is stale, per priority (no priority: P3's). */
    afterHours: z
      .object({ P1: hours.default(4), P2: hours.default(24), P3: hours.default(7 * 24), P4: hours.default(7 * 24) })
      .strict()
      .prefault({}),
    /** Tickets waiting on the requester go stale on their own clock. */
    waitingAfterHours: hours.default(5 * 24),
    /** A reminder to a quiet requester, once per quiet spell; 0 turns reminders off. */
    nudgeAfterDays: z.number().min(0).max(365).default(3),
    /** A waiting ticket is closed with a polite notice this long after its last activity; 0: never. */
    autoCloseAfterDays: z.number().min(0).max(365).default(10),
    /** Mail the digest even when nothing is stale. */
    allClear: z.boolean().default(false),
    /** The schedule's slot: a retried or doubled run within one slot does nothing. */
    slotMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.autoCloseAfterDays && r.nudgeAfterDays && r.autoCloseAfterDays <= r.nudgeAfterDays) {
      ctx.addIssue({ code: 'custom', path: ['autoCloseAfterDays'], message: `autoCloseAfterDays (${r.autoCloseAfterDays}) must be later than nudgeAfterDays (${r.nudgeAfterDays})` });
    }
  });

export type StaleRules = z.infer<typeof staleRulesSchema>;

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const WAITING: readonly TicketStatus[] = ['waiting-on-requester', 'awaiting-info'];

export function isWaitingOnRequester(status: TicketStatus): boolean {
  return WAITING.includes(status);
}

export function staleAfterHours(ticket: Pick<Ticket, 'status' | 'priority'>, rules: StaleRules): number {
  if (isWaitingOnRequester(ticket.status)) return rules.waitingAfterHours;
  const p = (ticket.priority ?? 'P3') as keyof StaleRules['afterHours'];
  return rules.afterHours[p] ?? rules.afterHours.P3;
}

export function idleHours(ticket: Pick<Ticket, 'lastActivityAt'>, now: Date): number {
  return Math.max(0, (now.getTime() - Date.parse(ticket.lastActivityAt)) / HOUR);
}

export function isStale(ticket: Pick<Ticket, 'status' | 'priority' | 'lastActivityAt'>, now: Date, rules: StaleRules): boolean {
  return isOpen(ticket.status) && idleHours(ticket, now) >= staleAfterHours(ticket, rules);
}

/**
 * The latest last-activity time that can be stale for a priority, whatever the status: the
 * index query reads only tickets idle at least this long.
 */
export function candidateCutoff(priority: string | null, now: Date, rules: StaleRules): string {
  const earliest = Math.min(staleAfterHours({ status: 'open', priority }, rules), rules.waitingAfterHours, ...waitingDays(rules).map((d) => d * 24));
  return new Date(now.getTime() - earliest * HOUR).toISOString();
}

function waitingDays(rules: StaleRules): number[] {
  return [rules.nudgeAfterDays, rules.autoCloseAfterDays].filter((d) => d > 0);
}

/** `days`: how long the requester has been quiet, in whole days (what the mail and the history say). */
export type QuietAction = { kind: 'nudge'; days: number } | { kind: 'close'; days: number } | null;

/** What a ticket waiting on a quiet requester needs now: a reminder, closing, or nothing. */
export function quietAction(ticket: Pick<Ticket, 'status' | 'lastActivityAt' | 'nudgedAt'>, now: Date, rules: StaleRules): QuietAction {
  if (!isWaitingOnRequester(ticket.status)) return null;
  const quietMs = now.getTime() - Date.parse(ticket.lastActivityAt);
  const nudgedThisSpell = ticket.nudgedAt !== null && ticket.nudgedAt >= ticket.lastActivityAt;
  // Closing needs the reminder first: nobody's ticket closes without a warning.
  if (rules.autoCloseAfterDays && quietMs >= rules.autoCloseAfterDays * DAY && (nudgedThisSpell || !rules.nudgeAfterDays)) {
    return { kind: 'close', days: Math.floor(quietMs / DAY) };
  }
  if (rules.nudgeAfterDays && quietMs >= rules.nudgeAfterDays * DAY && !nudgedThisSpell) return { kind: 'nudge', days: Math.floor(quietMs / DAY) };
  return null;
}

/** The schedule slot `now` falls in, e.g. `2026-11-23T08:00` for hourly slots. */
export function slotOf(now: Date, rules: StaleRules): string {
  const ms = rules.slotMinutes * 60_000;
  return new Date(Math.floor(now.getTime() / ms) * ms).toISOString().slice(0, 16);
}
