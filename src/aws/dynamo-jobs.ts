/**
 * Records of the scheduled jobs on the table: the stale job's runs (`J#stale#<slot>`, and
 * `J#stale#last`), and per IMAP folder the poller's checkpoint and lease (`I#<account>#<folder>`,
 * sk `I` and `L`; an abandoned lease is deleted by DynamoDB's TTL eventually), and a mailbox-API
 * poller's cursor (sk `C`).
 */
import type { JobRecords, MailboxCheckpoint, MailboxCursor, MailboxFolder, StaleRun } from '../pipeline/ports.js';
import { keys } from './dynamo-keys.js';
import { conditional, type Table } from './dynamo-table.js';
import { TABLE_KEYS } from './table.js';

const seconds = (at: Date) => at.getTime() / 1000;

export class DynamoJobRecords implements JobRecords {
  constructor(private readonly table: Table) {}

  async claimStaleRun(slot: string, at: string): Promise<StaleRun | null> {
    const claimed = await conditional(
      this.table.put({
        Item: { ...keys.staleRun(slot), type: 'stale-run', slot, startedAt: at, finishedAt: null, result: null, flaggedKeys: [] },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
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

  async mailboxCheckpoint(mailbox: MailboxFolder): Promise<MailboxCheckpoint | null> {
    const item = await this.table.get(keys.mailboxCheckpoint(mailbox));
    return item ? { uidValidity: String(item.uidValidity), lastUid: Number(item.lastUid) } : null;
  }

  async saveMailboxCheckpoint(mailbox: MailboxFolder, checkpoint: MailboxCheckpoint, at: Date): Promise<void> {
    await this.table.put({ Item: { ...keys.mailboxCheckpoint(mailbox), type: 'imap-checkpoint', ...checkpoint, at: at.toISOString() } });
  }

  async mailboxCursor(mailbox: MailboxFolder): Promise<MailboxCursor | null> {
    const item = await this.table.get(keys.mailboxCursor(mailbox));
    return item ? { cursor: (item.cursor as string | null) ?? null, pending: [...((item.pending as string[] | undefined) ?? [])] } : null;
  }

  async saveMailboxCursor(mailbox: MailboxFolder, cursor: MailboxCursor, at: Date): Promise<void> {
    await this.table.put({ Item: { ...keys.mailboxCursor(mailbox), type: 'mailbox-cursor', cursor: cursor.cursor, pending: cursor.pending, at: at.toISOString() } });
  }

  async leaseMailbox(mailbox: MailboxFolder, owner: string, at: Date, until: Date): Promise<{ heldUntil: Date } | null> {
    const expiresAt = Math.ceil(seconds(until));
    const taken = await conditional(
      this.table.put({
        Item: { ...keys.mailboxLease(mailbox), type: 'imap-lock', owner, [TABLE_KEYS.ttl]: expiresAt, at: at.toISOString() },
        ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
        ExpressionAttributeNames: { '#ttl': TABLE_KEYS.ttl },
        ExpressionAttributeValues: { ':now': Math.floor(seconds(at)) },
      }),
    );
    if (taken) return null;
    const held = await this.table.get(keys.mailboxLease(mailbox));
    return { heldUntil: new Date(Number(held?.[TABLE_KEYS.ttl] ?? expiresAt) * 1000) };
  }

  async releaseMailbox(mailbox: MailboxFolder, owner: string): Promise<void> {
    await conditional(
      this.table.delete({
        Key: keys.mailboxLease(mailbox),
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
    );
  }
}
