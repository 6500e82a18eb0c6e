import { sweepPlans } from '../../pipeline/sweep.js';
import type { TargetedCommand } from '../command.js';
import { withPorts } from '../ports.js';
import type { Options } from '../target.js';

export const sweep: TargetedCommand = {
  options: ['json'], access: 'write', deployed: true, args: 'none',
  help: `  ticketing sweep [--json]          finish what deliveries planned and did not finish (mail to
                                    retry, runs that stopped), as the schedule does`,
  run: ({ opts, print }) => sweepUnfinished(opts, print),
};

/** `ticketing sweep`: what deliveries planned and did not finish, finished now. */
async function sweepUnfinished(opts: Options, print: (line: string) => void): Promise<number> {
  return withPorts(opts, async (deps) => {
    const swept = await sweepPlans({ store: deps.store, mailer: deps.mailer, events: deps.events, clock: deps.clock }, opts.config);
    if (opts.json) print(JSON.stringify(swept));
    else {
      print(`${swept.plans} unfinished plan(s): ${swept.completed} effect(s) done now, ${swept.waiting} left to deliveries still in progress.`);
      for (const p of swept.problems) print(`  ! ${p}`);
    }
    return swept.problems.length ? 1 : 0;
  });
}
