/**
 * The chat post claims and Slack threads on the ticket table: `H#<channel>#<event id>` / `H` per
 * post, `H#<channel>#T#<ticket id>` / `T` per thread. Both expire by TTL: a post record once no
 * retry of its event can come (90 days), a thread a year after it began.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChatPostRecord, ChatPostStore } from '../chat/post-store.js';
import { keys } from './dynamo-keys.js';
import { conditional, Table } from './dynamo-table.js';
import { TABLE_KEYS } from './table.js';

const DAY_SECONDS = 24 * 3600;
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export class DynamoChatPosts implements ChatPostStore {
  private readonly table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.table = new Table(doc, tableName);
  }

  async getPost(channel: string, eventId: string): Promise<ChatPostRecord | null> {
    const item = await this.table.get(keys.chatPost(channel, eventId));
    return item ? recordOf(item) : null;
  }

  async markSending(channel: string, eventId: string, expected: ChatPostRecord | null, at: string): Promise<boolean> {
    const attempts = (expected?.attempts ?? 0) + 1;
    return conditional(
      this.table.put({
        Item: { ...keys.chatPost(channel, eventId), type: 'chat-post', channel, eventId, state: 'sending', attempts, at, ts: null, why: null, [TABLE_KEYS.ttl]: epoch(at) + 90 * DAY_SECONDS },
        ...(expected
          ? { ConditionExpression: '#state = :state AND attempts = :attempts', ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: { ':state': expected.state, ':attempts': expected.attempts } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      }),
    );
  }

  async settlePost(record: ChatPostRecord): Promise<void> {
    await this.table.put({ Item: { ...keys.chatPost(record.channel, record.eventId), type: 'chat-post', ...record, [TABLE_KEYS.ttl]: epoch(record.at) + 90 * DAY_SECONDS } });
  }

  async threadOf(channel: string, ticketId: string): Promise<string | null> {
    const item = await this.table.get(keys.chatThread(channel, ticketId));
    return (item?.ts as string | undefined) ?? null;
  }

  async keepThread(channel: string, ticketId: string, ts: string, at: string): Promise<string> {
    const kept = await conditional(
      this.table.put({
        Item: { ...keys.chatThread(channel, ticketId), type: 'chat-thread', channel, ticketId, ts, at, [TABLE_KEYS.ttl]: epoch(at) + 365 * DAY_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return kept ? ts : ((await this.threadOf(channel, ticketId)) ?? ts);
  }
}

function recordOf(item: Record<string, unknown>): ChatPostRecord {
  return {
    channel: item.channel as string,
    eventId: item.eventId as string,
    state: item.state as ChatPostRecord['state'],
    attempts: Number(item.attempts ?? 0),
    at: item.at as string,
    ts: (item.ts as string | null) ?? null,
    why: (item.why as string | null) ?? null,
  };
}
