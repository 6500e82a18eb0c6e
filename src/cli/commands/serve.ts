import { resolve } from 'node:path';
import { serve as serveStack } from '../../local/serve.js';
import type { TargetedCommand } from '../command.js';
import type { Options } from '../target.js';
import { UsageError } from '../errors.js';

export const serve: TargetedCommand = {
  options: ['smtp-port'], access: 'create', deployed: false, args: 'none',
  help: `  ticketing serve [--smtp-port N]   an SMTP gateway on 127.0.0.1 (default port 2525) in front of
                                    the pipeline, the stale job on its schedule; Ctrl-C stops it.
                                    Other commands on the same --data use it while it runs`,
  run: ({ values, opts, print }) => serveUntilStopped(values['smtp-port'], opts, print),
};

/** `ticketing serve`: the embedded stack behind an SMTP gateway, until Ctrl-C (or SIGTERM). */
async function serveUntilStopped(portOption: string | undefined, opts: Options, print: (line: string) => void): Promise<number> {
  const smtpPort = portOption === undefined ? 2525 : Number(portOption);
  if (!Number.isInteger(smtpPort) || smtpPort < 0 || smtpPort > 65535) throw new UsageError(`--smtp-port expects a port number, got "${portOption}"`);
  if (opts.target.kind === 'deployed') throw new UsageError('serve runs the embedded stack only');
  const serving = await serveStack({ data: resolve(opts.target.data), config: opts.config, smtpPort, now: opts.now, print });
  await new Promise<void>((stopped) => {
    // `once`: a second Ctrl-C falls back to Node's default and ends the process at once.
    const stop = (): void => {
      print('\nStopping…');
      serving.close().then(stopped, (err: unknown) => {
        console.error(`ticketing: stopping failed: ${(err as Error).message}`);
        stopped();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
