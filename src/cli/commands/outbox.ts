/** `ticketing outbox`: the mail sent through the local SES endpoint. */
import { join } from 'node:path';
import { readOutbox } from '../../local/ses-endpoint.js';
import type { TargetedCommand } from '../command.js';
import { renderOutbox } from '../render.js';
import type { Options } from '../target.js';
import { UsageError } from '../errors.js';

export const outbox: TargetedCommand = {
  options: ['json'], access: 'read', deployed: false, args: 'none',
  help: `  ticketing outbox [--json]         mail sent through the local SES endpoint`,
  run: ({ opts, print }) => showOutbox(opts, print),
};

async function showOutbox(opts: Options, print: (line: string) => void): Promise<number> {
  if (opts.target.kind === 'deployed') throw new UsageError('outbox shows the local SES endpoint’s mail; a deployed stack sends through Amazon SES, which keeps no copy');
  const entries = await readOutbox(join(opts.target.data, 'outbox'));
  print(await renderOutbox(entries, opts.json));
  return 0;
}
