/** `ticketing`: the command line read and checked, the target resolved, the command run. */
import { checkArguments, commandNamed } from './arguments.js';
import { reportFailure } from './errors.js';
import { parseCommandLine, parseNow } from './options.js';
import { resolveRun } from './resolve-run.js';
import { USAGE } from './usage.js';

export async function main(argv: string[], print: (line: string) => void = (l) => console.log(l)): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv);
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      print(USAGE);
      return command || values.help ? 0 : 2;
    }
    const spec = commandNamed(command);
    checkArguments(command, spec, rest, values);
    const now = parseNow(values.now);

    if (spec.ownTarget) return await spec.run({ values, now, print });
    const { opts, about } = await resolveRun(command, spec, values, now);
    // outbox reads the local SES endpoint's files only: no config involved.
    if (!opts.json && command !== 'outbox') console.error(`ticketing: ${about}`);
    return await spec.run({ args: rest, values, opts, print });
  } catch (err) {
    return reportFailure(err);
  }
}
