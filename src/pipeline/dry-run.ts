/**
 * A dry run of a job (`ticketing stale --dry-run`): the real job's code on ports that read the
 * real store and keep every write and send to themselves. The job decides exactly as it would;
 * nothing is written, sent or published, and the slot stays free for the real run.
 *
 * Reads pass through to the store; the writes a job makes are answered as if they succeeded;
 * any other method throws, so a write added to the store later can never slip through a dry run.
 */
import libmime from 'libmime';
import type { EffectPorts } from './effect-runner.js';
import type { EffectPlan } from './effects.js';
import type { Mailer, SentMail } from './mailer.js';
import type { StaleRun, TicketStore } from './ports.js';
import type { TicketEventPublisher } from './ticket-events.js';

/** A dry run reached a write it does not simulate. */
export class DryRunError extends Error {
  override name = 'DryRunError';
}

const mime = libmime as { decodeWords(value: string): string };

/** What the job would have sent. */
export interface WouldSend {
  to: string[];
  subject: string;
}

export interface DryRun {
  ports: EffectPorts;
  /** The mails the job would have sent, in order. */
  mails: WouldSend[];
  /** Ticket events it would have published. */
  events: number;
}

/** Store methods that only read: passed through as they are. */
const READS = new Set<string>([
  'lookUpInbound',
  'getTickets',
  'getReceipts',
  'outboundRecorded',
  'listEvents',
  'staleCandidates',
  'lastStaleRun',
  'getProfiles',
  'getTicketById',
  'listTickets',
  'openTickets',
  'resolvedSince',
  'ticketsByActivity',
  'listMessages',
  'listQuarantine',
  'undeliveredSince',
  'recentReports',
  'getIncident',
  'openIncidents',
  'resolvedIncidentsSince',
  'listIncidents',
]);

export function dryRunPorts(ports: EffectPorts): DryRun {
  const real = ports.store;
  const plans = new Map<string, EffectPlan>();
  const written: Partial<Record<keyof TicketStore, (...args: never[]) => Promise<unknown>>> = {
    // The slot is free unless the last run had it and finished: then the job says it already ran.
    claimStaleRun: async (slot: string): Promise<StaleRun | null> => {
      const last = await real.lastStaleRun();
      return last && last.slot === slot && last.finishedAt ? last : null;
    },
    finishStaleRun: async () => undefined,
    putPlan: async (plan: EffectPlan) => {
      const stored = plans.get(plan.key) ?? (await real.getPlan(plan.key));
      if (stored) return stored;
      plans.set(plan.key, plan);
      return plan;
    },
    getPlan: async (key: string) => plans.get(key) ?? real.getPlan(key),
    openPlans: (before: string) => real.openPlans(before),
    claimEffects: async (_planKey: string, ids: string[]) => new Set(ids),
    releaseEffects: async () => undefined,
    settleEffects: async () => undefined,
    recordOutbound: async () => undefined,
    completeOutboundRecord: async () => undefined,
    // An hour's auto-reply slots cannot be checked without taking one: assume there is room.
    takeSlot: async () => true,
    returnSlot: async () => undefined,
    setStale: async () => undefined,
    changeTicket: async () => undefined,
  };
  const store = new Proxy(real, {
    get(target, name, receiver) {
      if (typeof name !== 'string') return Reflect.get(target, name, receiver);
      const simulated = written[name as keyof TicketStore];
      if (simulated) return simulated;
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (READS.has(name)) return (value as (...args: unknown[]) => unknown).bind(target);
      return () => Promise.reject(new DryRunError(`a dry run cannot call ${name}: it would write to the store`));
    },
  });

  const run: DryRun = { ports: { ...ports, store }, mails: [], events: 0 };
  const mailer: Mailer = {
    async send(raw: Buffer, envelope: { from: string; to: string[] }): Promise<SentMail> {
      run.mails.push({ to: envelope.to, subject: subjectOf(raw) });
      return { providerMessageId: `dry-run-${run.mails.length}`, messageIdHeaders: [] };
    },
  };
  const events: TicketEventPublisher | null = ports.events
    ? {
        publish: async () => {
          run.events++;
        },
      }
    : null;
  run.ports = { ...run.ports, mailer, events };
  return run;
}

/** The Subject header of a composed mail, decoded. */
function subjectOf(raw: Buffer): string {
  const head = raw.subarray(0, 64 * 1024).toString('latin1').split(/\r?\n\r?\n/)[0] ?? '';
  const value = /^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1]?.replace(/\r?\n[ \t]+/g, ' ') ?? '';
  try {
    return mime.decodeWords(value);
  } catch {
    return value;
  }
}
