import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { isOpen, type RequesterProfile, type Ticket, type TicketChanges, type ThreadMessage } from '../domain/ticket.js';
import type { TicketEvent } from '../domain/lifecycle.js';
import type {
  AppendWrite,
  MergeWrite,
  StaleRun,
  TicketChangeWrite,
  OutboundWrite,
  ReplyAllowance,
  InboundLookup,
  InboundLookupResult,
  NewTicketWrite,
  ReceiptRecord,
  TicketStore,
} from '../pipeline/ports.js';
import { TABLE_KEYS } from './table.js';

type Item = Record<string, unknown>;

const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
const MAX_BATCH_RETRIES = 8;

/** Item keys of the single-table design (see DESIGN.md). */
export const keys = {
  ticket: (ticketKey: string) => ({ pk: `T#${ticketKey}`, sk: 'T' }),
  message: (ticketKey: string, messageKey: string) => ({ pk: `T#${ticketKey}`, sk: `M#${messageKey}` }),
  alias: (number: number) => ({ pk: `N#${number}`, sk: 'N' }),
  threadKey: (messageId: string) => ({ pk: `K#${messageId}`, sk: 'K' }),
  receipt: (id: string) => ({ pk: `R#${id}`, sk: 'R' }),
  requester: (address: string) => ({ pk: `U#${address}`, sk: 'U' }),
  counter: { pk: 'C#ticket', sk: 'C' },
  staleRun: (slot: string) => ({ pk: `J#stale#${slot}`, sk: 'J' }),
  replyClaim: (inboundKey: string, kind: string) => ({ pk: `O#${inboundKey}#${kind}`, sk: 'O' }),
  /** Keyed by the message that caused it, so a replay rewrites the same items. */
  event: (ticketKey: string, causeKey: string, index: number) => ({ pk: `T#${ticketKey}`, sk: `E#${causeKey}#${index}` }),
  rateLimit: (scope: string, hour: string) => ({ pk: `L#${scope}#${hour}`, sk: 'L' }),
};

/** Rate-limit counters outlive their hour a little, then DynamoDB's TTL deletes them. */
const RATE_LIMIT_TTL_SECONDS = 3 * 3600;

const QUARANTINE_PARTITION = 'QUARANTINE';

export function openTicketsPartition(priority: string | null): string {
  return `OPEN#${priority ?? 'NONE'}`;
}

export function ticketToItem(t: Ticket): Item {
  const { participants, messageKeys, mergedKeys, ...rest } = t;
  const item: Item = { ...keys.ticket(t.key), type: 'ticket', ...rest };
  // String sets may not be empty in DynamoDB: omit what has no members.
  if (participants.length) item.participants = new Set(participants);
  if (messageKeys.length) item.messageKeys = new Set(messageKeys);
  if (mergedKeys.length) item.mergedKeys = new Set(mergedKeys);
  if (isOpen(t.status)) {
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
    number: item.number as number,
    id: item.id as string,
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

function isConditionFailure(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException';
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

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));

export class StoreError extends Error {
  override name = 'StoreError';
}

/** The ticket store on one DynamoDB table, through the document client. */
export class DynamoTicketStore implements TicketStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async lookUpInbound(q: InboundLookup): Promise<InboundLookupResult> {
    const wanted = [
      ...q.receiptIds.map(keys.receipt),
      ...q.threadKeys.map(keys.threadKey),
      ...q.ticketKeys.map(keys.ticket),
      ...q.messageItems.map((m) => keys.message(m.ticketKey, m.messageKey)),
      ...(q.ticketNumber !== null ? [keys.alias(q.ticketNumber)] : []),
      ...(q.profile ? [keys.requester(q.profile)] : []),
    ];
    const [items, openTickets] = await Promise.all([
      this.batchGet(wanted),
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
    };
    let aliasKey: string | null = null;
    for (const item of items) {
      const pk = item.pk as string;
      if (pk.startsWith('R#')) result.receipts.push(itemToReceipt(item));
      else if (pk.startsWith('K#')) {
        result.threadKeyHits.set(pk.slice(2), item.ticketKey as string);
        if (item.role) result.threadKeyRoles.set(pk.slice(2), item.role as string);
      }
      else if (pk.startsWith('T#') && item.sk === 'T') result.tickets.set(item.key as string, itemToTicket(item));
      else if (pk.startsWith('T#')) result.messagesFound.add(`${item.ticketKey}/${item.key}`);
      else if (pk.startsWith('N#')) aliasKey = item.ticketKey as string;
      else if (pk.startsWith('U#')) result.profile = itemToProfile(item);
    }
    if (aliasKey) {
      // A tagged mail needs the tagged ticket's participants: one more read, only on this path.
      const ticket = result.tickets.get(aliasKey) ?? (await this.getTickets([aliasKey])).get(aliasKey);
      if (ticket && ticket.number === q.ticketNumber) result.ticketByNumber = ticket;
    }
    return result;
  }

  async getTickets(ticketKeys: string[]): Promise<Map<string, Ticket>> {
    const items = await this.batchGet([...new Set(ticketKeys)].map(keys.ticket));
    return new Map(items.map((item) => [item.key as string, itemToTicket(item)]));
  }

  async nextTicketNumber(): Promise<number> {
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.counter,
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return out.Attributes?.n as number;
  }

  async createTicket(w: NewTicketWrite): Promise<boolean> {
    const putTicket = this.doc
      .send(
        new PutCommand({
          TableName: this.tableName,
          Item: ticketToItem(w.ticket),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .then(() => true)
      .catch((err: unknown) => {
        if (isConditionFailure(err)) return false;
        throw err;
      });
    const [created] = await Promise.all([
      putTicket,
      this.batchWrite([
        { ...keys.alias(w.ticket.number), type: 'alias', ticketKey: w.ticket.key },
        ...w.threadKeys.map((id) => ({ ...keys.threadKey(id), type: 'thread-key', ticketKey: w.ticket.key })),
        messageToItem(w.message),
        ...eventItems(w.ticket.key, w.message.key, w.events),
        ...w.receipts.map(receiptToItem),
      ]),
      this.touchRequester(w.ticket),
    ]);
    return created;
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
      this.batchWrite([
        ...w.threadKeys.map((id) => ({ ...keys.threadKey(id), type: 'thread-key', ticketKey: w.ticket.key })),
        messageToItem(w.message),
        ...eventItems(w.ticket.key, w.message.key, w.events ?? []),
      ]),
    ]);
    await this.batchWrite(w.receipts.map(receiptToItem));
  }

  async changeTicket(w: TicketChangeWrite): Promise<void> {
    await Promise.all([
      this.updateTicket(w.ticket.key, ticketUpdate(w.ticket, w.changes, null)),
      this.batchWrite(eventItems(w.ticket.key, w.causeKey, w.events)),
    ]);
  }

  async staleCandidates(priority: string | null, idleSince: string): Promise<Ticket[]> {
    const items = await this.queryAll({
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
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.staleRun(slot), type: 'stale-run', slot, startedAt: at, finishedAt: null, result: null, flaggedKeys: [] },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return null;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const [item] = await this.batchGet([keys.staleRun(slot)]);
      return item as unknown as StaleRun;
    }
  }

  async finishStaleRun(run: StaleRun): Promise<void> {
    const item = { type: 'stale-run', ...run };
    await this.batchWrite([
      { ...keys.staleRun(run.slot), ...item },
      { ...keys.staleRun('last'), ...item },
    ]);
  }

  async lastStaleRun(): Promise<StaleRun | null> {
    const [item] = await this.batchGet([keys.staleRun('last')]);
    return (item as unknown as StaleRun | undefined) ?? null;
  }

  async getProfiles(addresses: string[]): Promise<Map<string, RequesterProfile>> {
    const items = await this.batchGet([...new Set(addresses)].map(keys.requester));
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
      this.batchWrite(eventItems(w.target.key, `merge-${w.source.key}`, [w.event])),
    ]);
  }

  async listEvents(ticketKey: string): Promise<TicketEvent[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': keys.ticket(ticketKey).pk, ':e': 'E#' },
    });
    return items
      .map(({ at, actor, kind, from, to, why }) => ({ at, actor, kind, from, to, why }) as TicketEvent)
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  async recordReceipts(receipts: ReceiptRecord[]): Promise<void> {
    await this.batchWrite(receipts.map(receiptToItem));
  }

  async takeReplySlot(a: ReplyAllowance): Promise<string | null> {
    const expiresAt = Math.floor(new Date(`${a.hour}:00:00Z`).getTime() / 1000) + RATE_LIMIT_TTL_SECONDS;
    const take = (scope: string, max: number) =>
      this.doc
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.rateLimit(scope, a.hour),
            UpdateExpression: 'ADD #n :one SET #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
            ExpressionAttributeNames: { '#n': 'n', '#ttl': TABLE_KEYS.ttl },
            ExpressionAttributeValues: { ':one': 1, ':max': max, ':ttl': expiresAt },
          }),
        )
        .then(() => true)
        .catch((err: unknown) => {
          if (isConditionFailure(err)) return false;
          throw err;
        });
    const [senderOk, ticketOk] = await Promise.all([take(`sender#${a.sender}`, a.maxPerSender), take(`ticket#${a.ticketKey}`, a.maxPerTicket)]);
    if (!senderOk) return `auto-reply limit reached: ${a.maxPerSender} per sender per hour`;
    if (!ticketOk) return `auto-reply limit reached: ${a.maxPerTicket} per ticket per hour`;
    return null;
  }

  async claimReply(inboundKey: string, kind: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.replyClaim(inboundKey, kind), type: 'reply-claim', kind },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async recordOutbound(w: OutboundWrite): Promise<void> {
    const texts = w.outboundTexts ? { set: 'SET outboundTexts = :texts ', values: { ':texts': w.outboundTexts } } : { set: '', values: {} };
    await Promise.all([
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.ticket(w.ticket.key),
          UpdateExpression: `${texts.set}ADD messageKeys :mk`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ...texts.values, ':mk': new Set([w.message.key]) },
        }),
      ),
      this.batchWrite([
        ...w.threadKeys.map((id) => ({ ...keys.threadKey(id), type: 'thread-key', ticketKey: w.ticket.key, role: w.message.role })),
        messageToItem(w.message),
      ]),
    ]);
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

  async getTicketById(number: number): Promise<Ticket | null> {
    const [alias] = await this.batchGet([keys.alias(number)]);
    if (!alias) return null;
    const ticket = (await this.getTickets([alias.ticketKey as string])).get(alias.ticketKey as string);
    return ticket && ticket.number === number ? ticket : null;
  }

  /** Every ticket, for the CLI listing. An operator's view, not a hot path: Scan is fine here. */
  async listTickets(): Promise<Ticket[]> {
    const items = await this.scanAll('begins_with(pk, :t) AND sk = :s', { ':t': 'T#', ':s': 'T' });
    return items.map(itemToTicket).sort((a, b) => a.number - b.number);
  }

  async listMessages(ticketKey: string): Promise<ThreadMessage[]> {
    const items = await this.queryAll({
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
    const items = await this.queryAll({
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
    return this.queryAll({
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

  private async batchGet(wanted: { pk: string; sk: string }[]): Promise<Item[]> {
    const unique = [...new Map(wanted.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
    const results: Item[] = [];
    for (const part of chunk(unique, BATCH_GET_LIMIT)) {
      let request: Record<string, { Keys: Item[] }> | undefined = { [this.tableName]: { Keys: part } };
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        if (attempt > MAX_BATCH_RETRIES) throw new StoreError(`BatchGet still throttled after ${MAX_BATCH_RETRIES} retries`);
        if (attempt) await backoff(attempt);
        const out = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        results.push(...(out.Responses?.[this.tableName] ?? []));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return results;
  }

  private async batchWrite(items: Item[]): Promise<void> {
    const unique = [...new Map(items.map((i) => [`${i.pk}|${i.sk}`, i])).values()];
    await Promise.all(
      chunk(unique, BATCH_WRITE_LIMIT).map(async (part) => {
        let request: Record<string, { PutRequest: { Item: Item } }[]> | undefined = {
          [this.tableName]: part.map((Item) => ({ PutRequest: { Item } })),
        };
        for (let attempt = 0; request && Object.keys(request).length; attempt++) {
          if (attempt > MAX_BATCH_RETRIES) throw new StoreError(`BatchWrite still throttled after ${MAX_BATCH_RETRIES} retries`);
          if (attempt) await backoff(attempt);
          const out = await this.doc.send(new BatchWriteCommand({ RequestItems: request }));
          request = out.UnprocessedItems as typeof request;
        }
      }),
    );
  }

  private async queryAll(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async scanAll(filter: string, values: Item): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({ TableName: this.tableName, FilterExpression: filter, ExpressionAttributeValues: values, ExclusiveStartKey: start }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
