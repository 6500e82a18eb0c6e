/**
 * What the daily stale job reads from DynamoDB as the table grows: requests, items and read
 * units (not time), on a table of 1k, 10k and 100k tickets in dynalite, each in a child process
 * of its own (`--child N`). Also one sweep (every 10 minutes) and one staff-console page (the
 * queue, a search that fills a page, a search that finds nothing) on the same table.
 *
 * The table is what a help desk receiving 10,000 tickets a month holds after N of them, on the
 * morning of a daily run: tickets opened evenly over N / 10,000 months; 97% resolved a while
 * after they opened (exponentially, 2 days on average; resolved and closed tickets leave the
 * sparse index), 3% forgotten and still open; an open ticket last active at a random moment
 * since it opened; a quarter of the recently active ones waiting on their requester; those
 * already stale yesterday flagged by yesterday's run, which is the last run recorded. Ticket
 * items are written as the adapter writes them (ticketToItem), with a kept acknowledgement text.
 */
import { createRequire } from 'node:module';
import type { AddressInfo, Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dynamoTicketStore } from '../../src/aws/dynamo-store.js';
import { ticketToItem } from '../../src/aws/dynamo-items.js';
import { Table } from '../../src/aws/dynamo-table.js';
import type { Config } from '../../src/config.js';
import { candidateCutoff, isStale, slotOf } from '../../src/domain/stale.js';
import { fingerprint } from '../../src/domain/similarity.js';
import { messageKey, type Ticket, type TicketStatus } from '../../src/domain/ticket.js';
import { createAwsClients, ensureTable } from '../../src/local/stack.js';
import { readQueue, searchAllTickets } from '../../src/http/console/queue-reads.js';
import { addressBook } from '../../src/pipeline/inbound.js';
import { runStaleJob } from '../../src/pipeline/stale-job.js';
import { sweepPlans } from '../../src/pipeline/sweep.js';
import { RecordingMailer } from '../support/memory-ports.js';
import { northwindConfig } from '../support/pipeline.js';
import { mulberry32 } from '../support/random.js';
import { countCapacity, type Capacity } from './capacity.js';
import { runTsChild } from './measure.js';

export interface StaleReads {
  tickets: number;
  open: number;
  /** Open tickets idle past their priority's cutoff: what the job's index queries return. */
  candidates: number;
  /** Tickets flagged stale after the run. */
  stale: number;
  job: Capacity;
  sweep: Capacity;
  /** Seconds it took to write the table (dynalite, in the child). */
  loadSeconds: number;
  /** One page of the staff console on the same table (src/http/console/queue-reads.ts). */
  console: ConsoleReads;
}

export interface ConsoleReads {
  /** The queue: every open ticket and this week's resolved ones (all views and their counts). */
  queue: Capacity;
  /** "All tickets" searched for a word in a sixth of the subjects: a full page of 50. */
  search: Capacity;
  /** "All tickets" searched for a word in no ticket: the read budget, then a cursor. */
  searchNothing: Capacity;
}

// dynalite ships no types: typed to what is used. No path: the table lives in memory.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: { createTableMs: number }) => Server;

const TICKETS_PER_DAY = 10_000 / 30;
const DAY = 24 * 3600_000;
const NOW = new Date('2026-11-23T08:00:00Z');
const SUBJECTS = ['VPN drops every few minutes', 'Printer on 3rd floor not printing', 'Outlook keeps asking for my password', 'Laptop fan very loud and slow', 'Access to the Audit2026 share', 'Teams camera not detected'];
const BODY = 'Since this morning the VPN disconnects every ten minutes or so and I lose my session in the finance system. I restarted the laptop and my router, same result. A colleague on the same floor has the same problem, so I do not think it is just me. Laptop: NW-LT-0217 (Windows 11). I have the month-end close today, so I need the finance share as soon as possible.';
const ACK = 'Hello,\n\nWe have received your request and opened a ticket for it. Our IT team will look at it during office hours; you will hear from us when there is news. Reply to this mail to add anything, and keep the ticket number in the subject so your reply reaches the same ticket.\n\nNorthwind IT';

/** The table's tickets, newest first, as described at the top of this file. */
function* generateTickets(n: number, config: Config): Generator<Ticket> {
  const rng = mulberry32(n);
  const spanMs = (n / TICKETS_PER_DAY) * DAY;
  const yesterday = new Date(NOW.getTime() - DAY);
  for (let i = 0; i < n; i++) {
    const created = NOW.getTime() - ((i + 0.5) / n) * spanMs;
    const p = rng();
    const priority = p < 0.05 ? 'P1' : p < 0.25 ? 'P2' : p < 0.85 ? 'P3' : p < 0.95 ? 'P4' : null;
    const forgotten = rng() < 0.03;
    const resolvedAt = created - Math.log(1 - rng()) * 2 * DAY;
    const open = forgotten || resolvedAt >= NOW.getTime();
    const last = open ? created + rng() * (NOW.getTime() - created) : resolvedAt;
    const waiting = open && NOW.getTime() - last < 3 * DAY && rng() < 0.25;
    const status: TicketStatus = !open ? (rng() < 0.5 ? 'resolved' : 'closed') : waiting ? 'waiting-on-requester' : 'open';
    const subject = SUBJECTS[i % SUBJECTS.length]!;
    const number = n - i;
    const at = new Date(created).toISOString();
    const ticket: Ticket = {
      key: messageKey(`bench-${n}-${i}@northwind.example`),
      number,
      id: `${config.ticketPrefix}-${number}`,
      subject,
      requester: `user${Math.floor(rng() * 3000)}@northwind.example`,
      requesterName: 'Maria Garcia',
      participants: [],
      status,
      category: 'network',
      priority,
      triageReasons: ['keyword "VPN" (network)', 'default priority P3'],
      missing: [],
      assignee: rng() < 0.5 ? 'alex.kim@northwind.example' : null,
      duplicateOf: null,
      createdAt: at,
      lastActivityAt: new Date(last).toISOString(),
      stale: false,
      messageKeys: [messageKey(`bench-${n}-${i}@northwind.example`)],
      mergedKeys: [],
      fingerprint: fingerprint(subject, BODY),
      originMessageId: `bench-${n}-${i}@northwind.example`,
      outboundTexts: [ACK],
      followUpAsks: 0,
      resolvedAt: open ? null : new Date(resolvedAt).toISOString(),
      linkedTo: null,
      staleSince: null,
      nudgedAt: null,
      lastExcerpt: BODY.slice(0, 199),
    };
    if (open && isStale(ticket, yesterday, config.stale)) Object.assign(ticket, { stale: true, staleSince: yesterday.toISOString() });
    yield ticket;
  }
}

/** In the child: load a table of `n` tickets, then count one stale job and one sweep. */
async function measureAt(n: number): Promise<StaleReads> {
  const config = northwindConfig;
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients = createAwsClients({ dynamodb: endpoint, s3: endpoint, ses: endpoint, sns: endpoint });
  try {
    const tableName = 'stale-bench';
    await ensureTable(clients.dynamo, tableName);
    const table = new Table(clients.doc, tableName);
    const store = dynamoTicketStore(clients.doc, tableName);
    const started = performance.now();
    let open = 0;
    const flagged: string[] = [];
    let batch: Record<string, unknown>[] = [];
    const inFlight = new Set<Promise<void>>();
    for (const t of generateTickets(n, config)) {
      if (t.status !== 'resolved' && t.status !== 'closed') open++;
      if (t.stale) flagged.push(t.key);
      batch.push(ticketToItem(t));
      if (batch.length === 500) {
        const write = table.batchWrite(batch).then(() => void inFlight.delete(write));
        inFlight.add(write);
        batch = [];
        if (inFlight.size >= 4) await Promise.race(inFlight);
      }
    }
    await Promise.all([...inFlight, table.batchWrite(batch)]);
    const yesterday = new Date(NOW.getTime() - 24 * 3600_000);
    await store.finishStaleRun({ slot: slotOf(yesterday, config.stale), startedAt: yesterday.toISOString(), finishedAt: yesterday.toISOString(), result: {}, flaggedKeys: flagged });
    const loadSeconds = (performance.now() - started) / 1000;

    const capacity = countCapacity(clients.dynamo);
    const ports = { store, mailer: new RecordingMailer(config.aws.region), events: null, clock: { now: () => NOW } };
    const { result } = await runStaleJob(ports, config, addressBook(config));
    const job = capacity.get();
    capacity.reset();
    await sweepPlans({ ...ports, clock: { now: () => new Date(NOW.getTime() + 10 * 60_000) } }, config);
    const sweep = capacity.get();
    capacity.reset();
    const consoleReads: Partial<ConsoleReads> = {};
    await readQueue(store, NOW);
    consoleReads.queue = capacity.get();
    for (const [name, word] of [['search', 'camera'], ['searchNothing', 'no-such-word']] as const) {
      capacity.reset();
      await searchAllTickets(store, (t) => t.subject.toLowerCase().includes(word), null);
      consoleReads[name] = capacity.get();
    }
    // Counted after the measured runs, so these reads are not in their figures.
    const lists = await Promise.all((['P1', 'P2', 'P3', 'P4', null] as const).map((p) => store.staleCandidates(p, candidateCutoff(p, NOW, config.stale))));
    return { tickets: n, open, candidates: lists.flat().length, stale: flagged.length + result.flagged.length - result.cleared.length, job, sweep, loadSeconds, console: consoleReads as ConsoleReads };
  } finally {
    clients.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

export async function measureStaleReads(sizes: number[], log: (line: string) => void): Promise<StaleReads[]> {
  const out: StaleReads[] = [];
  for (const n of sizes) {
    const started = performance.now();
    out.push(await runTsChild<StaleReads>(fileURLToPath(import.meta.url), ['--child', String(n)], { nodeArgs: ['--max-old-space-size=8192'], timeoutMs: 20 * 60_000 }));
    log(`  stale job at ${n} tickets: table written in ${out.at(-1)!.loadSeconds.toFixed(0)} s, measured in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  return out;
}

if (process.argv[2] === '--child') process.stdout.write(`\n${JSON.stringify(await measureAt(Number(process.argv[3])))}\n`);
