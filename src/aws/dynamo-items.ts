/**
 * Domain records to table items and back. An item is its keys, a `type`, the record's fields,
 * and, while the record belongs in a sparse index, that index's keys (src/aws/table.ts): open
 * tickets under their requester and their priority, quarantined receipts, unsettled plans.
 */
import type { TicketOutage } from '../domain/incidents/incident.js';
import type { TicketEvent } from '../domain/lifecycle.js';
import { isOpen, type RequesterProfile, type Ticket, type ThreadMessage } from '../domain/ticket.js';
import type { EffectPlan, PlannedEffect } from '../pipeline/effects.js';
import type { ReceiptRecord, UndeliveredMail } from '../pipeline/ports.js';
import { keys, partitions } from './dynamo-keys.js';
import type { Item } from './dynamo-table.js';
import { TABLE_KEYS } from './table.js';

/** A record of mail that did not go out is kept for the digest, then DynamoDB's TTL deletes it. */
const UNDELIVERED_TTL_SECONDS = 30 * 24 * 3600;

/** DynamoDB string sets come back as Sets, sorted here; lists as they are. */
export function setToArray(value: unknown): string[] {
  if (value instanceof Set) return [...(value as Set<string>)].sort();
  return Array.isArray(value) ? (value as string[]) : [];
}

/** The keys that put an item in one partition of the sparse openByActivity index, in time order. */
function byActivity(partition: string, at: string): Item {
  return { [TABLE_KEYS.openByActivity.pk]: partition, [TABLE_KEYS.openByActivity.sk]: at };
}

/** The index keys an open ticket carries; a resolved or closed one carries none. */
export function openTicketIndexKeys(t: Pick<Ticket, 'requester' | 'priority' | 'lastActivityAt'>): Item {
  return {
    [TABLE_KEYS.byRequester.pk]: partitions.requesterTickets(t.requester),
    [TABLE_KEYS.byRequester.sk]: t.lastActivityAt,
    ...byActivity(partitions.openTickets(t.priority), t.lastActivityAt),
  };
}

/** Where a ticket stands in the byActivity index, as a Query's ExclusiveStartKey. */
export function activityIndexPosition(p: { lastActivityAt: string; key: string }): Item {
  return { ...keys.ticket(p.key), [TABLE_KEYS.byActivity.pk]: partitions.allTickets, [TABLE_KEYS.byActivity.sk]: p.lastActivityAt };
}

/** The index keys of a resolved ticket: openByActivity's resolved partition, by when (the console's "resolved this week"). */
export function resolvedIndexKeys(t: Pick<Ticket, 'status' | 'resolvedAt'>): Item | null {
  return t.status === 'resolved' && t.resolvedAt ? byActivity(partitions.resolvedTickets, t.resolvedAt) : null;
}

export function ticketToItem(t: Ticket): Item {
  const { participants, messageKeys, mergedKeys, number, id, ...rest } = t;
  const item: Item = { ...keys.ticket(t.key), type: 'ticket', ...rest };
  // String sets may not be empty in DynamoDB: omit what has no members.
  if (participants.length) item.participants = new Set(participants);
  if (messageKeys.length) item.messageKeys = new Set(messageKeys);
  if (mergedKeys.length) item.mergedKeys = new Set(mergedKeys);
  // A ticket gets its number after its first write (numberTicket); until then no index sees it.
  if (number) Object.assign(item, { number, id, [TABLE_KEYS.byActivity.pk]: partitions.allTickets });
  if (number && isOpen(t.status)) Object.assign(item, openTicketIndexKeys(t));
  if (number) Object.assign(item, resolvedIndexKeys(t));
  return item;
}

export function itemToTicket(item: Item): Ticket {
  return {
    key: item.key as string,
    number: (item.number as number | undefined) ?? 0,
    id: (item.id as string | undefined) ?? '',
    subject: item.subject as string,
    requester: item.requester as string,
    requesterName: (item.requesterName as string) ?? '',
    participants: setToArray(item.participants),
    status: item.status as Ticket['status'],
    category: (item.category as string | null) ?? null,
    priority: (item.priority as string | null) ?? null,
    triageReasons: (item.triageReasons as string[]) ?? [],
    missing: (item.missing as string[]) ?? [],
    assignee: (item.assignee as string | null) ?? null,
    duplicateOf: (item.duplicateOf as string | null) ?? null,
    createdAt: item.createdAt as string,
    lastActivityAt: item.lastActivityAt as string,
    stale: Boolean(item.stale),
    messageKeys: setToArray(item.messageKeys),
    mergedKeys: setToArray(item.mergedKeys),
    fingerprint: (item.fingerprint as string) ?? '',
    originMessageId: item.originMessageId as string,
    outboundTexts: (item.outboundTexts as string[]) ?? [],
    followUpAsks: (item.followUpAsks as number) ?? 0,
    resolvedAt: (item.resolvedAt as string | null) ?? null,
    linkedTo: (item.linkedTo as string | null) ?? null,
    staleSince: (item.staleSince as string | null) ?? null,
    nudgedAt: (item.nudgedAt as string | null) ?? null,
    lastExcerpt: (item.lastExcerpt as string) ?? '',
    ...(item.unverified === true ? { unverified: true } : {}),
    ...(item.outlookThreadIndex ? { outlookThreadIndex: item.outlookThreadIndex as string } : {}),
    ...(item.incident ? { incident: item.incident as string } : {}),
    ...(item.outage ? { outage: item.outage as TicketOutage } : {}),
  };
}

export function itemToProfile(item: Item): RequesterProfile {
  return {
    address: (item.pk as string).slice(2),
    name: (item.name as string) ?? '',
    firstSeenAt: (item.firstSeenAt as string) ?? '',
    bouncing: Boolean(item.bouncing),
    bounceDetail: (item.bounceDetail as string | null) ?? null,
  };
}

/** A thread key: the Message-ID kept whole in the item (its key part may be a hash). */
/** What a thread key of our own mail remembers besides its ticket. */
export interface ThreadKeyExtra {
  role?: string;
  incident?: string;
  sentTo?: string[];
}

export function threadKeyItem(messageId: string, ticketKey: string, extra: ThreadKeyExtra = {}): Item {
  const item: Item = { ...keys.threadKey(messageId), type: 'thread-key', messageId, ticketKey };
  if (extra.role) item.role = extra.role;
  if (extra.incident) item.incident = extra.incident;
  if (extra.sentTo?.length) item.sentTo = new Set(extra.sentTo);
  return item;
}

export function messageToItem(m: ThreadMessage): Item {
  return { ...keys.message(m.ticketKey, m.key), type: 'message', ...m };
}

export function itemToMessage(item: Item): ThreadMessage {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as unknown as ThreadMessage;
}

export function eventItems(ticketKey: string, causeKey: string, events: TicketEvent[]): Item[] {
  return events.map((e, i) => ({ ...keys.event(ticketKey, causeKey, i), type: 'event', ...e }));
}

export function itemToEvent({ at, actor, kind, from, to, why }: Item): TicketEvent {
  return { at, actor, kind, from, to, why } as TicketEvent;
}

export function receiptToItem(r: ReceiptRecord): Item {
  return { ...keys.receipt(r.id), type: 'receipt', ...r, ...(r.state === 'quarantined' ? byActivity(partitions.quarantine, r.at) : {}) };
}

export function itemToReceipt(item: Item): ReceiptRecord {
  const { pk: _pk, sk: _sk, type: _type, gsi2pk: _g, gsi2sk: _s, ...rest } = item;
  return rest as unknown as ReceiptRecord;
}

/** One item per plan: the effects as a map keyed by effect id, so each is claimed and settled on its own path. */
export function planToItem(plan: EffectPlan, open: boolean): Item {
  return {
    ...keys.plan(plan.key),
    type: 'plan',
    key: plan.key,
    createdAt: plan.createdAt,
    receiptIds: plan.receiptIds,
    order: plan.effects.map((e) => e.id),
    fx: Object.fromEntries(plan.effects.map((e) => [e.id, e])),
    ...(plan.decision ? { decision: plan.decision } : {}),
    ...(open ? byActivity(partitions.openPlans, plan.createdAt) : {}),
  };
}

export function itemToPlan(item: Item): EffectPlan {
  const fx = item.fx as Record<string, PlannedEffect>;
  return {
    key: item.key as string,
    createdAt: item.createdAt as string,
    receiptIds: (item.receiptIds as string[]) ?? [],
    effects: (item.order as string[]).map((id) => fx[id]!),
    ...(item.decision ? { decision: item.decision as EffectPlan['decision'] } : {}),
  };
}

export function undeliveredToItem(u: UndeliveredMail): Item {
  return {
    ...keys.undelivered(u.planKey, u.effectId),
    type: 'undelivered',
    ...u,
    ...byActivity(partitions.undelivered, u.at),
    [TABLE_KEYS.ttl]: Math.floor(new Date(u.at).getTime() / 1000) + UNDELIVERED_TTL_SECONDS,
  };
}

export function itemToUndelivered({ planKey, effectId, state, kind, ticketId, to, subject, detail, at }: Item): UndeliveredMail {
  return { planKey, effectId, state, kind, ticketId, to, subject, detail, at } as UndeliveredMail;
}
