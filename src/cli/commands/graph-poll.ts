import { GraphThrottledError } from '../../graph/client.js';
import { MailboxLockedError, pollGraphMailbox } from '../../graph/poller.js';
import { graphTokens } from '../../graph/tokens.js';
import type { TargetedCommand } from '../command.js';
import { withPorts } from '../ports.js';
import type { Options } from '../target.js';
import { UsageError } from '../errors.js';

export const graphPoll: TargetedCommand = {
  options: ['once'], access: 'create', deployed: false, args: 'none',
  help: `  ticketing graph-poll [--once]     poll the configured Microsoft 365 mailbox through Microsoft
                                    Graph into the pipeline (every minute until Ctrl-C; --once: one
                                    poll); a JSON line per message`,
  run: ({ values, opts, print }) => pollUntilStopped(values.once === true, opts, print),
};

/**
 * `ticketing graph-poll`: the configured mailbox into the pipeline, one JSON line per message.
 * `--once` polls once (exit 1 when a message failed); otherwise every minute until Ctrl-C.
 */
async function pollUntilStopped(once: boolean, opts: Options, print: (line: string) => void): Promise<number> {
  const graph = opts.config.graph;
  if (!graph) throw new UsageError('graph-poll needs a "graph" block in the config (app with tenantId, clientId and a clientSecret or credentialsSecretArn, and mailbox)');
  const tokens = graphTokens(graph);
  return withPorts(opts, async (deps) => {
    const pollOnce = async (): Promise<boolean> => {
      try {
        const results = await pollGraphMailbox({ ...deps, tokens }, opts.config, { onResult: (r) => print(JSON.stringify(r)) });
        return !results.some((r) => r.outcome === 'error');
      } catch (err) {
        if (!(err instanceof MailboxLockedError || err instanceof GraphThrottledError)) throw err;
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
