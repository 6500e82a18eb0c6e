import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { imapTokenSource, pollMailbox } from '../../imap/poller.js';
import type { TargetedCommand } from '../command.js';
import { pollUntilStopped } from '../poll-loop.js';
import { withPorts } from '../ports.js';
import type { Options } from '../target.js';
import { UsageError } from '../errors.js';

export const imapPoll: TargetedCommand = {
  options: ['once'], access: 'create', deployed: false, args: 'none',
  help: `  ticketing imap-poll [--once]      poll the configured IMAP mailbox into the pipeline (every
                                    minute until Ctrl-C; --once: one poll); a JSON line per message`,
  run: ({ values, opts, print }) => imapPolls(values.once === true, opts, print),
};

/** `ticketing imap-poll`: the configured mailbox into the pipeline (src/cli/poll-loop.ts). */
async function imapPolls(once: boolean, opts: Options, print: (line: string) => void): Promise<number> {
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
    try {
      return await pollUntilStopped({ once, print, poll: (onResult) => pollMailbox(deps, opts.config, { onResult }) });
    } finally {
      secrets?.destroy();
    }
  });
}
