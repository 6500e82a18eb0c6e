import { GraphThrottledError } from '../../graph/client.js';
import { pollGraphMailbox } from '../../graph/poller.js';
import { graphTokens } from '../../graph/tokens.js';
import type { TargetedCommand } from '../command.js';
import { pollUntilStopped } from '../poll-loop.js';
import { withPorts } from '../ports.js';
import type { Options } from '../target.js';
import { UsageError } from '../errors.js';

export const graphPoll: TargetedCommand = {
  options: ['once'], access: 'create', deployed: false, args: 'none',
  help: `  ticketing graph-poll [--once]     poll the configured Microsoft 365 mailbox through Microsoft
                                    Graph into the pipeline (every minute until Ctrl-C; --once: one
                                    poll); a JSON line per message`,
  run: ({ values, opts, print }) => graphPolls(values.once === true, opts, print),
};

/** `ticketing graph-poll`: the configured mailbox into the pipeline (src/cli/poll-loop.ts). */
async function graphPolls(once: boolean, opts: Options, print: (line: string) => void): Promise<number> {
  const graph = opts.config.graph;
  if (!graph) throw new UsageError('graph-poll needs a "graph" block in the config (app with tenantId, clientId and a clientSecret or credentialsSecretArn, and mailbox)');
  const tokens = graphTokens(graph);
  return withPorts(opts, (deps) =>
    pollUntilStopped({
      once,
      print,
      poll: (onResult) => pollGraphMailbox({ ...deps, tokens }, opts.config, { onResult }),
      // Graph throttled the poll past its wait: the next poll carries on where it stopped.
      skips: (err) => err instanceof GraphThrottledError,
    }),
  );
}
