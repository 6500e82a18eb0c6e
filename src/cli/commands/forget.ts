import { createInterface } from 'node:readline/promises';
import { applyForget, isEmpty, normaliseAddress, planForget, reportOf } from '../../pipeline/forget.js';
import type { TargetedCommand } from '../command.js';
import { withPorts } from '../ports.js';
import { renderForgetPlan, renderForgetReport } from '../render.js';
import { where, type Options } from '../target.js';
import { UsageError } from '../errors.js';

export const forget: TargetedCommand = {
  options: ['yes', 'json'], access: 'write', deployed: true, args: 'one',
  help: `  ticketing forget ADDRESS [--yes] [--json]
                                    erase a requester's personal data and mail (a privacy
                                    request); asks first unless --yes`,
  check: (addresses, values) => {
    if (addresses.length !== 1) throw new UsageError('forget needs one email address, e.g. ticketing forget maria.garcia@northwind.example');
    normaliseAddress(addresses[0]!);
    if (!values.yes && !process.stdin.isTTY) throw new UsageError('forget erases for good and asks first, but there is no terminal to ask on; add --yes to confirm');
  },
  run: ({ args, values, opts, print }) => forgetRequester(args[0]!, values.yes === true, opts, print),
};

/** `ticketing forget ADDRESS`: what names them is found, shown, confirmed, then erased. */
async function forgetRequester(address: string, yes: boolean, opts: Options, print: (line: string) => void): Promise<number> {
  return withPorts(opts, async (deps) => {
    const ports = { store: deps.erasure, blobs: deps.blobs, clock: deps.clock };
    const plan = await planForget(address, ports);
    if (isEmpty(plan)) {
      const report = reportOf(plan, 0);
      print(opts.json ? JSON.stringify(report) : `Nothing to erase: no record in ${where(opts.target)} names ${report.address} (any more).`);
      return 0;
    }
    if (!yes) {
      console.error(renderForgetPlan(plan, where(opts.target)));
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await prompt.question('Erase all of this for good? [y/N] ').finally(() => prompt.close());
      if (!/^y(es)?$/i.test(answer.trim())) {
        print('Nothing erased.');
        return 1;
      }
    }
    const report = await applyForget(plan, ports);
    print(opts.json ? JSON.stringify(report) : renderForgetReport(report));
    return 0;
  });
}
