/** Console sign-in links and sessions in the ticket table, each its own item, gone by TTL once expired. */
import type { ConsoleSession, ConsoleSessionStore, SignInRecord } from '../http/console/sessions.js';
import { conditional, type Table } from './dynamo-table.js';
import { TABLE_KEYS } from './table.js';

const signIn = (tokenHash: string) => ({ pk: `W#signin#${tokenHash}`, sk: 'W' });
const session = (id: string) => ({ pk: `W#session#${id}`, sk: 'W' });
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export class DynamoConsoleSessions implements ConsoleSessionStore {
  constructor(private readonly table: Table) {}

  async putSignIn(r: SignInRecord): Promise<void> {
    await this.table.put({ Item: { ...signIn(r.tokenHash), type: 'console-sign-in', ...r, [TABLE_KEYS.ttl]: epoch(r.validUntil) + 3600 } });
  }

  async useSignIn(tokenHash: string, browserHash: string, at: string): Promise<SignInRecord | null> {
    // One conditional write: of two uses at once, one wins.
    const used = await conditional(
      this.table.update({
        Key: signIn(tokenHash),
        UpdateExpression: 'SET usedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND validUntil > :at AND browserHash = :b',
        ExpressionAttributeValues: { ':at': at, ':b': browserHash },
      }),
    );
    if (!used) return null;
    const item = await this.table.get(signIn(tokenHash));
    if (!item) return null;
    const { address, validUntil } = item as unknown as SignInRecord;
    return { tokenHash, address, browserHash, validUntil };
  }

  async putSession(s: ConsoleSession, expiresAt: string): Promise<void> {
    await this.table.put({ Item: { ...session(s.id), type: 'console-session', ...s, [TABLE_KEYS.ttl]: epoch(expiresAt) } });
  }

  async getSession(id: string): Promise<ConsoleSession | null> {
    const item = await this.table.get(session(id));
    if (!item) return null;
    const { address, createdAt, lastSeenAt } = item as unknown as ConsoleSession;
    return { id, address, createdAt, lastSeenAt };
  }

  async touchSession(id: string, at: string): Promise<void> {
    await conditional(this.table.update({ Key: session(id), UpdateExpression: 'SET lastSeenAt = :at', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':at': at } }));
  }

  async deleteSession(id: string): Promise<void> {
    await this.table.delete({ Key: session(id) });
  }
}
