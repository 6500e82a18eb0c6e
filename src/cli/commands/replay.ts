import { replayQuarantined, replayRawKeys, type Replayed } from '../../pipeline/replay.js';
import type { TargetedCommand } from '../command.js';
import { withPorts } from '../ports.js';
import type { Options } from '../target.js';
import { UsageError } from '../errors.js';

export const replay: TargetedCommand = {
  options: ['quarantined'], access: 'write', deployed: true, args: 'any',
  help: `  ticketing replay --quarantined    run the quarantined mail through the pipeline again
  ticketing replay RAWKEY...        run these raw objects (e.g. inbound/<SES message id>) again;
                                    a JSON line per mail`,
  check: (rawKeys, values) => {
    if ((values.quarantined === true) === rawKeys.length > 0) {
      throw new UsageError('replay takes either --quarantined or raw object keys (e.g. inbound/<SES message id>), not both and not neither');
    }
  },
  run: ({ args, values, opts, print }) => replayMail(args, values.quarantined === true, opts, print),
};

/** `ticketing replay`: quarantined mail, or the raw objects named, through the pipeline again. */
async function replayMail(rawKeys: string[], quarantined: boolean, opts: Options, print: (line: string) => void): Promise<number> {
  return withPorts(opts, async (deps) => {
    const printLine = (r: Replayed) => print(JSON.stringify(r));
    const results = quarantined ? await replayQuarantined(deps, opts.config, printLine) : await replayRawKeys(rawKeys, deps, opts.config, printLine);
    if (!results.length) print(quarantined ? 'Nothing is quarantined.' : 'Nothing to replay.');
    return 0;
  });
}
