/**
 * The stale-ticket job on the embedded stack, travelling in time with the clock: tickets of
 * every priority and status age, activity un-stales, quiet requesters are reminded and then
 * closed, a bouncing requester is only listed, a doubled run does nothing, an empty run sends
 * nothing; and on 10,000 tickets the job reads its candidates, not the table.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketToItem } from '../../src/aws/dynamo-items.js';
import { deliverAsSes } from '../../src/local/ingest.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { addressBook } from '../../src/pipeline/inbound.js';
import { runStaleJob } from '../../src/pipeline/stale-job.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { fixturesDir, manualClock, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withHeaders } from '../support/rewrite.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T0 = '2026-11-02T08:00:00Z';
const triageMail = (name: string) => readFileSync(new URL(`triage/${name}`, fixturesDir));
const book = addressBook(northwindConfig);

describe('the stale job on the embedded stack (dynalite)', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: 'dynalite', config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('flags by priority and status, clears on activity, reminds, closes, and runs once per slot', async () => {
    const clock = manualClock(T0);
    const { deps, store, config } = await pipelineOn(fx, clock);
    const run = () => runStaleJob({ store, mailer: deps.mailer, events: null, clock }, config, book);
    const outbox = join(fx.dataDir, 'outbox');
    for (const f of [
      '02-iphone-clicked-phishing-link.eml', // TKT-1 P1
      '11-iphone-contractor-cracked-screen-cant-work.eml', // TKT-2 P2
      '04-apple-mail-suspicious-invoice-forward.eml', // TKT-3 P3
      '09-apple-mail-keyboard-no-rush.eml', // TKT-4 P4
      '08-outlook-ios-monitor-flickers.eml', // TKT-5 P3, awaiting-info
      '13-thunderbird-printer-offline-which.eml', // TKT-6 P3, awaiting-info, requester bouncing
    ])
      await deliverAsSes(triageMail(f), {}, deps);
    const t6 = (await store.getTicketById(6))!;
    await store.markBouncing(t6.requester, '550 5.1.1 mailbox unavailable', T0);

    clock.advance(6 * HOUR); // the P1 threshold is 4 h
    const first = await run();
    expect(first.result).toMatchObject({ alreadyRan: false, flagged: ['TKT-1'], cleared: [], nudged: [], closed: [] });
    expect(first.result.digest).toMatchObject({ to: 'it-team@northwind.example', tickets: ['TKT-1'] });
    expect(first.digestHtml).toContain('TKT-1');
    // No mail caused the digest: it threads on nothing, and its schedule slot names it.
    const digestEntry = (await readOutbox(outbox)).at(-1)!;
    expect(digestEntry.composedMessageId).toBe('digest.20261102T1400@northwind.example');
    const digest = await simpleParser(readFileSync(digestEntry.rawPath));
    expect(digest.inReplyTo).toBeUndefined();
    expect(digest.references).toBeUndefined();
    expect(digest.from?.value).toEqual([{ name: 'Northwind IT', address: 'support@northwind.example' }]);
    expect(digest.replyTo?.value).toEqual([{ name: '', address: 'support@northwind.example' }]);
    expect(digest.headers.get('auto-submitted')).toBe('auto-generated');

    const sentBefore = (await readOutbox(outbox)).length;
    const doubled = await run(); // the same slot again: a retried or doubled invocation
    expect(doubled.result).toMatchObject({ alreadyRan: true, flagged: [], digest: null, nudged: [] });
    expect((await readOutbox(outbox)).length).toBe(sentBefore);

    clock.advance(8 * DAY - 6 * HOUR);
    const later = await run();
    expect(later.result.flagged).toEqual(['TKT-2', 'TKT-3', 'TKT-4', 'TKT-5']);
    expect(later.result.nudged).toEqual(['TKT-5']);
    expect(later.result.closed).toEqual([]);
    expect(later.result.digest!.tickets.sort()).toEqual(['TKT-1', 'TKT-2', 'TKT-3', 'TKT-4', 'TKT-5', 'TKT-6']);
    const nudge = (await readOutbox(outbox)).at(-2)!; // the reminder, then the digest
    expect(readFileSync(nudge.rawPath, 'latin1')).toMatch(/TKT-5/);
    // The reminder answers the ticket's request.
    const t5 = (await store.getTicketById(5))!;
    const reminder = await simpleParser(readFileSync(nudge.rawPath));
    expect(reminder.inReplyTo).toBe(`<${t5.originMessageId}>`);
    expect(reminder.references).toBe(`<${t5.originMessageId}>`);
    expect((await store.getTicketById(6))!.nudgedAt).toBeNull(); // bouncing: nothing sent
    expect((await store.getTicketById(3))!.stale).toBe(true);

    // The requester of TKT-3 writes again: the next run clears its flag.
    const t3 = (await store.getTicketById(3))!;
    clock.advance(HOUR);
    await deliverAsSes(withHeaders(triageMail('04-apple-mail-suspicious-invoice-forward.eml'), { 'Message-ID': '<again-3@northwind.example>', 'In-Reply-To': `<${t3.originMessageId}>` }), {}, deps);
    clock.advance(HOUR);
    const cleared = await run();
    expect(cleared.result.cleared).toEqual(['TKT-3']);
    expect(cleared.result.flagged).toEqual([]);
    expect((await store.getTicketById(3))!.stale).toBe(false);

    // Ten quiet days after its last activity, and reminded: TKT-5 is closed with a notice.
    clock.advance(3 * DAY);
    const closing = await run();
    expect(closing.result.closed).toEqual(['TKT-5']);
    expect(closing.result.nudged).toEqual([]);
    expect((await store.getTicketById(5))!.status).toBe('closed');
    const events = await store.listEvents((await store.getTicketById(5))!.key);
    expect(events.map((e) => e.why)).toEqual(expect.arrayContaining([expect.stringMatching(/reminded .* after 8 quiet days/), expect.stringMatching(/no answer from .* for 11 days: closed/)]));
    expect((await store.getTicketById(6))!.status).toBe('awaiting-info'); // bouncing: never closed
    expect(closing.result.cleared).toContain('TKT-5');
  });

  it('sends nothing when nothing is stale', async () => {
    const clock = manualClock(T0);
    const { deps, store, config } = await pipelineOn(fx, clock);
    await deliverAsSes(triageMail('21-outlook-distribution-list.eml'), {}, deps);
    clock.advance(HOUR);
    const before = (await readOutbox(join(fx.dataDir, 'outbox'))).length;
    const { result } = await runStaleJob({ store, mailer: deps.mailer, events: null, clock }, config, book);
    expect(result).toMatchObject({ flagged: [], cleared: [], digest: null, nudged: [], closed: [] });
    expect((await readOutbox(join(fx.dataDir, 'outbox'))).length).toBe(before);
    const allClear = await runStaleJob({ store, mailer: deps.mailer, events: null, clock: manualClock('2026-11-02T10:00:00Z') }, { ...config, stale: { ...config.stale, allClear: true } }, book);
    expect(allClear.result.digest).toMatchObject({ tickets: [] });
    expect(allClear.result.digest!.subject).toMatch(/all clear/i);
  });

  it('reads only its candidates on a store of 10,000 tickets with 20 stale', async () => {
    const now = new Date('2026-11-23T08:00:00Z');
    const { store, deps, config } = await pipelineOn(fx, manualClock(now.toISOString()));
    const priorities = ['P1', 'P2', 'P3', 'P4'] as const;
    const tickets: Ticket[] = [];
    for (let n = 1; n <= 10_000; n++) {
      const stale = n % 500 === 0; // 20 of them
      const priority = priorities[n % 4]!;
      const idle = stale ? 30 * DAY : (n % 3) * HOUR; // everyone else was active within 3 hours
      tickets.push(seedTicket(n, priority, new Date(now.getTime() - idle).toISOString()));
    }
    for (let i = 0; i < tickets.length; i += 25) {
      await fx.clients.doc.send(new BatchWriteCommand({ RequestItems: { [config.aws.tableName]: tickets.slice(i, i + 25).map((t) => ({ PutRequest: { Item: ticketToItem(t) } })) } }));
    }
    const reads = countReads(fx);
    const { result } = await runStaleJob({ store, mailer: deps.mailer, events: null, clock: manualClock(now.toISOString()) }, config, book);
    const counted = reads.stop();
    expect(result.flagged).toHaveLength(20);
    expect(result.digest!.tickets).toHaveLength(20);
    expect(counted.scans).toBe(0);
    // 5 index queries (one per priority, some empty), the run record and the last run: the
    // items read are the 20 candidates plus bookkeeping, whatever the table's size.
    expect(counted.itemsRead).toBeLessThanOrEqual(20 + 5);
    expect(counted.requests).toBeLessThanOrEqual(10);
    console.info(`[stale job, 10,000 tickets, 20 stale] ${counted.requests} read requests (${counted.operations.join(', ')}), ${counted.itemsRead} items read, 0 scans`);
  }, 180_000);

  it('runs from the command line on the --now clock and writes the digest HTML', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const data = join(fx.dataDir, 'cli-stale');
    const cli = (args: string[]) =>
      promisify(execFile)(process.execPath, [join(root, 'src/bin/ticketing.mjs'), ...args, '--data', data, '--config', join(root, 'fixtures/northwind.config.json')], { cwd: root });
    await cli(['ingest', join(root, 'fixtures/triage/09-apple-mail-keyboard-no-rush.eml'), '--now', T0]);
    const html = join(data, 'digest.html');
    const { stdout } = await cli(['stale', '--json', '--now', '2026-11-10T08:00:00Z', '--html', html]);
    const out = JSON.parse(stdout);
    expect(Object.keys(out).slice(0, 5)).toEqual(['flagged', 'cleared', 'digest', 'nudged', 'closed']);
    expect(out).toMatchObject({ flagged: ['TKT-1'], digest: { to: 'it-team@northwind.example', tickets: ['TKT-1'] } });
    expect(existsSync(html)).toBe(true);
    const again = JSON.parse((await cli(['stale', '--json', '--now', '2026-11-10T08:10:00Z'])).stdout);
    expect(again).toMatchObject({ alreadyRan: true, digest: null });
    const table = await cli(['tickets']);
    expect(table.stdout).toMatch(/TKT-1 .*STALE|STALE.*\n.*TKT-1/s);
  });
});

function seedTicket(n: number, priority: string, lastActivityAt: string): Ticket {
  return {
    key: `seed${String(n).padStart(6, '0')}`,
    number: 100_000 + n,
    id: `TKT-${100_000 + n}`,
    subject: `Seeded request ${n}`,
    requester: `user${n}@northwind.example`,
    requesterName: '',
    participants: [],
    status: 'open',
    category: 'other',
    priority,
    triageReasons: [],
    missing: [],
    assignee: null,
    duplicateOf: null,
    createdAt: lastActivityAt,
    lastActivityAt,
    stale: false,
    messageKeys: [],
    mergedKeys: [],
    fingerprint: '',
    originMessageId: `seed-${n}@northwind.example`,
    outboundTexts: [],
    followUpAsks: 0,
    resolvedAt: null,
    linkedTo: null,
    staleSince: null,
    nudgedAt: null,
    lastExcerpt: `It still does not work (${n})`,
  };
}

/** Read requests and the items they returned, counted on the DynamoDB client. */
function countReads(fx: StackFixture) {
  const counts = { requests: 0, itemsRead: 0, scans: 0, operations: [] as string[] };
  const name = `countReads${Date.now()}`;
  fx.clients.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      const op = String(context.commandName).replace(/Command$/, '');
      if (/^(Query|Scan|GetItem|BatchGetItem)$/.test(op)) {
        counts.requests++;
        counts.operations.push(op);
        if (op === 'Scan') counts.scans++;
        const o = out.output as { Items?: unknown[]; Item?: unknown; Responses?: Record<string, unknown[]> };
        counts.itemsRead += o.Items?.length ?? (o.Item ? 1 : 0) + Object.values(o.Responses ?? {}).reduce((n, r) => n + r.length, 0);
      }
      return out;
    },
    { step: 'initialize', name },
  );
  return {
    stop() {
      fx.clients.dynamo.middlewareStack.remove(name);
      return counts;
    },
  };
}
