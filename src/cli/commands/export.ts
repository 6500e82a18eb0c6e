import { createWriteStream, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportTickets } from '../../pipeline/export.js';
import type { TargetedCommand } from '../command.js';
import { withPorts } from '../ports.js';
import type { Options } from '../target.js';
import { UsageError } from '../errors.js';

export const exportCommand: TargetedCommand = {
  options: ['out'], access: 'read', deployed: true, args: 'none',
  help: `  ticketing export [--out FILE]     every ticket with its messages and history, one JSON line each`,
  run: ({ values, opts, print }) => exportAll(values.out, opts, print),
};

/** `ticketing export`: one JSON line per ticket, to stdout or to a file that appears whole when done. */
async function exportAll(out: string | undefined, opts: Options, print: (line: string) => void): Promise<number> {
  const partial = out ? `${out}.partial` : null;
  if (partial) {
    try {
      writeFileSync(partial, '');
    } catch (err) {
      throw new UsageError(`cannot write --out ${out}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? `the directory ${dirname(out!)} does not exist` : (err as Error).message}`);
    }
  }
  const file = partial ? createWriteStream(partial) : null;
  const counts = { tickets: 0, messages: 0 };
  try {
    await withPorts(opts, async (deps) => {
      for await (const exported of exportTickets(deps.store)) {
        const line = JSON.stringify(exported);
        if (file) {
          if (!file.write(`${line}\n`)) await new Promise<void>((drained) => file.once('drain', () => drained()));
        } else print(line);
        counts.tickets++;
        counts.messages += exported.messages.length;
      }
    });
  } catch (err) {
    file?.destroy();
    if (partial) rmSync(partial, { force: true });
    throw err;
  }
  if (file && partial && out) {
    await new Promise<void>((done, fail) => file.end((err?: Error | null) => (err ? fail(err) : done())));
    renameSync(partial, out);
    console.error(`ticketing: exported ${counts.tickets} ticket(s) with ${counts.messages} message(s) to ${out}`);
  }
  return 0;
}
