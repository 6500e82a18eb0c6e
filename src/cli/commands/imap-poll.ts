import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { imapTokenSource, MailboxLockedError, pollMailbox } from '../../imap/poller.js';
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
  const imap = opts.config.imap;
  if (!imap) {
    throw new UsageError(
      'imap-poll needs an "imap" block in the config: host, user, and one of password, passwordSecretArn, accessToken, ' +
        'or oauth2 (a Microsoft 365 app: tenantId, clientId, and credentialsSecretArn or clientSecret)',
    );
  }
  return withPorts(opts, async (ports) => {
    // One token source for the whole run: the app's token is reused until shortly before it expires.
    // Its clock is the real one: Microsoft checks the certificate assertion's time, whatever --now says.
    const arn = imap.oauth2?.credentialsSecretArn;
    const secrets = arn ? new SecretsManagerClient({ region: arn.split(':')[3] }) : undefined;
    const imapTokens = imapTokenSource(imap, { clock: { now: () => new Date() }, ...(secrets ? { secrets } : {}) });
    const deps = imapTokens ? { ...ports, imapTokens } : ports;
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
    try {
      return once ? ((await pollOnce()) ? 0 : 1) : await everyMinute(pollOnce);
    } finally {
      secrets?.destroy();
    }
  });
}

/** Polls every minute until Ctrl-C (SIGINT) or SIGTERM. */
async function everyMinute(pollOnce: () => Promise<boolean>): Promise<number> {
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
