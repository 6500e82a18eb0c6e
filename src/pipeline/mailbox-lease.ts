/**
 * One poller per mailbox folder at a time, whatever reads it (IMAP, Microsoft Graph, the Gmail
 * API): a lease in the store with an end, so a poller that dies holding it blocks the folder
 * only until then.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, JobRecords, MailboxFolder } from './ports.js';

/** Another poller holds the folder's lease: this poll is skipped, which is no failure. */
export class MailboxLockedError extends Error {
  override name = 'MailboxLockedError';
  constructor(
    readonly mailbox: string,
    readonly until: Date,
  ) {
    super(`${mailbox} is locked by another poller until ${until.toISOString()}`);
  }
}

/** How long the lease lasts if its poller dies holding it: a Lambda's longest run. */
export const DEFAULT_LEASE_MS = 15 * 60_000;

/**
 * Runs `poll` holding the folder's lease, and gives the lease back after, however `poll` ends.
 * Throws MailboxLockedError, without running `poll`, when another poller's lease has not run out.
 */
export async function withMailboxLease<T>(
  deps: { store: Pick<JobRecords, 'leaseMailbox' | 'releaseMailbox'>; clock: Clock },
  mailbox: MailboxFolder,
  leaseMs: number | undefined,
  poll: () => Promise<T>,
): Promise<T> {
  const owner = randomUUID();
  const now = deps.clock.now();
  // An expired lease (a poller that died holding it) is taken over.
  const held = await deps.store.leaseMailbox(mailbox, owner, now, new Date(now.getTime() + (leaseMs ?? DEFAULT_LEASE_MS)));
  if (held) throw new MailboxLockedError(`${mailbox.account}/${mailbox.folder}`, held.heldUntil);
  try {
    return await poll();
  } finally {
    await deps.store.releaseMailbox(mailbox, owner);
  }
}
