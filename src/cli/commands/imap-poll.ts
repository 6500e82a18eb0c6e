import { MailboxLockedError, pollMailbox } from '../../imap/poller.js';
import type { TargetedCommand } from '../command.js';
import { withPorts } from '../ports.js';
import type { Options } from '../target.js';
import { UsageError } from '../errors.js';

export const imapPoll: TargetedCommand = {
  options: ['once'], access: 'create', deployed: false, args: 'none',
  help: `  ticketing imap-poll [--once]      poll the configured IMAP mailbox into the pipeline (every
                                    minute until Ctrl-C; --once: one poll); a JSON line per message`,
  run: ({ values, opts, print }) => pollUntilStopped(values.once === true, opts, print),
};

/**
 * `ticketing imap-poll`: the configured mailbox into the pipeline, one JSON line per message.
 * `--once` polls once (exit 1 when a message failed); otherwise every minute until Ctrl-C.
 */
async function pollUntilStopped(once: boolean, opts: Options, print: (line: string) => void): Promise<number> {
  if (!opts.config.imap) throw new UsageError('imap-poll needs an "imap" block in the config (host, user, and a password, passwordSecretArn or accessToken)');
  return withPorts(opts, async (deps) => {
    const pollOnce = async (): Promise<boolean> => {
      try {
        const results = await pollMailbox(deps, opts.config, { onResult: (r) => print(JSON.stringify(r)) });
        return !results.some((r) => r.outcome === 'error');
      } catch (err) {
        if (!(err instanceof MailboxLockedError)) throw err;
        console.error(`ticketing: ${err.message}; skipped this poll`);
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
  });
}
