import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single table. GSI names and key attributes are shared by the store, the local
 * stack (which creates the table) and the CDK app (which declares it).
 *
 * - byRequester: open tickets of a requester, by last activity (duplicate merging).
 *   Sparse: only open (not resolved/closed) tickets carry gsi1pk.
 * - openByActivity: open tickets per priority bucket, by last activity (the stale job and the
 *   console's queue: one Query per priority), and resolved tickets by when, until closed
 *   ("resolved this week"). Sparse the same way; other partitions hold other records
 *   (src/aws/dynamo-keys.ts).
 * - byActivity: every numbered ticket in one partition, by last activity (the console's "All
 *   tickets" and search, the API's listing): a page is one Query read backwards from a position,
 *   so a search reads only as far back as it needs.
 */
export const TABLE_KEYS = {
  pk: 'pk',
  sk: 'sk',
  byRequester: { name: 'byRequester', pk: 'gsi1pk', sk: 'gsi1sk' },
  openByActivity: { name: 'openByActivity', pk: 'gsi2pk', sk: 'gsi2sk' },
  // Its sort key is the ticket's own lastActivityAt: the index follows every activity by itself.
  byActivity: { name: 'byActivity', pk: 'gsi3pk', sk: 'lastActivityAt' },
  ttl: 'expiresAt',
} as const;

export function createTableInput(tableName: string): CreateTableCommandInput {
  const { byRequester, openByActivity, byActivity } = TABLE_KEYS;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: TABLE_KEYS.pk, AttributeType: 'S' },
      { AttributeName: TABLE_KEYS.sk, AttributeType: 'S' },
      { AttributeName: byRequester.pk, AttributeType: 'S' },
      { AttributeName: byRequester.sk, AttributeType: 'S' },
      { AttributeName: openByActivity.pk, AttributeType: 'S' },
      { AttributeName: openByActivity.sk, AttributeType: 'S' },
      { AttributeName: byActivity.pk, AttributeType: 'S' },
      { AttributeName: byActivity.sk, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: TABLE_KEYS.pk, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sk, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [byRequester, openByActivity, byActivity].map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.pk, KeyType: 'HASH' as const },
        { AttributeName: index.sk, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}
