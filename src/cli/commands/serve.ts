import { resolve } from 'node:path';
import { serve as serveStack } from '../../local/serve.js';
import type { TargetedCommand } from '../command.js';
import type { Options } from '../target.js';
import { UsageError } from '../errors.js';

export const serve: TargetedCommand = {
  options: ['smtp-port', 'http-port'], access: 'create', deployed: false, args: 'none',
  help: `  ticketing serve [--smtp-port N] [--http-port N]
                                    an SMTP gateway on 127.0.0.1 (default port 2525) and the web
                                    form, status pages and REST API (default port 8080) in front of
                                    the pipeline, the stale job on its schedule; Ctrl-C stops it.
                                    Other commands on the same --data use it while it runs`,
  run: ({ values, opts, print }) => serveUntilStopped(values['smtp-port'], values['http-port'], opts, print),
};

/** `ticketing serve`: the embedded stack behind an SMTP gateway, until Ctrl-C (or SIGTERM). */
async function serveUntilStopped(smtpOption: string | undefined, httpOption: string | undefined, opts: Options, print: (line: string) => void): Promise<number> {
  const smtpPort = portNumber('--smtp-port', smtpOption, 2525);
  const httpPort = portNumber('--http-port', httpOption, 8080);
  if (opts.target.kind === 'deployed') throw new UsageError('serve runs the embedded stack only');
  const serving = await serveStack({ data: resolve(opts.target.data), config: opts.config, smtpPort, httpPort, now: opts.now, print });
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

function portNumber(option: string, value: string | undefined, fallback: number): number {
  const port = value === undefined ? fallback : Number(value);
  if (!/^\d+$/.test(value ?? String(fallback)) || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${option} expects a port number, got "${value}"`);
  return port;
}
