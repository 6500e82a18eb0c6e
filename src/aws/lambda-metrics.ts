/**
 * What the Lambdas count, as CloudWatch metrics (Powertools, embedded metric format): pure
 * tallies of the results, so the numbers are testable without a Lambda.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { InboundResult } from '../pipeline/inbound.js';
import type { PlanStore, UndeliveredMail } from '../pipeline/ports.js';
import type { StaleJobResult } from '../pipeline/stale-job.js';

export const METRICS_NAMESPACE = 'Ticketing';

/** The Powertools service names: the `service` dimension of every metric, one per Lambda. */
export const METRIC_SERVICES = {
  inbound: 'ticketing-inbound',
  stale: 'ticketing-stale',
  imap: 'ticketing-imap',
  graph: 'ticketing-graph',
  gmail: 'ticketing-gmail',
  http: 'ticketing-http',
  chat: 'ticketing-chat',
} as const;

/** Set by the CDK stack on every function; two stages in one account and region publish apart. */
export const STAGE_VARIABLE = 'TICKETING_STAGE';

/**
 * The `stage` dimension: the stack's stage, or `local` where no stack set it (tests, `ticketing
 * serve`). Without it, dev's quarantines would page prod's alarm and the other way round.
 */
export function metricsStage(env: NodeJS.ProcessEnv = process.env): string {
  const stage = env[STAGE_VARIABLE];
  if (stage === undefined || stage === '') return 'local';
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(stage)) throw new Error(`environment variable ${STAGE_VARIABLE}: "${stage}" is not a stage name such as dev or prod`);
  return stage;
}

/** One Lambda's metrics: namespace Ticketing, dimensions `service` and `stage`. */
export function ticketingMetrics(service: (typeof METRIC_SERVICES)[keyof typeof METRIC_SERVICES], env: NodeJS.ProcessEnv = process.env): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service, defaultDimensions: { stage: metricsStage(env) } });
}

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
    // Every auto-reply held back, whichever rule held it (auto-replies or duplicate notices off,
    // a bouncing requester, the hourly limits). Mail that failed is counted from the effect
    // outcomes instead (UndeliveredMailTally).
    add('AutoRepliesSuppressed', r.suppressed.length);
  }
  return counts;
}

/**
 * One mailbox poll: the pipeline's outcomes, and the messages it failed on (they stay in the
 * mailbox for the next poll), as `failedMetric` (ImapMessagesFailed, GraphMessagesFailed,
 * GmailMessagesFailed). Counts above zero only: the pollers run every minute, and a custom metric
 * is billed for every hour it receives data, zeros included.
 */
export function pollCounts(results: Array<InboundResult | { outcome: string }>, failedMetric: string): Record<string, number> {
  const delivered = results.filter((r): r is InboundResult => r.outcome in OUTCOME_METRIC);
  const failed = results.filter((r) => r.outcome === 'error').length;
  const counts = { ...inboundCounts(delivered), [failedMetric]: failed };
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
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

/**
 * Counts our mail that did not go out, from the effect outcomes themselves: every time the effect
 * runner settles a plan, it hands the store the mails that ended `failed` (SES refused them for
 * good: in the SES sandbox, every mail to an unverified recipient) or `unconfirmed` (the answer was
 * lost). The tally wraps the store's `settleEffects` to see that list, so the count needs no
 * reading of result sentences and covers every path that sends: deliveries, replays, the sweep and
 * the stale job. A settle that fails counts nothing (its replay settles and counts).
 */
export class UndeliveredMailTally {
  private failed = 0;
  private unconfirmed = 0;

  /** The same store, whose settleEffects also counts what it is told did not go out. */
  observe<S extends Pick<PlanStore, 'settleEffects'>>(store: S): S {
    const record = (undelivered: UndeliveredMail[]) => this.record(undelivered);
    return new Proxy(store, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (property === 'settleEffects') {
          const settle = value as PlanStore['settleEffects'];
          return async (...args: Parameters<PlanStore['settleEffects']>) => {
            await settle.apply(target, args);
            record(args[3]);
          };
        }
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  record(undelivered: UndeliveredMail[]): void {
    for (const mail of undelivered) {
      if (mail.state === 'failed') this.failed++;
      else this.unconfirmed++;
    }
  }

  /**
   * The counts since the last drain (MailNotSent = failed + unconfirmed), then zero. Only counts
   * above zero: a custom metric is billed for the hours it receives data, and its alarm treats no
   * data as no failure.
   */
  drain(): Partial<Record<'MailNotSent' | 'MailFailed' | 'MailUnconfirmed', number>> {
    const counts = { MailNotSent: this.failed + this.unconfirmed, MailFailed: this.failed, MailUnconfirmed: this.unconfirmed };
    this.failed = 0;
    this.unconfirmed = 0;
    return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
  }
}
