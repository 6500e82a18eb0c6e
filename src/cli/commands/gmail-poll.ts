import { systemClock } from '../../aws/ports-from-config.js';
import { gmailTokenSource, pollGmailMailbox } from '../../gmail/poller.js';
import type { TargetedCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { pollUntilStopped } from '../poll-loop.js';
import { withPorts } from '../ports.js';
import type { Options } from '../target.js';

export const gmailPoll: TargetedCommand = {
  options: ['once'], access: 'create', deployed: false, args: 'none',
  help: `  ticketing gmail-poll [--once]     poll the configured Google Workspace mailbox (Gmail API) into
                                    the pipeline (every minute until Ctrl-C; --once: one poll); a
                                    JSON line per message`,
  run: ({ values, opts, print }) => gmailPolls(values.once === true, opts, print),
};

/** `ticketing gmail-poll`: the configured mailbox into the pipeline (src/cli/poll-loop.ts). */
async function gmailPolls(once: boolean, opts: Options, print: (line: string) => void): Promise<number> {
  const gmail = opts.config.gmail;
  if (!gmail) throw new UsageError('gmail-poll needs a "gmail" block in the config (mailbox, and serviceAccountSecretArn or serviceAccountKeyFile)');
  return withPorts(opts, (deps) => {
    // One token source for the whole run, on the real clock (Google checks the assertion's times,
    // --now is only for the pipeline): a token is fetched again shortly before it expires.
    const tokens = gmailTokenSource(gmail, { clock: systemClock });
    return pollUntilStopped({ once, print, poll: (onResult) => pollGmailMailbox({ ...deps, tokens }, opts.config, { onResult }) });
  });
}
