/**
 * API keys in the ticket table: one partition holds them all (a team has a handful), one item
 * per key under its hash (the one read a request costs) and one per name (names are unique).
 */
import type { ApiKeyRecord, ApiKeyStore } from '../http/api-keys.js';
import { conditional, type Table } from './dynamo-table.js';

const PARTITION = 'A#keys';
const byHash = (hash: string) => ({ pk: PARTITION, sk: `H#${hash}` });
const byName = (name: string) => ({ pk: PARTITION, sk: `N#${name}` });

export class DynamoApiKeys implements ApiKeyStore {
  constructor(private readonly table: Table) {}

  async createApiKey(r: ApiKeyRecord): Promise<boolean> {
    // The name first, conditionally: of two keys made with one name at once, one wins.
    const claimed = await conditional(this.table.put({ Item: { ...byName(r.name), type: 'api-key-name', hash: r.hash }, ConditionExpression: 'attribute_not_exists(pk)' }));
    if (!claimed) return false;
    await this.table.put({ Item: { ...byHash(r.hash), type: 'api-key', ...r } });
    return true;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :h)',
      ExpressionAttributeValues: { ':p': PARTITION, ':h': 'H#' },
    });
    return items.map(toRecord).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async apiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    const item = await this.table.get(byHash(hash));
    return item ? toRecord(item) : null;
  }

  async revokeApiKey(name: string, at: string): Promise<boolean> {
    const named = await this.table.get(byName(name));
    if (!named) return false;
    return conditional(
      this.table.update({
        Key: byHash(named.hash as string),
        UpdateExpression: 'SET revokedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND revokedAt = :none',
        ExpressionAttributeValues: { ':at': at, ':none': null },
      }),
    );
  }
}

function toRecord(item: Record<string, unknown>): ApiKeyRecord {
  const { name, hash, hint, createdAt, revokedAt } = item as unknown as ApiKeyRecord;
  return { name, hash, hint, createdAt, revokedAt: revokedAt ?? null };
}
