/**
 * `ticketing ingest` delivers a batch with several mails under way at once
 * (src/local/ingest.ts `deliverBatchAsSes`). It must end exactly where delivering the same files
 * one by one, in the same order, on the same clock, ends: the same tickets with the same
 * numbers, threads and history, quarantine, mail sent and events published, and the same line
 * per file. Both corpora: the fixture mail (new requests, replies, tags, staff, machine mail,
 * duplicates, re-deliveries, broken mail) and the staff conversation (commands, a merge).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { dynamoTicketStore } from '../../src/aws/dynamo-store.js';
import { deliverAsSes, deliverBatchAsSes, receiptSidecarSchema, type ReceiptSidecar } from '../../src/local/ingest.js';
import { readPublished } from '../../src/local/sns-endpoint.js';
import { createAwsClients, startLocalStack } from '../../src/local/stack.js';
import type { InboundResult } from '../../src/pipeline/inbound.js';
import type { TicketStore } from '../../src/pipeline/ports.js';
import { northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack } from '../support/stack-fixture.js';
import { outboxLines, ticketLines } from '../support/state.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const configFile = join(root, 'fixtures/northwind.config.json');
const T0 = Date.parse('2026-11-30T08:00:00Z');
const emlIn = (dir: string) => readdirSync(join(root, dir)).filter((f) => f.endsWith('.eml')).sort().map((f) => join(root, dir, f));
/** `overlaps`: the corpus has new requests of different people, whose decisions may run together. */
const CORPORA = [
  { name: 'mail', files: [...emlIn('fixtures/mail'), ...emlIn('fixtures/mail/bad')], overlaps: true },
  // One conversation: after its first request every mail is on its thread or from staff, each decided alone.
  { name: 'conversation', files: emlIn('fixtures/conversation'), overlaps: false },
];

function sidecar(file: string): ReceiptSidecar {
  const path = file.replace(/\.eml$/, '.receipt.json');
  return existsSync(path) ? receiptSidecarSchema.parse(JSON.parse(readFileSync(path, 'utf8'))) : {};
}

/** The CLI's clock: the i-th file arrives i seconds after --now. */
const arrival = (index: number) => {
  const at = new Date(T0 + index * 1000);
  return { now: () => at };
};

interface EndState {
  lines: string[];
  tickets: string[];
  threads: string[];
  quarantined: string[];
  outbox: string[];
  events: string[];
}

/** A result as the comparison sees it: everything but the reason's wording of raw keys and the like. */
function line(file: string, r: Pick<InboundResult, 'outcome' | 'ticket' | 'status' | 'category' | 'priority' | 'missing'> & { replies: { kind: string }[] }): string {
  return [file.split('/').pop(), r.outcome, r.ticket, r.status, r.category, r.priority, r.missing.join('+'), r.replies.map((x) => x.kind).join('+')].join(' ');
}

async function endState(store: TicketStore, dataDir: string, lines: string[], since = { mail: 0, events: 0 }): Promise<EndState> {
  return {
    lines,
    ...(await ticketLines(store)),
    quarantined: (await store.listQuarantine()).map((q) => q.reason).sort(),
    outbox: await outboxLines(dataDir, since.mail),
    events: (await readPublished(join(dataDir, 'sns'))).slice(since.events).map((p) => p.subject ?? '').sort(),
  };
}

/**
 * In this process, on a fresh table: one by one (the reference), or as a batch with `inFlight`
 * mails under way; `overlap` reports the most decisions (lookups) that were under way at once.
 */
async function inProcess(files: string[], inFlight: number | null): Promise<EndState & { overlap: number }> {
  const fx = await withLocalStack({ config: northwindConfig });
  try {
    const { deps, store } = await pipelineOn(fx);
    let deciding = 0;
    let overlap = 0;
    const counted: TicketStore = {
      ...store,
      lookUpInbound: async (q) => {
        overlap = Math.max(overlap, ++deciding);
        try {
          return await store.lookUpInbound(q);
        } finally {
          deciding--;
        }
      },
    };
    const batchDeps = { ...deps, store: counted };
    const lines: string[] = [];
    if (inFlight === null) {
      for (const [i, file] of files.entries()) {
        const results = await deliverAsSes(readFileSync(file), sidecar(file), { ...batchDeps, clock: arrival(i) });
        lines.push(...results.map((r) => line(file, r)));
      }
    } else {
      const byFile: string[][] = [];
      await deliverBatchAsSes(files.length, (i) => ({ raw: readFileSync(files[i]!), verdicts: sidecar(files[i]!), clock: arrival(i) }), batchDeps, {
        inFlight,
        finished: (i, outcome) => {
          if ('error' in outcome) throw outcome.error;
          byFile[i] = outcome.results.map((r) => line(files[i]!, r));
        },
      });
      lines.push(...byFile.flat());
    }
    return { ...(await endState(store, fx.dataDir, lines)), overlap };
  } finally {
    await fx.cleanup();
  }
}

/** `ticketing ingest` as a user runs it, then what its data directory holds. */
async function viaCli(files: string[], data: string): Promise<EndState> {
  const { stdout } = await run(process.execPath, [join(root, 'src/bin/ticketing.mjs'), 'ingest', ...files, '--data', data, '--config', configFile, '--now', new Date(T0).toISOString()], {
    cwd: root,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as InboundResult & { file: string })
    .map((r) => line(r.file, r));
  const stack = await startLocalStack({ dataDir: data, config: northwindConfig });
  const clients = createAwsClients(stack);
  try {
    return await endState(dynamoTicketStore(clients.doc, northwindConfig.aws.tableName), data, lines);
  } finally {
    clients.destroy();
    await stack.close();
  }
}

describe.each(CORPORA)('a batch of the $name corpus delivered concurrently', ({ name, files, overlaps }) => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('ends where delivering the files one by one ends, whether 8 or all of them are under way at once', async () => {
    const oneByOne = await inProcess(files, null);
    const allAtOnce = await inProcess(files, files.length);
    const data = await mkdtemp(join(tmpdir(), `ticketing-batch-${name}-`));
    dirs.push(data);
    const cli = await viaCli(files, data);

    expect(oneByOne.lines).toHaveLength(files.length);
    expect(oneByOne.tickets.length).toBeGreaterThan(1);
    for (const [how, got] of [['all at once', allAtOnce], ['ticketing ingest', cli]] as const) {
      expect(got.lines, how).toEqual(oneByOne.lines);
      expect(got.tickets, how).toEqual(oneByOne.tickets);
      expect(got.threads, how).toEqual(oneByOne.threads);
      expect(got.quarantined, how).toEqual(oneByOne.quarantined);
      expect(got.outbox, how).toEqual(oneByOne.outbox);
      expect(got.events, how).toEqual(oneByOne.events);
    }
    expect(oneByOne.threads.filter((l) => l.includes('does not lead here'))).toEqual([]);
    // Where decisions may overlap, they did: the batch is not one by one in disguise.
    expect(oneByOne.overlap).toBe(1);
    if (overlaps) expect(allAtOnce.overlap).toBeGreaterThan(1);
    else expect(allAtOnce.overlap).toBe(1);
    console.info(
      `[${name}] ${files.length} mails: ${oneByOne.tickets.length} tickets, ${oneByOne.outbox.length} mails sent, ${oneByOne.events.length} events; the same all at once (up to ${allAtOnce.overlap} decisions under way together) and through ticketing ingest`,
    );
  }, 300_000);
});
