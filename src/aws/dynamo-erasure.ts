/**
 * Erasing one person from the table (`ticketing forget`): every item naming them is found with
 * one paged Scan (a privacy request is rare; no index lists "everything about an address"),
 * cleaned in memory, and written back attribute by attribute, so a concurrent delivery's other
 * changes to the same item survive.
 *
 * Per item:
 * - their requester profile and their rate-limit slots: deleted;
 * - a ticket they opened: the requester becomes the placeholder (and its index key with it),
 *   their name, the duplicate fingerprint and the last excerpt go; as a participant they leave;
 * - a message they sent: its text, whole-text and attachment keys and raw key go (the objects
 *   are deleted by the caller first), the message stays on its thread with its time and reason;
 * - a receipt of mail they sent: kept (a re-delivery must stay a re-delivery), without their
 *   address and subject; a quarantined one leaves the quarantine, its raw mail being gone;
 * - a pending mail to them in an effect plan: suppressed, so nothing is ever sent to the placeholder;
 * - everything else (history, mail to them, plans, sent-mail records): their address and names
 *   replaced wherever they occur, identifiers (keys, Message-IDs, object keys) left as they are.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isOpen, type TicketStatus } from '../domain/ticket.js';
import type { ErasurePlan, ErasureStore, ErasureSummary, PersonErasure } from '../pipeline/ports.js';
import { partitions } from './dynamo-keys.js';
import { conditional, Table, type Item } from './dynamo-table.js';
import { DynamoTicketBook } from './dynamo-tickets.js';
import { TABLE_KEYS } from './table.js';

/**
 * Attributes that identify rather than describe (a Message-ID is how replies find their ticket):
 * only the address itself is replaced in them, where one contains it (the limit notice's plan key
 * does), never a name.
 */
const IDENTIFIERS = new Set([
  'pk',
  'sk',
  'type',
  'key',
  'id',
  'ticketKey',
  'messageId',
  'originMessageId',
  'outlookThreadIndex',
  'causeMessageId',
  'inReplyTo',
  'references',
  'planKey',
  'effectId',
  'receiptIds',
  'order',
  'messageKeys',
  'mergedKeys',
  'ticketKeys',
  'returnPath',
  'rawKey',
  'rawBlobKey',
  'textBlobKey',
  'blobKey',
  'providerId',
  'flaggedKeys',
  TABLE_KEYS.byRequester.sk,
  TABLE_KEYS.openByActivity.pk,
  TABLE_KEYS.openByActivity.sk,
  TABLE_KEYS.ttl,
]);

/** The erasure port on the ticket table (beside the ticket store, which the inbound path uses). */
export class DynamoErasureStore implements ErasureStore {
  private readonly table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.table = new Table(doc, tableName);
  }

  knownNames(address: string): Promise<string[]> {
    const tickets = new DynamoTicketBook(this.table);
    return knownNames(this.table, address, (ticketKeys) => tickets.getTickets(ticketKeys));
  }

  planErasure(e: PersonErasure): Promise<ErasurePlan> {
    return planErasure(this.table, e);
  }

  applyErasure(plan: ErasurePlan): Promise<void> {
    return applyErasure(this.table, plan);
  }
}

/** One item's change: deleted, or these attributes set and removed. */
interface ItemWrite {
  key: { pk: string; sk: string };
  delete?: true;
  set?: Item;
  remove?: string[];
  /** A new item (the placeholder's profile). */
  put?: Item;
  /** The item under a new key (its old key named them): written, then the old one deleted. */
  moveTo?: Item;
}

async function planErasure(table: Table, e: PersonErasure): Promise<ErasurePlan> {
  const summary: ErasureSummary = { profile: false, ticketsOpened: [], stillOpen: [], ticketsNaming: [], messagesSent: 0, messagesNaming: 0, historyEntries: 0, receipts: 0, quarantined: 0, otherRecords: 0 };
  const writes: ItemWrite[] = [];
  const rawKeys = new Set<string>();
  const blobKeys = new Set<string>();
  const profilePk = `U#${e.address}`;
  const isThem = (value: unknown) => typeof value === 'string' && value.toLowerCase() === e.address;

  for await (const item of scanAll(table)) {
    const key = { pk: item.pk as string, sk: item.sk as string };
    if (key.pk === profilePk) {
      summary.profile = true;
      writes.push({ key, delete: true });
      continue;
    }
    if (key.pk.startsWith('L#') && key.pk.toLowerCase().includes(e.address)) {
      summary.otherRecords++;
      writes.push({ key, delete: true });
      continue;
    }
    if (!mentions(item, e)) continue;
    const after = scrubItem(item, e) as Item;
    const movedKey = { pk: replaceAddress(key.pk, e), sk: replaceAddress(key.sk, e) };
    switch (item.type) {
      case 'ticket': {
        const id = (item.id as string | undefined) || (item.key as string);
        if (isThem(item.requester)) {
          Object.assign(after, { requester: e.placeholder, requesterName: '', fingerprint: '', lastExcerpt: '' });
          if (item[TABLE_KEYS.byRequester.pk]) after[TABLE_KEYS.byRequester.pk] = partitions.requesterTickets(e.placeholder);
          summary.ticketsOpened.push(id);
          if (isOpen(item.status as TicketStatus)) summary.stillOpen.push(id);
        } else summary.ticketsNaming.push(id);
        const participants = item.participants instanceof Set ? [...(item.participants as Set<string>)] : [];
        const kept = participants.filter((p) => !isThem(p));
        if (kept.length !== participants.length) after.participants = kept.length ? new Set(kept) : undefined;
        break;
      }
      case 'message':
        if (isThem(item.from) && item.direction === 'inbound') {
          summary.messagesSent++;
          if (item.rawBlobKey) rawKeys.add(item.rawBlobKey as string);
          if (item.textBlobKey) blobKeys.add(item.textBlobKey as string);
          emptyMessage(after, item, e, blobKeys);
        } else summary.messagesNaming++;
        break;
      case 'event':
        summary.historyEntries++;
        break;
      case 'receipt':
        if (isThem(item.from)) {
          summary.receipts++;
          if (item.rawKey) rawKeys.add(item.rawKey as string);
          if (item.state === 'quarantined') {
            summary.quarantined++;
            Object.assign(after, { state: 'done', outcome: 'erased', reason: e.remarks.unreplayable });
            after[TABLE_KEYS.openByActivity.pk] = undefined;
            after[TABLE_KEYS.openByActivity.sk] = undefined;
          }
        } else summary.otherRecords++;
        break;
      case 'plan':
        summary.otherRecords++;
        suppressMailTo(after, e);
        break;
      default:
        summary.otherRecords++;
    }
    if (movedKey.pk !== key.pk || movedKey.sk !== key.sk) {
      writes.push({ key, moveTo: withoutUndefined({ ...after, ...movedKey }) });
      continue;
    }
    const write = diff(key, item, after);
    if (write) writes.push(write);
  }

  for (const ids of [summary.ticketsOpened, summary.stillOpen, summary.ticketsNaming]) ids.sort(byNumber);
  // Tickets that keep the placeholder as requester: a profile marks it unreachable, so the stale
  // job lists those tickets for IT instead of writing to an address that is no one's.
  if (summary.ticketsOpened.length) {
    writes.push({
      key: { pk: `U#${e.placeholder}`, sk: 'U' },
      put: { pk: `U#${e.placeholder}`, sk: 'U', type: 'requester', name: '', firstSeenAt: e.at, bouncing: true, bounceDetail: e.remarks.noOneToWriteTo },
    });
  }
  return { erasure: e, summary, rawKeys: [...rawKeys].sort(), blobKeys: [...blobKeys].sort(), writes };
}

async function applyErasure(table: Table, plan: ErasurePlan): Promise<void> {
  const writes = plan.writes as ItemWrite[];
  // A handful of items per person: one request each, a few at a time.
  for (let i = 0; i < writes.length; i += 10) {
    await Promise.all(writes.slice(i, i + 10).map((w) => write(table, w)));
  }
}

async function write(table: Table, w: ItemWrite): Promise<void> {
  if (w.delete) {
    await table.delete({ Key: w.key });
    return;
  }
  if (w.put) {
    await table.put({ Item: w.put });
    return;
  }
  if (w.moveTo) {
    await table.put({ Item: w.moveTo });
    await table.delete({ Key: w.key });
    return;
  }
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(w.set ?? {}).map(([name, value], i) => {
    names[`#s${i}`] = name;
    values[`:s${i}`] = value;
    return `#s${i} = :s${i}`;
  });
  const removes = (w.remove ?? []).map((name, i) => {
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  // An item deleted meanwhile (a rate-limit slot's TTL) is not brought back.
  await conditional(table.updateExisting(w.key, { sets, removes, adds: [], names, values }));
}

/** The names on their profile and on the tickets they opened (the profile lists those). */
async function knownNames(table: Table, address: string, getTickets: (keys: string[]) => Promise<Map<string, { requester: string; requesterName: string }>>): Promise<string[]> {
  const profile = await table.get({ pk: `U#${address}`, sk: 'U' });
  const names = new Set<string>();
  if (typeof profile?.name === 'string' && profile.name.trim()) names.add(profile.name.trim());
  const ticketKeys = profile?.ticketKeys instanceof Set ? [...(profile.ticketKeys as Set<string>)] : [];
  for (const ticket of (ticketKeys.length ? await getTickets(ticketKeys) : new Map()).values()) {
    if (ticket.requester === address && ticket.requesterName.trim()) names.add(ticket.requesterName.trim());
  }
  return [...names];
}

async function* scanAll(table: Table): AsyncGenerator<Item> {
  let start: Item | undefined;
  do {
    const out = await table.doc.send(new ScanCommand({ TableName: table.name, ExclusiveStartKey: start, ConsistentRead: true }));
    yield* (out.Items ?? []) as Item[];
    start = out.LastEvaluatedKey;
  } while (start);
}

/** The address (any case) replaced by the placeholder; names left alone. */
function replaceAddress(text: string, e: PersonErasure): string {
  const at = text.toLowerCase().indexOf(e.address);
  return at < 0 ? text : replaceAddress(text.slice(0, at) + e.placeholder + text.slice(at + e.address.length), e);
}

function withoutUndefined(item: Item): Item {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined && !(v instanceof Set && v.size === 0)));
}

/** Whether the item names them: their address anywhere, a name of theirs in a describing attribute. */
function mentions(value: unknown, e: PersonErasure, name?: string): boolean {
  if (name !== undefined && IDENTIFIERS.has(name)) return identifierMentions(value, e);
  if (typeof value === 'string') return e.names(value);
  if (value instanceof Set || Array.isArray(value)) return [...(value as Iterable<unknown>)].some((v) => mentions(v, e));
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) return Object.entries(value).some(([k, v]) => mentions(v, e, k));
  return false;
}

function identifierMentions(value: unknown, e: PersonErasure): boolean {
  if (typeof value === 'string') return value.toLowerCase().includes(e.address);
  if (value instanceof Set || Array.isArray(value)) return [...(value as Iterable<unknown>)].some((v) => identifierMentions(v, e));
  return false;
}

function scrubIdentifier(value: unknown, e: PersonErasure): unknown {
  if (typeof value === 'string') return replaceAddress(value, e);
  if (value instanceof Set) return new Set([...(value as Set<unknown>)].map((v) => scrubIdentifier(v, e)));
  if (Array.isArray(value)) return value.map((v) => scrubIdentifier(v, e));
  return value;
}

/** A copy with their address and names replaced in every describing string (only the address in identifiers). */
function scrubItem(value: unknown, e: PersonErasure, name?: string, depth = 0): unknown {
  if (name !== undefined && IDENTIFIERS.has(name)) return scrubIdentifier(value, e);
  if (typeof value === 'string') return e.scrub(value);
  if (value instanceof Set) return new Set([...(value as Set<unknown>)].map((v) => scrubItem(v, e, undefined, depth + 1)));
  if (Array.isArray(value)) return value.map((v) => scrubItem(v, e, undefined, depth + 1));
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const copy: Item = {};
    for (const [k, v] of Object.entries(value)) copy[k] = scrubItem(v, e, k, depth + 1);
    // A message they sent, kept inside another record (an append's decision in its plan).
    const inner = value as Item;
    if (depth > 0 && inner.visibleText !== undefined && inner.direction === 'inbound' && typeof inner.from === 'string' && inner.from.toLowerCase() === e.address) {
      emptyMessage(copy, inner, e, new Set());
    }
    return copy;
  }
  return value;
}

/** Their message, emptied: what stays is that a message came, when, and why it is on the thread. */
function emptyMessage(after: Item, before: Item, e: PersonErasure, blobKeys: Set<string>): void {
  const attachments = Array.isArray(before.attachments) ? (before.attachments as { contentType?: string; size?: number; blobKey?: string }[]) : [];
  for (const a of attachments) if (a.blobKey) blobKeys.add(a.blobKey);
  Object.assign(after, {
    from: e.placeholder,
    visibleText: '',
    rawBlobKey: '',
    attachments: attachments.map((a) => ({ filename: '(erased)', contentType: a.contentType ?? 'application/octet-stream', size: a.size ?? 0 })),
    parseWarnings: [],
    reason: `${typeof after.reason === 'string' ? after.reason : ''}; ${e.note}`.replace(/^; /, ''),
    textBlobKey: undefined,
  });
}

/** Mail to them that has not gone out: suppressed, never to be sent (to the placeholder or anyone). */
function suppressMailTo(plan: Item, e: PersonErasure): void {
  const fx = plan.fx as Record<string, { state: string; detail: string | null; spec: { type: string; mail?: { to: string[]; cc: string[] } } }> | undefined;
  if (!fx) return;
  for (const effect of Object.values(fx)) {
    const mail = effect.spec.mail;
    if (effect.spec.type !== 'mail' || !mail || effect.state !== 'pending') continue;
    if ([...mail.to, ...mail.cc].includes(e.placeholder)) {
      effect.state = 'suppressed';
      effect.detail = e.remarks.notSent;
    }
  }
  const settled = Object.values(fx).every((effect) => effect.state !== 'pending' && effect.state !== 'sending');
  if (settled && plan[TABLE_KEYS.openByActivity.pk]) {
    plan[TABLE_KEYS.openByActivity.pk] = undefined;
    plan[TABLE_KEYS.openByActivity.sk] = undefined;
  }
}

function byNumber(a: string, b: string): number {
  return Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')) || a.localeCompare(b);
}

/** The attribute-level change from `before` to `after` (undefined: removed); null when nothing changed. */
function diff(key: ItemWrite['key'], before: Item, after: Item): ItemWrite | null {
  const set: Item = {};
  const remove: string[] = [];
  for (const [name, value] of Object.entries(after)) {
    if (name === 'pk' || name === 'sk') continue;
    if (value === undefined || (value instanceof Set && value.size === 0)) {
      if (before[name] !== undefined) remove.push(name);
    } else if (!same(before[name], value)) set[name] = value;
  }
  return Object.keys(set).length || remove.length ? { key, set, remove } : null;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, setsAsArrays) === JSON.stringify(b, setsAsArrays);
}

function setsAsArrays(_key: string, value: unknown): unknown {
  return value instanceof Set ? [...(value as Set<unknown>)].sort() : value;
}
