/** The ports a command works through, on its target, with the --now clock. */
import { portsFor, type Ports } from '../aws/ports-from-config.js';
import { createClients } from '../aws/clients.js';
import { createAwsClients, startLocalStack } from '../local/stack.js';
import type { Clock } from '../pipeline/ports.js';
import type { Options } from './target.js';

/** A clock that starts at --now (or the system time) and moves on one second per mail, to keep arrival order. */
function steppingClock(start: Date | null): Clock & { step(): void; set(at: Date): void } {
  let offset = 0;
  return {
    now: () => new Date((start ?? new Date()).getTime() + offset * 1000),
    step: () => void (start && offset++),
    set: (at: Date) => {
      start = at;
      offset = 0;
    },
  };
}

export type Deps = Ports<ReturnType<typeof steppingClock>>;

/** The ports on the command's target: clients made once, closed (and an embedded stack stopped) after. */
export async function withPorts<T>(opts: Options, run: (deps: Deps) => Promise<T>): Promise<T> {
  const { target, config } = opts;
  const stack = target.kind === 'local' ? await startLocalStack({ dataDir: target.data, config }) : null;
  const clients = stack
    ? createAwsClients(stack)
    : target.kind === 'serving'
      ? createAwsClients({ ...target.serving.endpoints, region: target.serving.region })
      : createClients({ region: config.aws.region });
  try {
    return await run(portsFor(config, clients, { clock: steppingClock(opts.now) }));
  } finally {
    clients.destroy();
    await stack?.close();
  }
}
