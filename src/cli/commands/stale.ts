import { writeFileSync } from 'node:fs';
import { addressBook } from '../../pipeline/inbound.js';
import { dryRunPorts } from '../../pipeline/dry-run.js';
import { runStaleJob } from '../../pipeline/stale-job.js';
import type { TargetedCommand } from '../command.js';
import { withPorts } from '../ports.js';
import { renderStaleDryRun, renderStaleResult } from '../render.js';
import type { Options } from '../target.js';

export const stale: TargetedCommand = {
  options: ['json', 'html', 'dry-run'], access: 'write', deployed: true, args: 'none',
  help: `  ticketing stale [--json] [--html FILE] [--dry-run]
                                    run the stale-ticket job once (as the schedule does): flag,
                                    clear, remind, close, mail the IT digest; --dry-run: say what
                                    it would do, writing and sending nothing`,
  run: ({ values, opts, print }) => staleJob(values['dry-run'] === true, opts, print),
};

/**
 * One run of the scheduled job, on the --now clock: the JSON contract, or a few plain lines.
 * `dryRun`: the same job on ports that keep every write and send to themselves.
 */
async function staleJob(dryRun: boolean, opts: Options, print: (line: string) => void): Promise<number> {
  return withPorts(opts, async (deps) => {
    const real = { store: deps.store, mailer: deps.mailer, events: deps.events, clock: deps.clock };
    const simulated = dryRun ? dryRunPorts(real) : null;
    const { result, digestHtml } = await runStaleJob(simulated?.ports ?? real, opts.config, addressBook(opts.config));
    if (opts.html && digestHtml) writeFileSync(opts.html, digestHtml);
    const { flagged, cleared, digest, nudged, closed, slot, alreadyRan, problems } = result;
    if (opts.json) print(JSON.stringify({ flagged, cleared, digest, nudged, closed, slot, alreadyRan, problems, ...(simulated ? { dryRun: true, mails: simulated.mails } : {}) }));
    else if (simulated) print(renderStaleDryRun(result, simulated.mails, opts.html && digestHtml ? opts.html : null));
    else print(renderStaleResult(result, opts.html && digestHtml ? opts.html : null));
    return 0;
  });
}
