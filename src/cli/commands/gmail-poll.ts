import { systemClock } from '../../aws/ports-from-config.js';
import { gmailTokenSource, pollGmailMailbox } from '../../gmail/poller.js';
import { MailboxLockedError } from '../../pipeline/mailbox-lease.js';
import type { TargetedCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { withPorts } from '../ports.js';
import type { Options } from '../target.js';

export const gmailPoll: TargetedCommand = {
  options: ['once'], access: 'create', deployed: false, args: 'none',
  help: `  ticketing gmail-poll [--once]     poll the configured Google Workspace mailbox (Gmail API) into
                                    the pipeline (every minute until Ctrl-C; --once: one poll); a
                                    JSON line per message`,
  run: ({ values, opts, print }) => pollUntilStopped(values.once === true, opts, print),
};

/**
 * `ticketing gmail-poll`: the configured mailbox into the pipeline, one JSON line per message.
 * `--once` polls once (exit 1 when a message failed); otherwise every minute until Ctrl-C.
 */
async function pollUntilStopped(once: boolean, opts: Options, print: (line: string) => void): Promise<number> {
  if (!opts.config.gmail) throw new UsageError('gmail-poll needs a "gmail" block in the config (mailbox, and serviceAccountSecretArn or serviceAccountKeyFile)');
  return withPorts(opts, async (deps) => {
    // One token source for the whole run, on the real clock (Google checks the assertion's times,
    // --now is only for the pipeline): a token is fetched again shortly before it expires.
    const tokens = gmailTokenSource(opts.config.gmail!, { clock: systemClock });
    const pollOnce = async (): Promise<boolean> => {
      try {
        const results = await pollGmailMailbox({ ...deps, tokens }, opts.config, { onResult: (r) => print(JSON.stringify(r)) });
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
