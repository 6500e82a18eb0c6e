/**
 * The delivery ledger on the table: receipts of what arrived (and the quarantine, a partition of
 * the sparse index), effect plans (DynamoPlans), the hourly slots of limits, the records of mail
 * we sent, and requester profiles with their bouncing flag.
 */
import type { RequesterProfile } from '../domain/ticket.js';
import type { DeliveryLedger, LimitSlot, OutboundWrite, ReceiptRecord } from '../pipeline/ports.js';
import { itemToProfile, itemToReceipt, messageToItem, receiptToItem, threadKeyItem } from './dynamo-items.js';
import { keys, partitions } from './dynamo-keys.js';
import { DynamoPlans } from './dynamo-plans.js';
import { conditional } from './dynamo-table.js';
import { TABLE_KEYS } from './table.js';

/** Rate-limit counters outlive their hour a little, then DynamoDB's TTL deletes them. */
const RATE_LIMIT_TTL_SECONDS = 3 * 3600;

export class DynamoDeliveryLedger extends DynamoPlans implements DeliveryLedger {
  async recordReceipts(receipts: ReceiptRecord[]): Promise<void> {
    await this.table.batchWrite(receipts.map(receiptToItem));
  }

  async getReceipts(ids: string[]): Promise<ReceiptRecord[]> {
    return (await this.table.batchGet(ids.map(keys.receipt))).map(itemToReceipt);
  }

  async listQuarantine(): Promise<ReceiptRecord[]> {
    const items = await this.table.queryAll({
      IndexName: TABLE_KEYS.openByActivity.name,
      KeyConditionExpression: '#p = :q',
      ExpressionAttributeNames: { '#p': TABLE_KEYS.openByActivity.pk },
      ExpressionAttributeValues: { ':q': partitions.quarantine },
    });
    // A sha: and a mid: record can describe the same delivery; show each raw object once.
    const byRaw = new Map<string, ReceiptRecord>();
    for (const r of items.map(itemToReceipt)) byRaw.set(r.rawKey, r);
    return [...byRaw.values()];
  }

  async takeSlot(slot: LimitSlot): Promise<boolean> {
    const expiresAt = Math.floor(new Date(`${slot.hour}:00:00Z`).getTime() / 1000) + RATE_LIMIT_TTL_SECONDS;
    return conditional(
      this.table.update({
        Key: keys.limit(slot.scope, slot.hour),
        UpdateExpression: 'ADD #m :m SET #ttl = :ttl',
        // A set, not a counter: the member a replay brings again is already in it.
        ConditionExpression: 'attribute_not_exists(#m) OR size(#m) < :max OR contains(#m, :member)',
        ExpressionAttributeNames: { '#m': 'members', '#ttl': TABLE_KEYS.ttl },
        ExpressionAttributeValues: { ':m': new Set([slot.member]), ':member': slot.member, ':max': slot.max, ':ttl': expiresAt },
      }),
    );
  }

  async returnSlot(slot: LimitSlot): Promise<void> {
    await this.table.update({
      Key: keys.limit(slot.scope, slot.hour),
      UpdateExpression: 'DELETE #m :m',
      ExpressionAttributeNames: { '#m': 'members' },
      ExpressionAttributeValues: { ':m': new Set([slot.member]) },
    });
  }

  async recordOutbound(w: OutboundWrite): Promise<void> {
    await Promise.all([this.#onTicket(w), this.table.batchWrite([...threadKeysOf(w), messageToItem(w.message)])]);
  }

  async completeOutboundRecord(w: OutboundWrite): Promise<void> {
    await Promise.all([this.#onTicket(w), this.table.batchWrite(threadKeysOf(w))]);
  }

  /** The ticket's side of an outbound record: the message's key, and the texts we sent. */
  #onTicket(w: OutboundWrite) {
    const texts = w.outboundTexts ? { set: 'SET outboundTexts = :texts ', values: { ':texts': w.outboundTexts } } : { set: '', values: {} };
    return this.table.update({
      Key: keys.ticket(w.ticketKey),
      UpdateExpression: `${texts.set}ADD messageKeys :mk`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ...texts.values, ':mk': new Set([w.message.key]) },
    });
  }

  async outboundRecorded(messages: { ticketKey: string; messageKey: string }[]): Promise<Set<string>> {
    const items = await this.table.batchGet(messages.map((m) => keys.message(m.ticketKey, m.messageKey)));
    return new Set(items.map((item) => `${item.ticketKey as string}/${item.key as string}`));
  }

  async markBouncing(address: string, detail: string, at: string): Promise<void> {
    await this.table.update({
      Key: keys.requester(address),
      UpdateExpression: 'SET bouncing = :yes, bounceDetail = :detail, bouncedAt = :at, #type = :type',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':yes': true, ':detail': detail, ':at': at, ':type': 'requester' },
    });
  }

  async clearBouncing(address: string): Promise<void> {
    await conditional(
      this.table.update({
        Key: keys.requester(address),
        UpdateExpression: 'SET bouncing = :no REMOVE bounceDetail',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':no': false },
      }),
    );
  }

  async getProfiles(addresses: string[]): Promise<Map<string, RequesterProfile>> {
    const items = await this.table.batchGet([...new Set(addresses)].map(keys.requester));
    return new Map(items.map((item) => [itemToProfile(item).address, itemToProfile(item)]));
  }
}

/** An outbound record's thread keys: every id the mail may be quoted by, those a bounce may quote with its recipients. */
function threadKeysOf(w: OutboundWrite) {
  const ties = new Set(w.sentTo.keys);
  return [...new Set([...w.threadKeys, ...w.sentTo.keys])].map((id) =>
    threadKeyItem(id, w.ticketKey, { role: w.message.role, incident: w.message.incident, ...(ties.has(id) && w.sentTo.recipients.length ? { sentTo: w.sentTo.recipients } : {}) }),
  );
}
