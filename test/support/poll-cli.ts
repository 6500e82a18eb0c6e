/**
 * `ticketing <imap|graph|gmail>-poll --once` as a user runs it: its own process, a data directory
 * and a config file of its own (Northwind's config plus the mailbox block). Each run's stdout is
 * read as the JSON lines the command prints, one per message.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface PollCli {
  /** The directory the config and data live in (for a key file beside them). */
  dir: string;
  /** One `--once` run: the JSON lines it printed. */
  once(): Promise<Array<Record<string, unknown>>>;
  cleanup(): Promise<void>;
}

/** `block` is the mailbox part of the config (`{ imap: … }`); a function gets the directory first. */
export async function pollCli(command: 'imap-poll' | 'graph-poll' | 'gmail-poll', block: Record<string, unknown> | ((dir: string) => Promise<Record<string, unknown>>)): Promise<PollCli> {
  const dir = await mkdtemp(join(tmpdir(), `ticketing-${command}-`));
  const northwind = JSON.parse(await readFile(join(ROOT, 'fixtures/northwind.config.json'), 'utf8'));
  const configFile = join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify({ ...northwind, ...(typeof block === 'function' ? await block(dir) : block) }));
  return {
    dir,
    async once() {
      const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'src/bin/ticketing.mjs'), command, '--once', '--data', join(dir, 'data'), '--config', configFile], { cwd: ROOT });
      return stdout.trim() ? stdout.trim().split('\n').map((l) => JSON.parse(l)) : [];
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
