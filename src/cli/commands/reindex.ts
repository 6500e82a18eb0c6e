import type { TargetedCommand } from '../command.js';
import { withPorts } from '../ports.js';
import type { Options } from '../target.js';

export const reindex: TargetedCommand = {
  options: ['json'], access: 'write', deployed: true, args: 'none',
  help: `  ticketing reindex [--json]        put tickets written before this version into the index
                                    the console's search and the API's listing read (once,
                                    after upgrading a deployed stack; safe to repeat)`,
  run: ({ opts, print }) => reindexTickets(opts, print),
};

/** `ticketing reindex`: tickets from before the byActivity index, put into it. */
async function reindexTickets(opts: Options, print: (line: string) => void): Promise<number> {
  return withPorts(opts, async (deps) => {
    const added = await deps.store.reindexTickets();
    if (opts.json) print(JSON.stringify({ added }));
    else print(added ? `${added} ticket(s) put into the search index; every ticket is in it now.` : 'Every ticket was in the search index already: nothing to do.');
    return 0;
  });
}
