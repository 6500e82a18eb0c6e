/**
 * Where the IMAP poller got to in one mailbox folder, and who is polling it right now: two
 * items of their own on the ticket table (pk `I#<account>#<folder>`, sk `I` and `L`).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_KEYS } from '../aws/table.js';

export interface ImapCheckpoint {
  /** UIDVALIDITY of the folder when lastUid was reached (a string: IMAP allows 32 bits unsigned, imapflow gives a bigint). */
  uidValidity: string;
  /** Every message up to and including this UID has been processed. */
  lastUid: number;
}

export const imapKeys = {
  checkpoint: (account: string, folder: string) => ({ pk: `I#${account}#${folder}`, sk: 'I' }),
  lock: (account: string, folder: string) => ({ pk: `I#${account}#${folder}`, sk: 'L' }),
};

export class MailboxLockedError extends Error {
  override name = 'MailboxLockedError';
  constructor(
    readonly mailbox: string,
    readonly until: Date,
  ) {
    super(`${mailbox} is locked by another poller until ${until.toISOString()}`);
  }
}

function isConditionalFailure(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException';
}

export class ImapCheckpointStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly account: string,
    private readonly folder: string,
  ) {}

  get mailbox(): string {
    return `${this.account}/${this.folder}`;
  }

  async get(): Promise<ImapCheckpoint | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: imapKeys.checkpoint(this.account, this.folder), ConsistentRead: true }));
    if (!out.Item) return null;
    return { uidValidity: String(out.Item.uidValidity), lastUid: Number(out.Item.lastUid) };
  }

  async put(checkpoint: ImapCheckpoint, at: Date): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...imapKeys.checkpoint(this.account, this.folder), type: 'imap-checkpoint', ...checkpoint, at: at.toISOString() },
      }),
    );
  }

  /**
   * Takes the folder's lock for `ttlMs`, or throws MailboxLockedError. An expired lock (a poller
   * that died) is taken over; DynamoDB's TTL removes forgotten ones eventually.
   */
  async lock(owner: string, now: Date, ttlMs: number): Promise<void> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const expiresAt = Math.ceil((now.getTime() + ttlMs) / 1000);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...imapKeys.lock(this.account, this.folder), type: 'imap-lock', owner, [TABLE_KEYS.ttl]: expiresAt, at: now.toISOString() },
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
          ExpressionAttributeNames: { '#ttl': TABLE_KEYS.ttl },
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      const held = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: imapKeys.lock(this.account, this.folder), ConsistentRead: true }));
      const until = Number(held.Item?.[TABLE_KEYS.ttl] ?? expiresAt);
      throw new MailboxLockedError(this.mailbox, new Date(until * 1000));
    }
  }

  /** Releases the lock if it is still ours (an expired one may have been taken over). */
  async unlock(owner: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: imapKeys.lock(this.account, this.folder),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
    }
  }
}
