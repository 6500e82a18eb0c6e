/**
 * Tickets and their threads on the table: a ticket item (`T#<key>` / `T`) with its messages
 * (`M#…`) and history (`E#…`) in its partition, thread keys (`K#<Message-ID>`) that lead replies
 * to it, an alias (`N#<number>`) once it is numbered, and the counter that numbers it.
 */
import type { TicketEvent } from '../domain/lifecycle.js';
import { isOpen, type Ticket, type TicketChanges, type ThreadMessage } from '../domain/ticket.js';
import type { ActivityPosition, AppendWrite, InboundLookup, InboundLookupResult, MergeWrite, NewTicketWrite, TicketBook, TicketChangeWrite, TicketPage } from '../pipeline/ports.js';
import { PRIORITIES } from '../domain/triage/schema.js';
import {
  activityIndexPosition,
  eventItems,
  itemToEvent,
  itemToMessage,
  itemToPlan,
  itemToProfile,
  itemToReceipt,
  itemToTicket,
  messageToItem,
  openTicketIndexKeys,
  resolvedIndexKeys,
  receiptToItem,
  setToArray,
  threadKeyItem,
  ticketToItem,
} from './dynamo-items.js';
import { keys, partitions } from './dynamo-keys.js';
import { assertItemSize, chunk, conditional, rememberedNumber, takeRememberedNumber, type Item, type Table, type UpdateParts } from './dynamo-table.js';
import { TABLE_KEYS } from './table.js';

/** The ticket item's index keys, as expression attribute names. */
const INDEX_NAMES = { '#g1p': TABLE_KEYS.byRequester.pk, '#g1s': TABLE_KEYS.byRequester.sk, '#g2p': TABLE_KEYS.openByActivity.pk, '#g2s': TABLE_KEYS.openByActivity.sk };

/**
 * The update of a ticket item for these changes (and new activity): the sparse GSIs hold open
 * tickets (and openByActivity resolved ones, by when), so their keys follow the status, priority
 * and activity after the write.
 */
function ticketUpdate(ticket: Ticket, changes: TicketChanges & { stale?: boolean; staleSince?: string | null; nudgedAt?: string }, activityAt: string | null): UpdateParts {
  const u: UpdateParts = { sets: [], removes: [], adds: [], names: {}, values: {} };
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
    Object.assign(u.names, INDEX_NAMES);
    const resolved = resolvedIndexKeys(after);
    if (isOpen(after.status)) {
      u.sets.push('#g1p = :g1p', '#g1s = :gs', '#g2p = :g2p', '#g2s = :gs');
      Object.assign(u.values, openIndexValues(after));
    } else if (resolved) {
      u.removes.push('#g1p', '#g1s');
      u.sets.push('#g2p = :g2p', '#g2s = :g2s');
      Object.assign(u.values, { ':g2p': resolved[TABLE_KEYS.openByActivity.pk], ':g2s': resolved[TABLE_KEYS.openByActivity.sk] });
    } else {
      u.removes.push('#g1p', '#g1s', '#g2p', '#g2s');
    }
  }
  return u;
}

/** The values for INDEX_NAMES of an open ticket: both sort keys are its last activity. */
function openIndexValues(t: Ticket): Record<string, string> {
  const index = openTicketIndexKeys(t);
  return { ':g1p': index[TABLE_KEYS.byRequester.pk] as string, ':g2p': index[TABLE_KEYS.openByActivity.pk] as string, ':gs': t.lastActivityAt };
}

export class DynamoTicketBook implements TicketBook {
  constructor(private readonly table: Table) {}

  async lookUpInbound(q: InboundLookup): Promise<InboundLookupResult> {
    const wanted = [
      ...q.receiptIds.map(keys.receipt),
      ...q.threadKeys.map(keys.threadKey),
      ...q.ticketKeys.map(keys.ticket),
      ...q.messageItems.map((m) => keys.message(m.ticketKey, m.messageKey)),
      ...(q.ticketNumber !== null ? [keys.alias(q.ticketNumber)] : []),
      ...(q.profile ? [keys.requester(q.profile)] : []),
      ...(q.numberFor ? [keys.counter] : []),
      keys.plan(q.planKey),
    ];
    const [items, openTickets] = await Promise.all([
      this.table.batchGet(wanted),
      q.requester ? this.#openTicketsOf(q.requester.address, q.requester.since) : Promise.resolve([]),
    ]);
    const result: InboundLookupResult = {
      receipts: [],
      threadKeyHits: new Map(),
      threadKeyRoles: new Map(),
      threadKeyIncidents: new Map(),
      tickets: new Map(),
      messagesFound: new Set(),
      ticketByNumber: null,
      openTicketsOfRequester: openTickets,
      profile: null,
      plan: null,
      sentTo: new Map(),
    };
    const aliasKey = this.#collect(items, result, q);
    // One more read, only where the first asks for it: the tagged ticket (its participants decide
    // whether the tag counts), and the message and ticket a receipt written beside them names.
    const beside = q.confirmWith ? result.receipts.find((r) => r.state === 'done' && r.withMessage && r.ticketKey)?.ticketKey : null;
    const more = [...(aliasKey && !result.tickets.has(aliasKey) ? [keys.ticket(aliasKey)] : []), ...(beside ? [keys.ticket(beside), keys.message(beside, q.confirmWith!)] : [])];
    if (more.length) this.#collect(await this.table.batchGet(more), result, q);
    const tagged = aliasKey ? result.tickets.get(aliasKey) : undefined;
    if (tagged && tagged.number === q.ticketNumber) result.ticketByNumber = tagged;
    return result;
  }

  /** Sorts the items of an inbound lookup into its result; resolves to the ticket key a tag's alias names. */
  #collect(items: Item[], result: InboundLookupResult, q: InboundLookup): string | null {
    let aliasKey: string | null = null;
    for (const item of items) {
      const pk = item.pk as string;
      if (pk.startsWith('R#')) result.receipts.push(itemToReceipt(item));
      else if (pk.startsWith('K#')) {
        const id = item.messageId as string;
        result.threadKeyHits.set(id, item.ticketKey as string);
        if (item.role) result.threadKeyRoles.set(id, item.role as string);
        if (item.incident) result.threadKeyIncidents.set(id, item.incident as string);
        if (item.sentTo) result.sentTo.set(id, setToArray(item.sentTo));
      }
      else if (pk.startsWith('O#')) result.plan = itemToPlan(item);
      else if (pk.startsWith('T#') && item.sk === 'T') result.tickets.set(item.key as string, itemToTicket(item));
      else if (pk.startsWith('T#')) result.messagesFound.add(`${item.ticketKey}/${item.key}`);
      else if (pk.startsWith('N#')) aliasKey = item.ticketKey as string;
      else if (pk.startsWith('U#')) result.profile = itemToProfile(item);
      else if (pk === keys.counter.pk && q.numberFor) result.pendingNumber = (item[rememberedNumber(q.numberFor)] as number | undefined) ?? null;
    }
    return aliasKey;
  }

  async getTickets(ticketKeys: string[]): Promise<Map<string, Ticket>> {
    const items = await this.table.batchGet([...new Set(ticketKeys)].map(keys.ticket));
    return new Map(items.map((item) => [item.key as string, itemToTicket(item)]));
  }

  async nextTicketNumber(ticketKey: string): Promise<{ number: number; ours: boolean }> {
    // The number is remembered on the counter under the ticket's key until the ticket holds it,
    // so a delivery that stops between the two takes the same number again, never a second one.
    const taken = await takeRememberedNumber(this.table, keys.counter, ticketKey);
    if (taken !== null) return { number: taken, ours: true };
    const remembered = (await this.table.get(keys.counter))?.[rememberedNumber(ticketKey)] as number | undefined;
    if (remembered !== undefined) return { number: remembered, ours: false };
    // Forgotten in between: the ticket holds its number by now.
    const ticket = await this.table.get(keys.ticket(ticketKey));
    return { number: ticket!.number as number, ours: false };
  }

  async returnTicketNumber(ticketKey: string, number: number): Promise<boolean> {
    return conditional(
      this.table.update({
        Key: keys.counter,
        UpdateExpression: 'SET #n = :before REMOVE #p',
        // Only the last number taken can go back; the remembered one may already be forgotten.
        ConditionExpression: '#n = :number',
        ExpressionAttributeNames: { '#n': 'n', '#p': rememberedNumber(ticketKey) },
        ExpressionAttributeValues: { ':number': number, ':before': number - 1 },
      }),
    );
  }

  async forgetTicketNumber(ticketKey: string, number: number): Promise<void> {
    await conditional(
      this.table.update({
        Key: keys.counter,
        UpdateExpression: 'REMOVE #p',
        ConditionExpression: '#p = :number',
        ExpressionAttributeNames: { '#p': rememberedNumber(ticketKey) },
        ExpressionAttributeValues: { ':number': number },
      }),
    );
  }

  async createTicket(w: NewTicketWrite): Promise<boolean> {
    const item = ticketToItem(w.ticket);
    assertItemSize(item);
    const [created] = await Promise.all([
      conditional(this.table.put({ Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
      this.table.batchWrite([
        ...w.threadKeys.map((id) => threadKeyItem(id, w.ticket.key)),
        messageToItem(w.message),
        ...eventItems(w.ticket.key, w.message.key, w.events),
      ]),
      this.#touchRequester(w.ticket),
    ]);
    return created;
  }

  async numberTicket(ticket: Ticket): Promise<Ticket> {
    const open = isOpen(ticket.status);
    const numbered = await conditional(
      Promise.all([
        this.table.update({
          Key: keys.ticket(ticket.key),
          UpdateExpression: `SET #n = :n, #id = :id, #g3p = :g3p${open ? ', #g1p = :g1p, #g1s = :gs, #g2p = :g2p, #g2s = :gs' : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#n) OR #n = :n)',
          ExpressionAttributeNames: { '#n': 'number', '#id': 'id', '#g3p': TABLE_KEYS.byActivity.pk, ...(open ? INDEX_NAMES : {}) },
          ExpressionAttributeValues: { ':n': ticket.number, ':id': ticket.id, ':g3p': partitions.allTickets, ...(open ? openIndexValues(ticket) : {}) },
        }),
        // An alias whose ticket took another number is never followed: getTicketById checks the number.
        this.table.batchWrite([{ ...keys.alias(ticket.number), type: 'alias', ticketKey: ticket.key }]),
      ]),
    );
    if (numbered) return ticket;
    return itemToTicket((await this.table.get(keys.ticket(ticket.key)))!);
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
    const beside = w.receipts.filter((r) => r.withMessage);
    await Promise.all([
      this.table.updateExisting(keys.ticket(w.ticket.key), update),
      this.table.batchWrite([
        ...w.threadKeys.map((id) => threadKeyItem(id, w.ticket.key, w.sentTo ? { sentTo: w.sentTo } : {})),
        messageToItem(w.message),
        ...eventItems(w.ticket.key, w.message.key, w.events ?? []),
        ...beside.map(receiptToItem),
      ]),
    ]);
    await this.table.batchWrite(w.receipts.filter((r) => !r.withMessage).map(receiptToItem));
  }

  async changeTicket(w: TicketChangeWrite): Promise<void> {
    await Promise.all([
      this.table.updateExisting(keys.ticket(w.ticket.key), ticketUpdate(w.ticket, w.changes, null)),
      this.table.batchWrite(eventItems(w.ticket.key, w.causeKey, w.events)),
    ]);
  }

  async recordMerge(w: MergeWrite): Promise<void> {
    await Promise.all([
      this.table.update({
        Key: keys.ticket(w.target.key),
        UpdateExpression: 'ADD mergedKeys :mk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':mk': new Set(w.source.messageKeys.length ? w.source.messageKeys : [w.source.key]) },
      }),
      this.table.batchWrite(eventItems(w.target.key, `merge-${w.source.key}`, [w.event])),
    ]);
  }

  async staleCandidates(priority: string | null, idleSince: string): Promise<Ticket[]> {
    const items = await this.table.queryAll({
      IndexName: TABLE_KEYS.openByActivity.name,
      KeyConditionExpression: '#p = :p AND #s <= :idle',
      ExpressionAttributeNames: { '#p': TABLE_KEYS.openByActivity.pk, '#s': TABLE_KEYS.openByActivity.sk },
      ExpressionAttributeValues: { ':p': partitions.openTickets(priority), ':idle': idleSince },
    });
    return items.map(itemToTicket);
  }

  async setStale(ticket: Ticket, staleSince: string | null): Promise<void> {
    await this.table.updateExisting(keys.ticket(ticket.key), ticketUpdate(ticket, { stale: staleSince !== null, staleSince }, null));
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

  async openTickets(): Promise<Ticket[]> {
    const { name, pk } = TABLE_KEYS.openByActivity;
    const buckets = await Promise.all(
      [...PRIORITIES, null].map((priority) =>
        this.table.queryAll({ IndexName: name, KeyConditionExpression: '#p = :p', ExpressionAttributeNames: { '#p': pk }, ExpressionAttributeValues: { ':p': partitions.openTickets(priority) } }),
      ),
    );
    return buckets.flat().map(itemToTicket);
  }

  async resolvedSince(since: string): Promise<Ticket[]> {
    const { name, pk, sk } = TABLE_KEYS.openByActivity;
    const items = await this.table.queryAll({
      IndexName: name,
      KeyConditionExpression: '#p = :p AND #s >= :since',
      ExpressionAttributeNames: { '#p': pk, '#s': sk },
      ExpressionAttributeValues: { ':p': partitions.resolvedTickets, ':since': since },
    });
    return items.map(itemToTicket);
  }

  async ticketsByActivity(from: ActivityPosition | null, limit: number): Promise<TicketPage> {
    const { name, pk } = TABLE_KEYS.byActivity;
    const { items, last } = await this.table.queryPage({
      IndexName: name,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': pk },
      ExpressionAttributeValues: { ':p': partitions.allTickets },
      ScanIndexForward: false,
      Limit: limit,
      ...(from ? { ExclusiveStartKey: activityIndexPosition(from) } : {}),
    });
    return { tickets: items.map(itemToTicket), end: last === undefined };
  }

  async reindexTickets(): Promise<number> {
    const names = { '#n': 'number', '#g2p': TABLE_KEYS.openByActivity.pk, '#g3p': TABLE_KEYS.byActivity.pk, '#st': 'status' };
    const unindexed = await this.table.scanAll(
      'begins_with(pk, :t) AND sk = :s AND attribute_exists(#n) AND (attribute_not_exists(#g3p) OR (#st = :resolved AND attribute_not_exists(#g2p)))',
      { ':t': 'T#', ':s': 'T', ':resolved': 'resolved' },
      names,
    );
    const { openByActivity, byActivity } = TABLE_KEYS;
    for (const part of chunk(unindexed, 25)) {
      await Promise.all(
        part.flatMap((item) => {
          const key = { pk: item.pk, sk: item.sk };
          const resolved = resolvedIndexKeys(itemToTicket(item));
          return [
            conditional(this.table.update({ Key: key, UpdateExpression: 'SET #g3p = :g3p', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeNames: { '#g3p': byActivity.pk }, ExpressionAttributeValues: { ':g3p': partitions.allTickets } })),
            // Only while it is still resolved and unindexed: a change since has set its keys itself.
            resolved
              ? conditional(
                  this.table.update({
                    Key: key,
                    UpdateExpression: 'SET #g2p = :g2p, #g2s = :g2s',
                    ConditionExpression: '#st = :resolved AND attribute_not_exists(#g2p)',
                    ExpressionAttributeNames: { '#g2p': openByActivity.pk, '#g2s': openByActivity.sk, '#st': 'status' },
                    ExpressionAttributeValues: { ':g2p': resolved[openByActivity.pk], ':g2s': resolved[openByActivity.sk], ':resolved': 'resolved' },
                  }),
                )
              : null,
          ];
        }),
      );
    }
    return unindexed.length;
  }

  async listMessages(ticketKey: string): Promise<ThreadMessage[]> {
    // An auto-reply carries the time of the mail it answers: the mail comes first.
    const answerAfter = (m: ThreadMessage) => (m.direction === 'outbound' ? 1 : 0);
    return (await this.#partitionOf(ticketKey, 'M#'))
      .map(itemToMessage)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || answerAfter(a) - answerAfter(b) || a.key.localeCompare(b.key));
  }

  async listEvents(ticketKey: string): Promise<TicketEvent[]> {
    return (await this.#partitionOf(ticketKey, 'E#')).map(itemToEvent).sort((a, b) => a.at.localeCompare(b.at));
  }

  /** The items of one kind (sort-key prefix) in a ticket's partition. */
  #partitionOf(ticketKey: string, kind: 'M#' | 'E#') {
    return this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :kind)',
      ExpressionAttributeValues: { ':pk': keys.ticket(ticketKey).pk, ':kind': kind },
    });
  }

  async #openTicketsOf(address: string, since: string): Promise<Ticket[]> {
    const { name, pk, sk } = TABLE_KEYS.byRequester;
    const items = await this.table.queryAll({
      IndexName: name,
      KeyConditionExpression: '#pk = :pk AND #sk >= :since',
      ExpressionAttributeNames: { '#pk': pk, '#sk': sk },
      ExpressionAttributeValues: { ':pk': partitions.requesterTickets(address), ':since': since },
    });
    return items.map(itemToTicket);
  }

  #touchRequester(t: Ticket): Promise<unknown> {
    return this.table.update({
      Key: keys.requester(t.requester),
      UpdateExpression: 'SET firstSeenAt = if_not_exists(firstSeenAt, :t), lastSeenAt = :t, #name = :name, #type = :type ADD ticketKeys :k',
      ExpressionAttributeNames: { '#name': 'name', '#type': 'type' },
      ExpressionAttributeValues: { ':t': t.createdAt, ':name': t.requesterName, ':type': 'requester', ':k': new Set([t.key]) },
    });
  }
}

