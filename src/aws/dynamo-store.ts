import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isOpen, type RequesterProfile, type Ticket, type TicketChanges, type ThreadMessage } from '../domain/ticket.js';
import type { TicketEvent } from '../domain/lifecycle.js';
import type { EffectPlan } from '../pipeline/effects.js';
import type {
  AppendWrite,
  EffectSettlement,
  InboundLookup,
  InboundLookupResult,
  LimitSlot,
  MergeWrite,
  NewTicketWrite,
  OutboundWrite,
  ReceiptRecord,
  StaleRun,
  TicketChangeWrite,
  TicketStore,
  UndeliveredMail,
} from '../pipeline/ports.js';
import { DynamoPlans, itemToPlan, planKeys } from './dynamo-plans.js';
import { assertItemSize, conditional, isConditionFailure, keyPart, Table, type Item } from './dynamo-table.js';
import { TABLE_KEYS } from './table.js';

export { StoreError, ItemTooLargeError } from './dynamo-table.js';

/** Item keys of the single-table design (see DESIGN.md). Message-IDs and addresses go through keyPart: a huge one is hashed. */
export const keys = {
  ticket: (ticketKey: string) => ({ pk: `T#${ticketKey}`, sk: 'T' }),
  message: (ticketKey: string, messageKey: string) => ({ pk: `T#${ticketKey}`, sk: `M#${messageKey}` }),
  alias: (number: number) => ({ pk: `N#${number}`, sk: 'N' }),
  threadKey: (messageId: string) => ({ pk: `K#${keyPart(messageId)}`, sk: 'K' }),
  receipt: (id: string) => ({ pk: `R#${keyPart(id)}`, sk: 'R' }),
  requester: (address: string) => ({ pk: `U#${keyPart(address)}`, sk: 'U' }),
  counter: { pk: 'C#ticket', sk: 'C' },
  staleRun: (slot: string) => ({ pk: `J#stale#${slot}`, sk: 'J' }),
  /** Keyed by the message that caused it, so a replay rewrites the same items. */
  event: (ticketKey: string, causeKey: string, index: number) => ({ pk: `T#${ticketKey}`, sk: `E#${causeKey}#${index}` }),
  limit: (scope: string, hour: string) => ({ pk: `L#${keyPart(scope)}#${hour}`, sk: 'L' }),
  ...planKeys,
};

/** Rate-limit counters outlive their hour a little, then DynamoDB's TTL deletes them. */
const RATE_LIMIT_TTL_SECONDS = 3 * 3600;

const QUARANTINE_PARTITION = 'QUARANTINE';

export function openTicketsPartition(priority: string | null): string {
  return `OPEN#${priority ?? 'NONE'}`;
}

export function ticketToItem(t: Ticket): Item {
  const { participants, messageKeys, mergedKeys, number, id, ...rest } = t;
  const item: Item = { ...keys.ticket(t.key), type: 'ticket', ...rest };
  // String sets may not be empty in DynamoDB: omit what has no members.
  if (participants.length) item.participants = new Set(participants);
  if (messageKeys.length) item.messageKeys = new Set(messageKeys);
  if (mergedKeys.length) item.mergedKeys = new Set(mergedKeys);
  // A ticket gets its number after its first write (numberTicket); until then no index sees it.
  if (number) Object.assign(item, { number, id });
  if (number && isOpen(t.status)) {
    item[TABLE_KEYS.byRequester.pk] = `REQ#${t.requester}`;
    item[TABLE_KEYS.byRequester.sk] = t.lastActivityAt;
    item[TABLE_KEYS.openByActivity.pk] = openTicketsPartition(t.priority);
    item[TABLE_KEYS.openByActivity.sk] = t.lastActivityAt;
  }
  return item;
}

function setToArray(value: unknown): string[] {
  if (value instanceof Set) return [...(value as Set<string>)].sort();
  return Array.isArray(value) ? (value as string[]) : [];
}

function itemToTicket(item: Item): Ticket {
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
  };
}

function itemToProfile(item: Item): RequesterProfile {
  return {
    address: (item.pk as string).slice(2),
    name: (item.name as string) ?? '',
    firstSeenAt: (item.firstSeenAt as string) ?? '',
    bouncing: Boolean(item.bouncing),
    bounceDetail: (item.bounceDetail as string | null) ?? null,
  };
}

/** A thread key: the Message-ID kept whole in the item (its key part may be a hash). */
function threadKeyItem(messageId: string, ticketKey: string, extra: { role?: string; sentTo?: string[] } = {}): Item {
  const item: Item = { ...keys.threadKey(messageId), type: 'thread-key', messageId, ticketKey };
  if (extra.role) item.role = extra.role;
  if (extra.sentTo?.length) item.sentTo = new Set(extra.sentTo);
  return item;
}

function messageToItem(m: ThreadMessage): Item {
  return { ...keys.message(m.ticketKey, m.key), type: 'message', ...m };
}

interface TicketUpdate {
  sets: string[];
  removes: string[];
  adds: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * The update of a ticket item for these changes (and new activity): the GSIs hold open tickets
 * only, so their keys follow the status and priority after the write.
 */
function ticketUpdate(ticket: Ticket, changes: TicketChanges & { stale?: boolean; staleSince?: string | null; nudgedAt?: string }, activityAt: string | null): TicketUpdate {
  const u: TicketUpdate = { sets: [], removes: [], adds: [], names: {}, values: {} };
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    u.names[`#c_${field}`] = field;
    u.sets.push(`#c_${field} = :c_${field}`);
    u.values[`:c_${field}`] = value;
  }
  const moved = activityAt && activityAt > ticket.lastActivityAt ? activityAt : null;
  if (moved) {
    u.sets.push('lastActivityAt = :t');
    u.values[':t'] = moved;
  }
  const after = { ...ticket, ...changes, lastActivityAt: moved ?? ticket.lastActivityAt };
  if (moved || changes.status !== undefined || changes.priority !== undefined) {
    const gsi = { g1p: TABLE_KEYS.byRequester.pk, g1s: TABLE_KEYS.byRequester.sk, g2p: TABLE_KEYS.openByActivity.pk, g2s: TABLE_KEYS.openByActivity.sk };
    for (const [alias, name] of Object.entries(gsi)) u.names[`#${alias}`] = name;
    if (isOpen(after.status)) {
      u.sets.push('#g1p = :g1p', '#g1s = :gs', '#g2p = :g2p', '#g2s = :gs');
      u.values[':g1p'] = `REQ#${after.requester}`;
      u.values[':g2p'] = openTicketsPartition(after.priority);
      u.values[':gs'] = after.lastActivityAt;
    } else {
      u.removes.push('#g1p', '#g1s', '#g2p', '#g2s');
    }
  }
  return u;
}

function eventItems(ticketKey: string, causeKey: string, events: TicketEvent[]): Item[] {
  return events.map((e, i) => ({ ...keys.event(ticketKey, causeKey, i), type: 'event', ...e }));
}

function itemToMessage(item: Item): ThreadMessage {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as unknown as ThreadMessage;
}

function receiptToItem(r: ReceiptRecord): Item {
  const item: Item = { ...keys.receipt(r.id), type: 'receipt', ...r };
  if (r.state === 'quarantined') {
    item[TABLE_KEYS.openByActivity.pk] = QUARANTINE_PARTITION;
    item[TABLE_KEYS.openByActivity.sk] = r.at;
  }
  return item;
}

function itemToReceipt(item: Item): ReceiptRecord {
  const { pk: _pk, sk: _sk, type: _type, gsi2pk: _g, gsi2sk: _s, ...rest } = item;
  return rest as unknown as ReceiptRecord;
}

/** The ticket store on one DynamoDB table, through the document client. */
export class DynamoTicketStore implements TicketStore {
  private readonly table: Table;
  private readonly plans: DynamoPlans;
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.table = new Table(doc, tableName);
    this.plans = new DynamoPlans(this.table);
    this.doc = doc;
    this.tableName = tableName;
  }

  putPlan(plan: EffectPlan): Promise<EffectPlan> {
    return this.plans.putPlan(plan);
  }

  getPlan(key: string): Promise<EffectPlan | null> {
    return this.plans.getPlan(key);
  }

  claimEffects(planKey: string, ids: string[], at: string): Promise<Set<string>> {
    return this.plans.claimEffects(planKey, ids, at);
  }

  releaseEffects(planKey: string, ids: string[], at: string): Promise<void> {
    return this.plans.releaseEffects(planKey, ids, at);
  }

  settleEffects(planKey: string, settlements: EffectSettlement[], settled: boolean, undelivered: UndeliveredMail[]): Promise<void> {
    return this.plans.settleEffects(planKey, settlements, settled, undelivered);
  }

  openPlans(before: string): Promise<EffectPlan[]> {
    return this.plans.openPlans(before);
  }

  undeliveredSince(since: string): Promise<UndeliveredMail[]> {
    return this.plans.undeliveredSince(since);
  }

  async lookUpInbound(q: InboundLookup): Promise<InboundLookupResult> {
    const wanted = [
      ...q.receiptIds.map(keys.receipt),
      ...q.threadKeys.map(keys.threadKey),
      ...q.ticketKeys.map(keys.ticket),
      ...q.messageItems.map((m) => keys.message(m.ticketKey, m.messageKey)),
      ...(q.ticketNumber !== null ? [keys.alias(q.ticketNumber)] : []),
      ...(q.profile ? [keys.requester(q.profile)] : []),
      keys.plan(q.planKey),
    ];
    const [items, openTickets] = await Promise.all([
      this.table.batchGet(wanted),
      q.requester ? this.openTicketsOf(q.requester.address, q.requester.since) : Promise.resolve([]),
    ]);
    const result: InboundLookupResult = {
      receipts: [],
      threadKeyHits: new Map(),
      threadKeyRoles: new Map(),
      tickets: new Map(),
      messagesFound: new Set(),
      ticketByNumber: null,
      openTicketsOfRequester: openTickets,
      profile: null,
      plan: null,
      sentTo: new Map(),
    };
    let aliasKey: string | null = null;
    for (const item of items) {
      const pk = item.pk as string;
      if (pk.startsWith('R#')) result.receipts.push(itemToReceipt(item));
      else if (pk.startsWith('K#')) {
        const id = item.messageId as string;
        result.threadKeyHits.set(id, item.ticketKey as string);
        if (item.role) result.threadKeyRoles.set(id, item.role as string);
        if (item.sentTo) result.sentTo.set(id, setToArray(item.sentTo));
      }
      else if (pk.startsWith('O#')) result.plan = itemToPlan(item);
      else if (pk.startsWith('T#') && item.sk === 'T') result.tickets.set(item.key as string, itemToTicket(item));
      else if (pk.startsWith('T#')) result.messagesFound.add(`${item.ticketKey}/${item.key}`);
      else if (pk.startsWith('N#')) aliasKey = item.ticketKey as string;
      else if (pk.startsWith('U#')) result.profile = itemToProfile(item);
    }
    if (aliasKey) {
      // A tagged mail needs the tagged ticket's participants: one more read, only on this path.
      const ticket = result.tickets.get(aliasKey) ?? (await this.getTickets([aliasKey])).get(aliasKey);
      if (ticket && ticket.number === q.ticketNumber) {
        result.ticketByNumber = ticket;
        result.tickets.set(ticket.key, ticket);
      }
    }
    return result;
  }

  async getTickets(ticketKeys: string[]): Promise<Map<string, Ticket>> {
    const items = await this.table.batchGet([...new Set(ticketKeys)].map(keys.ticket));
    return new Map(items.map((item) => [item.key as string, itemToTicket(item)]));
  }

  async nextTicketNumber(ticketKey: string): Promise<{ number: number; ours: boolean }> {
    // The number is remembered on the counter under the ticket's key until the ticket holds it,
    // so a delivery that stops between the two takes the same number again, never a second one.
    const pending = `p_${ticketKey}`;
    const out = await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.counter,
          UpdateExpression: 'SET #n = if_not_exists(#n, :zero) + :one, #p = if_not_exists(#n, :zero) + :one',
          ConditionExpression: 'attribute_not_exists(#p)',
          ExpressionAttributeNames: { '#n': 'n', '#p': pending },
          ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
          ReturnValues: 'UPDATED_NEW',
        }),
      )
      .catch((err: unknown) => {
        if (!isConditionFailure(err)) throw err;
        return null;
      });
    if (out) return { number: out.Attributes?.[pending] as number, ours: true };
    const counter = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.counter, ConsistentRead: true }));
    const taken = counter.Item?.[pending] as number | undefined;
    if (taken !== undefined) return { number: taken, ours: false };
    // Forgotten in between: the ticket holds its number by now.
    const ticket = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.ticket(ticketKey), ConsistentRead: true }));
    return { number: ticket.Item!.number as number, ours: false };
  }

  async returnTicketNumber(ticketKey: string, number: number): Promise<boolean> {
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.counter,
          UpdateExpression: 'SET #n = :before REMOVE #p',
          // Only the last number taken can go back; the remembered one may already be forgotten.
          ConditionExpression: '#n = :number',
          ExpressionAttributeNames: { '#n': 'n', '#p': `p_${ticketKey}` },
          ExpressionAttributeValues: { ':number': number, ':before': number - 1 },
        }),
      ),
    );
  }

  async forgetTicketNumber(ticketKey: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({ TableName: this.tableName, Key: keys.counter, UpdateExpression: 'REMOVE #p', ExpressionAttributeNames: { '#p': `p_${ticketKey}` } }),
    );
  }

  async createTicket(w: NewTicketWrite): Promise<boolean> {
    const item = ticketToItem(w.ticket);
    assertItemSize(item);
    const [created] = await Promise.all([
      conditional(this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }))),
      this.table.batchWrite([
        ...w.threadKeys.map((id) => threadKeyItem(id, w.ticket.key)),
        messageToItem(w.message),
        ...eventItems(w.ticket.key, w.message.key, w.events),
      ]),
      this.touchRequester(w.ticket),
    ]);
    return created;
  }

  async numberTicket(ticket: Ticket): Promise<Ticket> {
    const open = isOpen(ticket.status);
    const numbered = await conditional(
      Promise.all([
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.ticket(ticket.key),
            UpdateExpression: `SET #n = :n, #id = :id${open ? ', #g1p = :g1p, #g1s = :gs, #g2p = :g2p, #g2s = :gs' : ''}`,
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#n) OR #n = :n)',
            ExpressionAttributeNames: {
              '#n': 'number',
              '#id': 'id',
              ...(open ? { '#g1p': TABLE_KEYS.byRequester.pk, '#g1s': TABLE_KEYS.byRequester.sk, '#g2p': TABLE_KEYS.openByActivity.pk, '#g2s': TABLE_KEYS.openByActivity.sk } : {}),
            },
            ExpressionAttributeValues: {
              ':n': ticket.number,
              ':id': ticket.id,
              ...(open ? { ':g1p': `REQ#${ticket.requester}`, ':g2p': openTicketsPartition(ticket.priority), ':gs': ticket.lastActivityAt } : {}),
            },
          }),
        ),
        // An alias whose ticket took another number is never followed: getTicketById checks the number.
        this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.alias(ticket.number), type: 'alias', ticketKey: ticket.key } })),
      ]),
    );
    if (numbered) return ticket;
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.ticket(ticket.key), ConsistentRead: true }));
    return itemToTicket(out.Item!);
  }

  async appendMessage(w: AppendWrite): Promise<void> {
    const update = ticketUpdate(w.ticket, w.changes ?? {}, w.activityAt);
    update.names['#mk'] = 'messageKeys';
    update.values[':mk'] = new Set([w.message.key]);
    update.adds.push('#mk :mk');
    if (w.newParticipants.length) {
      update.adds.push('#pa :pa');
      update.names['#pa'] = 'participants';
      update.values[':pa'] = new Set(w.newParticipants);
    }
    if (w.merged) {
      update.adds.push('#mg :mg');
      update.names['#mg'] = 'mergedKeys';
      update.values[':mg'] = new Set([w.message.key]);
    }
    await Promise.all([
      this.updateTicket(w.ticket.key, update),
      this.table.batchWrite([
        ...w.threadKeys.map((id) => threadKeyItem(id, w.ticket.key, w.sentTo ? { sentTo: w.sentTo } : {})),
        messageToItem(w.message),
        ...eventItems(w.ticket.key, w.message.key, w.events ?? []),
      ]),
    ]);
    await this.table.batchWrite(w.receipts.map(receiptToItem));
  }

  async changeTicket(w: TicketChangeWrite): Promise<void> {
    await Promise.all([
      this.updateTicket(w.ticket.key, ticketUpdate(w.ticket, w.changes, null)),
      this.table.batchWrite(eventItems(w.ticket.key, w.causeKey, w.events)),
    ]);
  }

  async staleCandidates(priority: string | null, idleSince: string): Promise<Ticket[]> {
    const items = await this.table.queryAll({
      IndexName: TABLE_KEYS.openByActivity.name,
      KeyConditionExpression: '#p = :p AND #s <= :idle',
      ExpressionAttributeNames: { '#p': TABLE_KEYS.openByActivity.pk, '#s': TABLE_KEYS.openByActivity.sk },
      ExpressionAttributeValues: { ':p': openTicketsPartition(priority), ':idle': idleSince },
    });
    return items.map(itemToTicket);
  }

  async setStale(ticket: Ticket, staleSince: string | null): Promise<void> {
    await this.updateTicket(ticket.key, ticketUpdate(ticket, { stale: staleSince !== null, staleSince }, null));
  }

  async claimStaleRun(slot: string, at: string): Promise<StaleRun | null> {
    const claimed = await conditional(
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.staleRun(slot), type: 'stale-run', slot, startedAt: at, finishedAt: null, result: null, flaggedKeys: [] },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (claimed) return null;
    const [item] = await this.table.batchGet([keys.staleRun(slot)]);
    return item as unknown as StaleRun;
  }

  async finishStaleRun(run: StaleRun): Promise<void> {
    const item = { type: 'stale-run', ...run };
    await this.table.batchWrite([
      { ...keys.staleRun(run.slot), ...item },
      { ...keys.staleRun('last'), ...item },
    ]);
  }

  async lastStaleRun(): Promise<StaleRun | null> {
    const [item] = await this.table.batchGet([keys.staleRun('last')]);
    return (item as unknown as StaleRun | undefined) ?? null;
  }

  async getProfiles(addresses: string[]): Promise<Map<string, RequesterProfile>> {
    const items = await this.table.batchGet([...new Set(addresses)].map(keys.requester));
    return new Map(items.map((item) => [itemToProfile(item).address, itemToProfile(item)]));
  }

  private async updateTicket(ticketKey: string, u: TicketUpdate): Promise<void> {
    const expression = [u.sets.length ? `SET ${u.sets.join(', ')}` : '', u.removes.length ? `REMOVE ${u.removes.join(', ')}` : '', u.adds.length ? `ADD ${u.adds.join(', ')}` : '']
      .filter(Boolean)
      .join(' ');
    if (!expression) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.ticket(ticketKey),
        UpdateExpression: expression,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: u.names,
        ...(Object.keys(u.values).length ? { ExpressionAttributeValues: u.values } : {}),
      }),
    );
  }

  async recordMerge(w: MergeWrite): Promise<void> {
    await Promise.all([
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.ticket(w.target.key),
          UpdateExpression: 'ADD mergedKeys :mk',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':mk': new Set(w.source.messageKeys.length ? w.source.messageKeys : [w.source.key]) },
        }),
      ),
      this.table.batchWrite(eventItems(w.target.key, `merge-${w.source.key}`, [w.event])),
    ]);
  }

  async listEvents(ticketKey: string): Promise<TicketEvent[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': keys.ticket(ticketKey).pk, ':e': 'E#' },
    });
    return items
      .map(({ at, actor, kind, from, to, why }) => ({ at, actor, kind, from, to, why }) as TicketEvent)
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  async getReceipts(ids: string[]): Promise<ReceiptRecord[]> {
    return (await this.table.batchGet(ids.map(keys.receipt))).map(itemToReceipt);
  }

  async recordReceipts(receipts: ReceiptRecord[]): Promise<void> {
    await this.table.batchWrite(receipts.map(receiptToItem));
  }

  async takeSlot(slot: LimitSlot): Promise<boolean> {
    const expiresAt = Math.floor(new Date(`${slot.hour}:00:00Z`).getTime() / 1000) + RATE_LIMIT_TTL_SECONDS;
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.limit(slot.scope, slot.hour),
          UpdateExpression: 'ADD #m :m SET #ttl = :ttl',
          // A set, not a counter: the member a replay brings again is already in it.
          ConditionExpression: 'attribute_not_exists(#m) OR size(#m) < :max OR contains(#m, :member)',
          ExpressionAttributeNames: { '#m': 'members', '#ttl': TABLE_KEYS.ttl },
          ExpressionAttributeValues: { ':m': new Set([slot.member]), ':member': slot.member, ':max': slot.max, ':ttl': expiresAt },
        }),
      ),
    );
  }

  async recordOutbound(w: OutboundWrite): Promise<void> {
    const texts = w.outboundTexts ? { set: 'SET outboundTexts = :texts ', values: { ':texts': w.outboundTexts } } : { set: '', values: {} };
    const ties = new Set(w.sentTo.keys);
    await Promise.all([
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.ticket(w.ticketKey),
          UpdateExpression: `${texts.set}ADD messageKeys :mk`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ...texts.values, ':mk': new Set([w.message.key]) },
        }),
      ),
      this.table.batchWrite([
        ...[...new Set([...w.threadKeys, ...w.sentTo.keys])].map((id) =>
          threadKeyItem(id, w.ticketKey, { role: w.message.role, ...(ties.has(id) && w.sentTo.recipients.length ? { sentTo: w.sentTo.recipients } : {}) }),
        ),
        messageToItem(w.message),
      ]),
    ]);
  }

  async outboundRecorded(messages: { ticketKey: string; messageKey: string }[]): Promise<Set<string>> {
    const items = await this.table.batchGet(messages.map((m) => keys.message(m.ticketKey, m.messageKey)));
    return new Set(items.map((item) => `${item.ticketKey as string}/${item.key as string}`));
  }

  async markBouncing(address: string, detail: string, at: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.requester(address),
        UpdateExpression: 'SET bouncing = :yes, bounceDetail = :detail, bouncedAt = :at, #type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':yes': true, ':detail': detail, ':at': at, ':type': 'requester' },
      }),
    );
  }

  async clearBouncing(address: string): Promise<void> {
    await conditional(this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.requester(address),
        UpdateExpression: 'SET bouncing = :no REMOVE bounceDetail',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':no': false },
      }),
    ));
  }

  async getTicketById(number: number): Promise<Ticket | null> {
    const [alias] = await this.table.batchGet([keys.alias(number)]);
    if (!alias) return null;
    const ticket = (await this.getTickets([alias.ticketKey as string])).get(alias.ticketKey as string);
    return ticket && ticket.number === number ? ticket : null;
  }

  /** Every ticket, for the CLI listing. An operator's view, not a hot path: Scan is fine here. */
  async listTickets(): Promise<Ticket[]> {
    const items = await this.table.scanAll('begins_with(pk, :t) AND sk = :s', { ':t': 'T#', ':s': 'T' });
    // A ticket without its number is still being created (or its delivery will be retried).
    return items.map(itemToTicket).filter((t) => t.number > 0).sort((a, b) => a.number - b.number);
  }

  async listMessages(ticketKey: string): Promise<ThreadMessage[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)',
      ExpressionAttributeValues: { ':pk': keys.ticket(ticketKey).pk, ':m': 'M#' },
    });
    // An auto-reply carries the time of the mail it answers: the mail comes first.
    const answerAfter = (m: ThreadMessage) => (m.direction === 'outbound' ? 1 : 0);
    return items
      .map(itemToMessage)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || answerAfter(a) - answerAfter(b) || a.key.localeCompare(b.key));
  }

  async listQuarantine(): Promise<ReceiptRecord[]> {
    const items = await this.table.queryAll({
      IndexName: TABLE_KEYS.openByActivity.name,
      KeyConditionExpression: '#p = :q',
      ExpressionAttributeNames: { '#p': TABLE_KEYS.openByActivity.pk },
      ExpressionAttributeValues: { ':q': QUARANTINE_PARTITION },
    });
    // A sha: and a mid: record can describe the same delivery; show each raw object once.
    const byRaw = new Map<string, ReceiptRecord>();
    for (const r of items.map(itemToReceipt)) byRaw.set(r.rawKey, r);
    return [...byRaw.values()];
  }

  private openTicketsOf(address: string, since: string): Promise<Ticket[]> {
    const { name, pk, sk } = TABLE_KEYS.byRequester;
    return this.table.queryAll({
      IndexName: name,
      KeyConditionExpression: '#pk = :pk AND #sk >= :since',
      ExpressionAttributeNames: { '#pk': pk, '#sk': sk },
      ExpressionAttributeValues: { ':pk': `REQ#${address}`, ':since': since },
    }).then((items) => items.map(itemToTicket));
  }

  private touchRequester(t: Ticket): Promise<unknown> {
    return this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.requester(t.requester),
        UpdateExpression:
          'SET firstSeenAt = if_not_exists(firstSeenAt, :t), lastSeenAt = :t, #name = :name, #type = :type ADD ticketKeys :k',
        ExpressionAttributeNames: { '#name': 'name', '#type': 'type' },
        ExpressionAttributeValues: { ':t': t.createdAt, ':name': t.requesterName, ':type': 'requester', ':k': new Set([t.key]) },
      }),
    );
  }
}
