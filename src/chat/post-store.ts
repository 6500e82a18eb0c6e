/**
 * The chat port that makes each post happen once: a claim per (channel, event) taken before the
 * HTTP request and settled after it, and the Slack message each ticket's thread hangs under.
 * The DynamoDB adapter is src/aws/dynamo-chat.ts.
 */

/**
 * `sending`: a request is (or was, when a process died) on its way; `posted`: the channel took it;
 * `unconfirmed`: its answer was lost, so it may have been posted and is not sent again;
 * `pending`: refused for now (429, 5xx), to be tried again; `failed`: given up.
 */
export type ChatPostState = 'pending' | 'sending' | 'posted' | 'unconfirmed' | 'failed';

export interface ChatPostRecord {
  channel: string;
  eventId: string;
  state: ChatPostState;
  attempts: number;
  /** When the state was last set (ISO 8601). */
  at: string;
  /** Slack's message ts, when the post made one. */
  ts: string | null;
  /** Why it failed or is not confirmed, in words. */
  why: string | null;
}

export interface ChatPostStore {
  /** The record of this post, or null when none was ever claimed. */
  getPost(channel: string, eventId: string): Promise<ChatPostRecord | null>;
  /**
   * Moves the post to `sending` only if it is still in the state `expected` (null: no record
   * yet); false when another delivery got there first.
   */
  markSending(channel: string, eventId: string, expected: ChatPostRecord | null, at: string): Promise<boolean>;
  /** Settles the post: posted (with Slack's ts), back to pending (a refused request, to retry) or failed. */
  settlePost(record: ChatPostRecord): Promise<void>;
  /** The ts of the first Slack message about this ticket in this channel, or null. */
  threadOf(channel: string, ticketId: string): Promise<string | null>;
  /** Keeps `ts` as the ticket's thread in this channel unless one is kept already; returns the one kept. */
  keepThread(channel: string, ticketId: string, ts: string, at: string): Promise<string>;
}
