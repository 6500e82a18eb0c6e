/**
 * The black-box kill test: `ticketing ingest` on a batch of 35 real mails, killed with SIGKILL
 * at seeded random moments (the embedded DynamoDB, S3 and SES die with it, as a Lambda's world
 * would), again and again; then run to completion, and `ticketing sweep` after the claim lease.
 * The tickets, threads, quarantine and outbox must equal one clean run's. The one difference
 * allowed is the honest one: a kill in the middle of a send leaves that mail unconfirmed — it is
 * never sent twice, and if it did not go out, `ticketing tickets` lists it for a person.
 */
import { execFile, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoTicketStore } from '../../src/aws/dynamo-store.js';
import { loadConfigFile } from '../../src/config.js';
import { createAwsClients, startLocalStack } from '../../src/local/stack.js';
import { mulberry32 } from '../support/random.js';
import { outboxLines, ticketLines } from '../support/state.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'src/bin/ticketing.mjs');
const config = join(root, 'fixtures/northwind.config.json');
const files = readdirSync(join(root, 'fixtures/mail'))
  .filter((f) => f.endsWith('.eml'))
  .sort()
  .slice(0, 35)
  .map((f) => join(root, 'fixtures/mail', f));
const NOW = '2026-11-30T08:00:00Z';
const KILLS = 12;

function ticketing(args: string[]) {
  return run(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' }, maxBuffer: 64 * 1024 * 1024 });
}


/**
 * Starts the ingest and kills it with SIGKILL `ms` after it reported its `lines`-th mail (0: after
 * `ms` from the start), so kills land among the mails still to do; resolves when it is gone.
 */
function ingestKilled(data: string, lines: number, ms: number): Promise<'killed' | 'finished'> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, 'ingest', ...files, '--data', data, '--config', config, '--now', NOW], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    let seen = 0;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => (timer ??= setTimeout(() => child.kill('SIGKILL'), ms));
    if (lines === 0) arm();
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('\n').length - 1;
      if (seen >= lines) arm();
    });
    child.on('error', fail);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      done(signal === 'SIGKILL' ? 'killed' : 'finished');
    });
  });
}

interface State {
  tickets: string[];
  threads: string[];
  quarantined: string[];
  outbox: string[];
  undelivered: string[];
}

/** What a data directory holds, read through the store of an embedded stack on it (no process holds it now). */
async function stateOf(data: string): Promise<State> {
  const cfg = loadConfigFile(config);
  const stack = await startLocalStack({ dataDir: data, config: cfg });
  const clients = createAwsClients(stack);
  try {
    const store = dynamoTicketStore(clients.doc, cfg.aws.tableName);
    return {
      ...(await ticketLines(store)),
      outbox: await outboxLines(data),
      quarantined: (await store.listQuarantine()).map((q) => q.reason).sort(),
      undelivered: (await store.undeliveredSince('2000-01-01T00:00:00Z')).map((u) => `${u.ticketId} ${u.kind} ${u.state}`),
    };
  } finally {
    clients.destroy();
    await stack.close();
  }
}

describe('ticketing ingest killed with SIGKILL, again and again', () => {
  let clean: string;
  let killed: string;
  beforeAll(async () => {
    [clean, killed] = await Promise.all([mkdtemp(join(tmpdir(), 'ticketing-clean-')), mkdtemp(join(tmpdir(), 'ticketing-killed-'))]);
  });
  afterAll(async () => {
    await Promise.all([clean, killed].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('ends, after a run to completion, where one clean run ends', async () => {
    await ticketing(['ingest', ...files, '--data', clean, '--config', config, '--now', NOW]);
    const random = mulberry32(0x6b111);
    const outcomes: string[] = [];
    // Each kill lands a random few milliseconds after a random mail's line: inside the next mail's work.
    for (let i = 0; i < KILLS; i++) outcomes.push(await ingestKilled(killed, Math.floor(random() * files.length), Math.floor(random() * 60)));
    await ticketing(['ingest', ...files, '--data', killed, '--config', config, '--now', NOW]);
    // After the claim lease, the sweep resolves any claim a killed run left (sent, or unconfirmed).
    const later = new Date(Date.parse(NOW) + 3600_000).toISOString();
    for (const data of [clean, killed]) await ticketing(['sweep', '--data', data, '--config', config, '--now', later]).catch((err: { stdout?: string }) => err);

    const [want, got] = [await stateOf(clean), await stateOf(killed)];
    expect(got.tickets).toEqual(want.tickets);
    expect(got.threads).toEqual(want.threads);
    expect(got.quarantined).toEqual(want.quarantined);
    expect(want.undelivered).toEqual([]);
    // Never a mail twice; a mail missing is one a kill caught mid-send, and it is listed as unconfirmed.
    const extra = [...got.outbox];
    for (const m of want.outbox) {
      const i = extra.indexOf(m);
      if (i >= 0) extra.splice(i, 1);
    }
    expect(extra).toEqual([]);
    const missing = want.outbox.filter((m) => !got.outbox.includes(m));
    expect(missing.length).toBeLessThanOrEqual(got.undelivered.length);
    console.info(
      `kill test: ${files.length} mails, ${outcomes.filter((o) => o === 'killed').length} SIGKILLs (${outcomes.filter((o) => o === 'finished').length} runs finished first), then a run to completion: ${got.tickets.length} tickets, ${want.outbox.length} mails in the clean outbox, ${got.outbox.length} in the killed one, ${got.undelivered.length} unconfirmed`,
    );
  }, 600_000);
});
