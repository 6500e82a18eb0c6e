/**
 * The loop of the `*-poll` commands (imap-poll, graph-poll, gmail-poll): one poll with `--once`
 * (exit 1 when a message failed), else a poll every minute until Ctrl-C or SIGTERM; a JSON line
 * per message. A poll another poller holds the mailbox for is skipped, said on stderr.
 */
import { MailboxLockedError } from '../pipeline/mailbox-lease.js';

export interface PollLoop {
  once: boolean;
  print: (line: string) => void;
  /** One poll, calling `onResult` as each message is done. */
  poll: (onResult: (r: unknown) => void) => Promise<Array<{ outcome: string }>>;
  /** Failures of a whole poll that are no failure (the next poll carries on); a held mailbox always is. */
  skips?: (err: unknown) => boolean;
}

export async function pollUntilStopped({ once, print, poll, skips }: PollLoop): Promise<number> {
  const pollOnce = async (): Promise<boolean> => {
    try {
      const results = await poll((r) => print(JSON.stringify(r)));
      return !results.some((r) => r.outcome === 'error');
    } catch (err) {
      if (!(err instanceof MailboxLockedError || skips?.(err))) throw err;
      console.error(`ticketing: ${(err as Error).message}; skipped this poll`);
      return true;
    }
  };
  if (once) return (await pollOnce()) ? 0 : 1;
  let stopped = false;
  const stop = () => (stopped = true);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  while (!stopped) {
    await pollOnce();
    for (let waited = 0; waited < 60_000 && !stopped; waited += 500) await new Promise((r) => setTimeout(r, 500));
  }
  return 0;
}
