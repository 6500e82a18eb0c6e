import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfigFile } from '../../config.js';
import { DataDirError, findServing, prepareDataDir, shown, writeManifest } from '../../local/data-dir.js';
import type { InboundResult } from '../../pipeline/inbound.js';
import type { OwnTargetCommand } from '../command.js';
import type { Options } from '../target.js';
import { UsageError } from '../errors.js';
import { ingestFiles } from './ingest.js';
import { listTickets } from './tickets.js';

export const demo: OwnTargetCommand = {
  options: [], access: 'create', deployed: false, args: 'none',
  help: `  ticketing demo                    ingest the demo inbox into a fresh data directory (.data/demo)`,
  ownTarget: true,
  run: ({ values, now, print }) => {
    if (values.stack !== undefined || values.aws || values.config !== undefined) throw new UsageError('demo uses its own config and data directory; it takes --data and --now only');
    return runDemo(resolve(values.data ?? '.data/demo'), now, print);
  },
};

/** One `ingest` output line, as the demo reads it back. */
type InboundLine = Pick<InboundResult, 'outcome' | 'ticket' | 'reason' | 'category' | 'priority' | 'missing' | 'replies'> & { file: string };

/** `npm start`: the demo inbox, in a fresh data directory each run, so the story is the same every time. */
async function runDemo(data: string, now: Date | null, print: (line: string) => void): Promise<number> {
  const root = resolve(import.meta.dirname, '..', '..', '..');
  const inbox = join(root, 'fixtures', 'demo');
  const running = await findServing(data);
  if (running) throw new DataDirError(`ticketing serve is running on ${shown(data)} (pid ${running.pid}); stop it first: the demo starts that directory afresh`);
  rmSync(data, { recursive: true, force: true });
  prepareDataDir(data);
  const configFile = join(root, 'fixtures', 'northwind.config.json');
  writeManifest(data, { config: configFile, recordedAt: new Date().toISOString() });
  const config = loadConfigFile(configFile);
  const files = readdirSync(inbox).filter((f) => f.endsWith('.eml')).sort().map((f) => join(inbox, f));
  const demoOpts: Options = { target: { kind: 'local', data }, config, now: now ?? new Date('2026-11-23T08:00:00Z'), arriveAtDateHeader: true, json: false };
  print(`Demo: a Monday morning at Northwind IT — ${files.length} mails arrive at ${config.supportAddresses.join(', ')}.\n`);
  const lines: string[] = [];
  const code = await ingestFiles(files, demoOpts, (line) => lines.push(line));
  for (const line of lines) {
    const r = JSON.parse(line) as InboundLine;
    const triaged = r.outcome === 'created' ? ` (${r.category}, ${r.priority}${r.missing.length ? `, asks for: ${r.missing.join(', ')}` : ''})` : '';
    print(`${r.file}\n  → ${r.outcome}${r.ticket ? ` ${r.ticket}` : ''}${triaged}: ${r.reason}`);
    for (const reply of r.replies) print(`  ✉ ${reply.kind} to ${reply.to}: ${reply.subject}`);
  }
  print('\nTickets now:\n');
  await listTickets(demoOpts, print);
  const at = shown(data);
  print(`\nData kept in ${at} (with the Northwind config). Look at it with --data ${at}:`);
  print(`  npx ticketing tickets --data ${at}`);
  print(`  npx ticketing show TKT-1 --data ${at}`);
  print(`  npx ticketing outbox --data ${at}        # the mail we sent`);
  return code;
}
