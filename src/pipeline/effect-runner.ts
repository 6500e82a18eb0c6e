/**
 * Carries out an effect plan (src/pipeline/effects.ts), at most once per effect whatever
 * replays, retries and concurrent deliveries happen:
 *
 * 1. Mails are composed first (no I/O), so nothing but the provider call sits between a claim
 *    and its send.
 * 2. Every pending effect is claimed (pending → sending, conditionally), together with the
 *    hourly auto-reply slots, which are sets keyed by the effect: a replay takes nothing twice.
 * 3. Each claimed effect runs; the sent mails are recorded on their tickets, then how each
 *    effect ended is settled in one write per plan.
 *
 * A claim whose send never started (the claim write itself failed) is put back. A claim whose
 * runner died is resolved by the sweeper once its lease is over: a mail whose record on the
 * ticket exists was sent; otherwise it is `unconfirmed` and listed for a person, never resent.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { messageKey, type ThreadMessage } from '../domain/ticket.js';
import { composeMail, type OutboundMail } from '../mail/compose.js';
import { boundedText, STORED_TEXT_BYTES } from './bounds.js';
import { DeliveryError } from './delivery-error.js';
import { FINAL_STATES, type EffectOutcome, type EffectPlan, type EffectState, type PlannedEffect, type PlannedMail } from './effects.js';
import type { Mailer, SentMail } from './mailer.js';
import { limitHour, type Clock, type EffectSettlement, type LimitSlot, type OutboundWrite, type TicketStore, type UndeliveredMail } from './ports.js';
import type { TicketEventPublisher } from './ticket-events.js';

export interface EffectPorts {
  store: TicketStore;
  mailer: Mailer;
  /** Ticket events for subscribers (SNS); null when no topic is configured. */
  events: TicketEventPublisher | null;
  clock: Clock;
}

export interface RunOptions {
  /** The plan was written by this caller just now: report what it held back as its own news. */
  fresh?: boolean;
  /** The sweeper: a claim older than this belongs to a runner that stopped; resolve it. */
  leaseMs?: number;
  /** A write of the caller's that may go with the claims (a round trip saved), e.g. forgetting a ticket's taken number. */
  alongside?: () => Promise<unknown>;
  /** The auto-replies' per-ticket slots, taken already beside the plan's write (takeTicketSlots: a round trip saved). */
  ticketSlots?: TicketSlots;
}

/** Per auto-reply (effect id): its slot in the ticket's hourly limit, and whether it was taken. */
export type TicketSlots = Map<string, { slot: LimitSlot; taken: boolean }>;

/** Provider calls per effect before a retryable failure counts as failed. */
export const MAX_ATTEMPTS = 5;
/** Immediate retries of a failure that certainly sent nothing (throttling, refused connection). */
const IMMEDIATE_RETRIES = 2;

export async function runPlan(plan: EffectPlan, ports: EffectPorts, config: Config, options: RunOptions = {}): Promise<EffectOutcome[]> {
  const now = ports.clock.now();
  const claimStamp = `${now.toISOString()}/${randomBytes(6).toString('hex')}`;
  const outcomes = new Map<string, EffectOutcome>();
  const due: PlannedEffect[] = [];
  const abandoned: PlannedEffect[] = [];
  for (const effect of plan.effects) {
    if (effect.state === 'pending') due.push(effect);
    else if (effect.state === 'sending') {
      if (options.leaseMs !== undefined && now.getTime() - claimTime(effect) >= options.leaseMs) abandoned.push(effect);
      else outcomes.set(effect.id, { effect, status: 'elsewhere' });
    } else outcomes.set(effect.id, settledBefore(effect, options.fresh === true));
  }

  const composed = new Map(await Promise.all(due.filter(isMail).map(async (e) => [e.id, await composeMail(mailOf(e))] as const)));
  // Settled, not raced: a claim still in flight when a slot fails must land before it is put back.
  const [claiming, limiting, beside] = await Promise.allSettled([
    ports.store.claimEffects(plan.key, due.map((e) => e.id), claimStamp),
    takeReplySlots(plan, due, ports.store, config, now, options.ticketSlots),
    options.alongside?.(),
  ]);
  if (claiming.status === 'rejected' || limiting.status === 'rejected' || beside.status === 'rejected') {
    // Whatever the claim wrote, no send has started: put it back for the replay.
    await ports.store.releaseEffects(plan.key, due.map((e) => e.id), claimStamp).catch(() => undefined);
    throw [claiming, limiting, beside].find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
  }
  const claimed = claiming.value;
  const slots = limiting.value;

  const settlements: EffectSettlement[] = [];
  const records = new Map<string, OutboundWrite>();
  let unexpected: unknown = null;
  const run = due.map(async (effect) => {
    if (!claimed.has(effect.id)) {
      outcomes.set(effect.id, { effect, status: 'elsewhere' });
      return;
    }
    try {
      const result = await execute(effect, composed.get(effect.id), slots.get(effect.id) ?? null, ports);
      outcomes.set(effect.id, result.outcome);
      settlements.push(settlement(effect, result.outcome, result.attempts));
      if (result.record) records.set(effect.id, result.record);
    } catch (err) {
      // A ticket or incident change is idempotent: tried again. Anything else that is not a provider's answer
      // (a bug, a crash of ours) leaves us unable to know whether it went out.
      const why = `stopped with ${(err as Error).name}: ${(err as Error).message}`;
      const outcome: EffectOutcome = effect.spec.type === 'ticket-change' || effect.spec.type === 'incident-change' ? { effect, status: 'retrying', why } : { effect, status: 'unconfirmed', why };
      outcomes.set(effect.id, outcome);
      settlements.push(settlement(effect, outcome, effect.attempts + 1));
      unexpected ??= err;
    }
  });
  const resolving = abandoned.map(async (effect) => {
    const result = await resolveAbandoned(effect, ports);
    outcomes.set(effect.id, result.outcome);
    settlements.push(settlement(effect, result.outcome, effect.attempts));
    if (result.record) records.set(effect.id, result.record);
  });
  await Promise.all([...run, ...resolving]);

  if (settlements.length) {
    // The records first: a mail settled as sent must be on its ticket. One whose record failed, or
    // whose runner stopped before the settle, stays claimed, and the sweep finishes its record.
    const ids = [...records.keys()];
    const recording = await Promise.allSettled([...records.values()].map((write) => ports.store.recordOutbound(write)));
    const unrecorded = new Set(ids.filter((_, i) => recording[i]!.status === 'rejected'));
    unexpected ??= recording.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason ?? null;
    const settling = settlements.filter((s) => !unrecorded.has(s.id));
    const states = new Map<string, EffectState>(plan.effects.map((e) => [e.id, e.state]));
    for (const s of settling) states.set(s.id, s.state);
    const settled = [...states.values()].every((s) => FINAL_STATES.has(s));
    if (settling.length) await ports.store.settleEffects(plan.key, settling, settled, undeliveredOf(plan, outcomes, now));
  }
  if (unexpected) throw unexpected;
  return plan.effects.map((e) => outcomes.get(e.id)!);
}

function isMail(effect: PlannedEffect): boolean {
  return effect.spec.type === 'mail';
}

function mailOf(effect: PlannedEffect): OutboundMail {
  const mail = (effect.spec as { mail: PlannedMail }).mail;
  return { ...mail, date: new Date(mail.date) };
}

function claimTime(effect: PlannedEffect): number {
  return effect.claimedAt ? Date.parse(effect.claimedAt.split('/')[0]!) : 0;
}

function settledBefore(effect: PlannedEffect, fresh: boolean): EffectOutcome {
  if (fresh && effect.state === 'suppressed') return { effect, status: 'suppressed', why: effect.detail ?? 'held back' };
  return { effect, status: 'earlier' };
}

/** Which hourly auto-reply limit a mail ran into, and that limit. */
interface ReplyLimit {
  limited: 'sender' | 'ticket';
  max: number;
}

/** An auto-reply: a mail on a ticket held to the hourly limits. */
interface LimitedReply {
  id: string;
  mail: PlannedMail & { ticket: NonNullable<PlannedMail['ticket']>; limitFor: string };
}

function limitedReplies(effects: PlannedEffect[]): LimitedReply[] {
  return effects.flatMap((e) => (e.spec.type === 'mail' && e.spec.mail.limitFor && e.spec.mail.ticket ? [{ id: e.id, mail: e.spec.mail as LimitedReply['mail'] }] : []));
}

/**
 * Takes the per-ticket slots of a plan's auto-replies ahead of runPlan, beside the plan's own
 * write. The members are the plan's, so a copy or replay of the same delivery takes nothing more.
 */
export async function takeTicketSlots(plan: EffectPlan, store: TicketStore, config: Config, now: Date): Promise<TicketSlots> {
  const taken = await Promise.all(limitedReplies(plan.effects).map(async (reply) => [reply.id, await takeTicketSlot(plan, reply, config, now, store)] as const));
  return new Map(taken);
}

/**
 * The hourly auto-reply limits (per ticket, then per requester), taken for each due auto-reply.
 * Null: allowed. One after the other, not together: a mail one limit refuses must not hold a
 * slot of the other, or concurrent mails refused by different limits would send fewer replies
 * than both limits allow. The ticket's slot goes back when the requester's is refused.
 */
async function takeReplySlots(plan: EffectPlan, due: PlannedEffect[], store: TicketStore, config: Config, now: Date, early?: TicketSlots): Promise<Map<string, ReplyLimit | null>> {
  const { maxPerSenderPerHour: perSender, maxPerTicketPerHour: perTicket } = config.autoReplies;
  const verdicts = await Promise.all(
    limitedReplies(due).map(async ({ id, mail }): Promise<[string, ReplyLimit | null]> => {
      const ticket = early?.get(id) ?? (await takeTicketSlot(plan, { id, mail }, config, now, store));
      if (!ticket.taken) return [id, { limited: 'ticket', max: perTicket }];
      if (await store.takeSlot({ scope: `sender#${mail.limitFor}`, hour: limitHour(now), max: perSender, member: `${plan.key}/${id}` })) return [id, null];
      await store.returnSlot(ticket.slot);
      return [id, { limited: 'sender', max: perSender }];
    }),
  );
  return new Map(verdicts);
}

async function takeTicketSlot(plan: EffectPlan, reply: LimitedReply, config: Config, now: Date, store: TicketStore): Promise<{ slot: LimitSlot; taken: boolean }> {
  const slot = { scope: `ticket#${reply.mail.ticket.key}`, hour: limitHour(now), max: config.autoReplies.maxPerTicketPerHour, member: `${plan.key}/${reply.id}` };
  return { slot, taken: await store.takeSlot(slot) };
}

interface Executed {
  outcome: EffectOutcome;
  attempts: number;
  record?: OutboundWrite;
}

async function execute(effect: PlannedEffect, raw: Buffer | undefined, limited: ReplyLimit | null, ports: EffectPorts): Promise<Executed> {
  const spec = effect.spec;
  if (spec.type === 'ticket-change' || spec.type === 'incident-change') {
    await applyChange(effect, ports.store);
    return { outcome: { effect, status: 'done' }, attempts: effect.attempts + 1 };
  }
  if (spec.type === 'mail' && limited) {
    return { outcome: { effect, status: 'suppressed', why: `auto-reply limit reached: ${limited.max} per ${limited.limited} per hour` }, attempts: effect.attempts };
  }
  if (spec.type === 'event' && !ports.events) return { outcome: { effect, status: 'suppressed', why: 'no topic for ticket events is configured' }, attempts: effect.attempts };
  let attempts = effect.attempts;
  for (let retry = 0; ; retry++) {
    attempts++;
    try {
      if (spec.type === 'event') {
        await ports.events!.publish(spec.event);
        return { outcome: { effect, status: 'sent', providerId: null, threadKeys: [] }, attempts };
      }
      const sent = await ports.mailer.send(raw!, { from: spec.mail.returnPath, to: [...spec.mail.to, ...spec.mail.cc] });
      return {
        outcome: { effect, status: 'sent', providerId: sent.providerMessageId, threadKeys: sent.messageIdHeaders },
        attempts,
        ...(spec.mail.ticket ? { record: outboundRecord(spec.mail, sent) } : {}),
      };
    } catch (err) {
      if (!(err instanceof DeliveryError)) throw err;
      if (err.uncertain) {
        // On the thread all the same (it most likely went out), marked as not confirmed.
        return { outcome: { effect, status: 'unconfirmed', why: err.message }, attempts, ...(spec.type === 'mail' && spec.mail.ticket ? { record: outboundRecord(spec.mail, null) } : {}) };
      }
      if (!err.retryable) return { outcome: { effect, status: 'failed', why: err.message }, attempts };
      if (retry < IMMEDIATE_RETRIES) {
        await new Promise((r) => setTimeout(r, 100 * 2 ** retry));
        continue;
      }
      if (attempts >= MAX_ATTEMPTS) return { outcome: { effect, status: 'failed', why: `${err.message} (gave up after ${attempts} tries)` }, attempts };
      return { outcome: { effect, status: 'retrying', why: err.message }, attempts };
    }
  }
}

async function applyChange(effect: PlannedEffect, store: TicketStore): Promise<void> {
  if (effect.spec.type === 'incident-change') {
    const { incident, remove, resolvedAt } = effect.spec.change;
    await store.removeIncidentMembers(incident.number, remove);
    if (resolvedAt) await store.resolveIncident(incident.number, resolvedAt);
    return;
  }
  const { change } = effect.spec as Extract<PlannedEffect['spec'], { type: 'ticket-change' }>;
  const ticket = (await store.getTickets([change.ticket.key])).get(change.ticket.key);
  if (!ticket) return;
  await Promise.all([
    store.changeTicket({ ticket, changes: change.changes, events: change.events, causeKey: change.causeKey }),
    change.staleSince !== undefined ? store.setStale(ticket, change.staleSince) : null,
  ]);
}

/** A claim whose runner stopped: the mail's record on its ticket proves it went out; else no one can say. */
async function resolveAbandoned(effect: PlannedEffect, ports: EffectPorts): Promise<Pick<Executed, 'outcome' | 'record'>> {
  const spec = effect.spec;
  if (spec.type === 'ticket-change' || spec.type === 'incident-change') {
    await applyChange(effect, ports.store);
    return { outcome: { effect, status: 'done' } };
  }
  const why = 'the run that was sending it stopped before it heard back';
  if (spec.type === 'mail' && spec.mail.ticket) {
    const ref = { ticketKey: spec.mail.ticket.key, messageKey: messageKey(spec.mail.messageId) };
    const recorded = await ports.store.outboundRecorded([ref]);
    if (recorded.has(`${ref.ticketKey}/${ref.messageKey}`)) {
      // Its message item is written only once the send was answered; the rest of the record may not have landed.
      await ports.store.completeOutboundRecord(outboundRecord(spec.mail, null));
      return { outcome: { effect, status: 'sent', providerId: null, threadKeys: [] } };
    }
    return { outcome: { effect, status: 'unconfirmed', why }, record: outboundRecord(spec.mail, null) };
  }
  return { outcome: { effect, status: 'unconfirmed', why } };
}

/** The sent mail's record on its ticket; `sent` null: the provider's answer was lost. */
function outboundRecord(mail: PlannedMail, sent: SentMail | null): OutboundWrite {
  const message: ThreadMessage = {
    ticketKey: mail.ticket!.key,
    key: messageKey(mail.messageId),
    direction: 'outbound',
    messageId: mail.messageId,
    from: mail.from.address,
    to: mail.to,
    cc: mail.cc,
    subject: mail.subject,
    date: mail.date,
    receivedAt: mail.date,
    visibleText: boundedText(mail.text, STORED_TEXT_BYTES),
    rawBlobKey: '',
    attachments: [],
    reason: sent
      ? `${mail.kind} for <${mail.causeMessageId}>; sent as ${sent.providerMessageId}`
      : `${mail.kind} for <${mail.causeMessageId}>; may not have gone out: the mail service's answer was lost`,
    role: mail.kind,
    ...(mail.incident ? { incident: mail.incident } : {}),
    parseWarnings: [],
  };
  const providerIds = (sent?.messageIdHeaders ?? []).filter((id) => id !== mail.messageId);
  return {
    ticketKey: mail.ticket!.key,
    message,
    threadKeys: [...new Set([mail.messageId, ...providerIds])],
    // What a bounce of this mail can quote: the id its recipients saw, and our return path.
    sentTo: { keys: [...providerIds, mail.returnPath], recipients: [...mail.to, ...mail.cc] },
    outboundTexts: mail.keptTexts,
  };
}

function settlement(effect: PlannedEffect, outcome: EffectOutcome, attempts: number): EffectSettlement {
  const state: EffectState =
    outcome.status === 'sent' || outcome.status === 'done'
      ? 'sent'
      : outcome.status === 'retrying'
        ? 'pending'
        : outcome.status === 'suppressed' || outcome.status === 'failed' || outcome.status === 'unconfirmed'
          ? outcome.status
          : effect.state;
  const detail = 'why' in outcome ? outcome.why : null;
  const providerId = outcome.status === 'sent' ? outcome.providerId : null;
  return { id: effect.id, state, detail, providerId, attempts };
}

function undeliveredOf(plan: EffectPlan, outcomes: Map<string, EffectOutcome>, now: Date): UndeliveredMail[] {
  return [...outcomes.values()].flatMap((o) => {
    if ((o.status !== 'failed' && o.status !== 'unconfirmed') || o.effect.spec.type !== 'mail') return [];
    const mail = o.effect.spec.mail;
    return [{ planKey: plan.key, effectId: o.effect.id, state: o.status, kind: mail.kind, ticketId: mail.ticket?.id ?? null, to: mail.to, subject: mail.subject, detail: o.why, at: now.toISOString() }];
  });
}
