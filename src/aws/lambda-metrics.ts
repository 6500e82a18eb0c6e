/**
 * What the Lambdas count, as CloudWatch metrics (Powertools, embedded metric format): pure
 * tallies of the results, so the numbers are testable without a Lambda.
 */
import type { InboundResult } from '../pipeline/inbound.js';
import type { StaleJobResult } from '../pipeline/stale-job.js';

export const METRICS_NAMESPACE = 'Ticketing';

const OUTCOME_METRIC: Record<InboundResult['outcome'], string> = {
  created: 'TicketsCreated',
  appended: 'MessagesAppended',
  merged: 'TicketsMerged',
  redelivered: 'Redelivered',
  ignored: 'MachineMailIgnored',
  quarantined: 'Quarantined',
};

/** Counts per metric name for one batch of inbound results. */
export function inboundCounts(results: InboundResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (name: string, n = 1) => (counts[name] = (counts[name] ?? 0) + n);
  for (const r of results) {
    add(OUTCOME_METRIC[r.outcome]);
    add('MailSent', r.replies.length);
    // Every held-back auto-reply is said in the reason as "no <kind> sent: <why>" (outcomeNote in src/pipeline/effects.ts).
    add('AutoRepliesSuppressed', r.reason.match(/\bno (ack|missing-info|duplicate-notice) sent: /g)?.length ?? 0);
  }
  return counts;
}

export function staleCounts(r: StaleJobResult): Record<string, number> {
  return {
    StaleTickets: r.digest?.tickets.length ?? 0,
    NewlyStale: r.flagged.length,
    RequestersReminded: r.nudged.length,
    TicketsAutoClosed: r.closed.length,
    StaleJobProblems: r.alreadyRan ? 0 : r.problems.length,
  };
}
