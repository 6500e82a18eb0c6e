/**
 * The indexes the console's queue and search read, on dynalite and on Amazon DynamoDB Local:
 * open tickets from the sparse openByActivity index (one Query per priority), everything else
 * from byActivity read backwards a page at a time. Counts the requests each read costs, so "a
 * few reads per page" is a measured figure here, not a claim.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoTicketStore } from '../../src/aws/dynamo-store.js';
import { ticketToItem } from '../../src/aws/dynamo-items.js';
import { Table } from '../../src/aws/dynamo-table.js';
import { createTableInput, TABLE_KEYS } from '../../src/aws/table.js';
import { ensureTable, tableActive } from '../../src/local/stack.js';
import { missingIndexes, spareTableName } from '../../src/local/table-upgrade.js';
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { ThreadMessage, Ticket } from '../../src/domain/ticket.js';
import { cursorToPosition, findTickets, positionToCursor, TICKETS_PER_READ } from '../../src/pipeline/find-tickets.js';
import type { TicketStore } from '../../src/pipeline/ports.js';
import { countRoundTrips } from '../support/round-trips.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const TOTAL = 700;
const START = Date.parse('2026-01-01T00:00:00Z');
/** Ticket n's last activity: one an hour, with pairs sharing an instant (ties must page cleanly). */
const activityOf = (n: number) => new Date(START + Math.floor(n / 2) * 3600_000).toISOString();

function ticket(n: number): Ticket {
  const at = activityOf(n);
  return {
    key: `k${String(n).padStart(5, '0')}`,
    number: n,
    id: `TKT-${n}`,
    subject: n % 100 === 7 ? `VPN drops every hour (${n})` : `Printer question ${n}`,
    requester: `user${n % 40}@northwind.example`,
    requesterName: '',
    participants: [],
    status: n % 5 === 0 ? 'open' : n % 5 === 1 ? 'waiting-on-requester' : n % 5 === 2 ? 'resolved' : 'closed',
    category: 'hardware',
    priority: (['P1', 'P2', 'P3', 'P4', null] as const)[n % 5 === 0 ? (n / 5) % 5 : 2]!,
    triageReasons: [],
    missing: [],
    assignee: null,
    duplicateOf: null,
    createdAt: at,
    lastActivityAt: at,
    stale: false,
    messageKeys: [],
    mergedKeys: [],
    fingerprint: '',
    originMessageId: `<${n}@northwind.example>`,
    outboundTexts: [],
    followUpAsks: 0,
    resolvedAt: n % 5 === 2 ? at : null,
    linkedTo: null,
    staleSince: null,
    nudgedAt: null,
    lastExcerpt: `text of ticket ${n}`,
  };
}

describe.each(['dynalite', 'dynamodb-local'] as const)('the ticket indexes (%s)', (backend) => {
  let fx: StackFixture;
  let store: TicketStore;
  let requests: ReturnType<typeof countRoundTrips>;
  const all = Array.from({ length: TOTAL }, (_, i) => ticket(i + 1));

  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: backend });
    requests = countRoundTrips(fx.clients.dynamo);
    store = dynamoTicketStore(fx.clients.doc, fx.config.aws.tableName);
    await new Table(fx.clients.doc, fx.config.aws.tableName).batchWrite(all.map(ticketToItem));
    // One ticket not numbered yet (its delivery is still running): no index may show it.
    await new Table(fx.clients.doc, fx.config.aws.tableName).batchWrite([ticketToItem({ ...ticket(TOTAL + 1), number: 0, id: '' })]);
  }, 120_000);

  afterAll(async () => {
    await fx?.cleanup();
  });

  it('lists the open tickets with one Query per priority, and only those', async () => {
    requests.reset();
    const open = await store.openTickets();
    expect(open.map((t) => t.number).sort((a, b) => a - b)).toEqual(all.filter((t) => t.status === 'open' || t.status === 'waiting-on-requester').map((t) => t.number));
    expect(requests.get()).toMatchObject({ requests: 5, roundTrips: 1 });
  });

  it('reads every numbered ticket newest activity first, a page per Query, with no gap or repeat across tied times', async () => {
    requests.reset();
    const seen: number[] = [];
    let from = null;
    for (;;) {
      const page = await store.ticketsByActivity(from, TICKETS_PER_READ);
      seen.push(...page.tickets.map((t) => t.number));
      if (page.end) break;
      from = { lastActivityAt: page.tickets.at(-1)!.lastActivityAt, key: page.tickets.at(-1)!.key };
    }
    expect(seen).toHaveLength(TOTAL);
    expect(new Set(seen).size).toBe(TOTAL);
    const times = seen.map(activityOf);
    expect(times).toEqual([...times].sort().reverse());
    expect(requests.get().requests).toBe(Math.ceil(TOTAL / TICKETS_PER_READ) + (TOTAL % TICKETS_PER_READ === 0 ? 1 : 0));
  });

  it('finds a page of search results within its read budget, and goes on from the cursor it gives', async () => {
    const vpn = (t: Ticket) => t.subject.toLowerCase().includes('vpn');
    requests.reset();
    const first = await findTickets(store, { matches: vpn, from: null, want: 3, maxReads: 4 });
    expect(first.tickets.map((t) => t.number)).toEqual([607, 507, 407]);
    expect(first.reads).toBe(2);
    expect(requests.get().requests).toBe(2);

    const from = cursorToPosition(positionToCursor(first.next!));
    const rest = await findTickets(store, { matches: vpn, from, want: 3, maxReads: 4 });
    expect(rest.tickets.map((t) => t.number)).toEqual([307, 207, 107]);
    const last = await findTickets(store, { matches: vpn, from: rest.next, want: 3, maxReads: 4 });
    expect(last.tickets.map((t) => t.number)).toEqual([7]);
    expect(last.next).toBeNull();

    // Nothing matches: the page stops after its budget, says where it got to, and costs no more.
    requests.reset();
    const none = await findTickets(store, { matches: () => false, from: null, want: 50, maxReads: 2 });
    expect(none).toMatchObject({ tickets: [], reads: 2 });
    expect(none.next!.lastActivityAt).toBe(activityOf(TOTAL - 2 * TICKETS_PER_READ + 1));
    expect(requests.get().requests).toBe(2);
  });

  it('lists the tickets resolved since a time with one Query, closed ones not among them', async () => {
    requests.reset();
    const resolved = await store.resolvedSince(activityOf(TOTAL - 20));
    expect(resolved.map((t) => t.number).sort((a, b) => a - b)).toEqual([682, 687, 692, 697]);
    expect(requests.get().requests).toBe(1);
  });

  it('follows new activity and status by itself: the touched ticket comes first, a resolved one leaves the open index only', async () => {
    const old = (await store.getTickets(['k00005'])).get('k00005')!;
    await store.changeTicket({ ticket: old, changes: { status: 'resolved', resolvedAt: '2026-03-01T00:00:00.000Z' }, events: [], causeKey: 'test' });
    const at = '2026-03-01T00:00:00.000Z';
    const thanks: ThreadMessage = { ticketKey: old.key, key: 'm-late', direction: 'inbound', messageId: '<late@northwind.example>', from: old.requester, to: [], cc: [], subject: 'Re: x', date: at, receivedAt: at, visibleText: 'thanks', rawBlobKey: 'raw/late', attachments: [], reason: 'a reply', role: 'appended', parseWarnings: [] };
    await store.appendMessage({ ticket: { ...old, status: 'resolved', resolvedAt: at }, message: thanks, threadKeys: [], receipts: [], newParticipants: [], activityAt: at, merged: false });
    const newest = await store.ticketsByActivity(null, 1);
    expect(newest.tickets.map((t) => [t.number, t.status])).toEqual([[5, 'resolved']]);
    expect((await store.openTickets()).map((t) => t.number)).not.toContain(5);
    expect((await store.resolvedSince('2026-02-28T00:00:00.000Z')).map((t) => t.number)).toEqual([5]);
    // Closed (as the stale job closes a resolved ticket): out of the resolved partition, still in byActivity.
    const resolved = (await store.getTickets([old.key])).get(old.key)!;
    await store.changeTicket({ ticket: resolved, changes: { status: 'closed' }, events: [], causeKey: 'test-close' });
    expect(await store.resolvedSince('2026-02-28T00:00:00.000Z')).toEqual([]);
    expect((await store.ticketsByActivity(null, 1)).tickets.map((t) => [t.number, t.status])).toEqual([[5, 'closed']]);
  });
});

describe.each(['dynalite', 'dynamodb-local'] as const)('a data directory from before the byActivity index (%s)', (backend) => {
  let fx: StackFixture;
  afterAll(async () => {
    await fx?.cleanup();
  });

  /** A table as the older version made it, with its items as it wrote them (no byActivity key). */
  async function oldTable(name: string): Promise<void> {
    const before = createTableInput(name);
    before.GlobalSecondaryIndexes = before.GlobalSecondaryIndexes!.filter((index) => index.IndexName !== TABLE_KEYS.byActivity.name);
    before.AttributeDefinitions = before.AttributeDefinitions!.filter((a) => a.AttributeName !== TABLE_KEYS.byActivity.pk && a.AttributeName !== TABLE_KEYS.byActivity.sk);
    await fx.clients.dynamo.send(new CreateTableCommand(before));
    await tableActive(fx.clients.dynamo, name);
    // Numbers 1, 3, 5, 7 (waiting, closed, open, resolved): each with an activity time of its own.
    const items = [1, 3, 5, 7].map((n) => {
      const { [TABLE_KEYS.byActivity.pk]: _dropped, ...item } = ticketToItem(ticket(n));
      // The older version kept resolved tickets out of openByActivity.
      if (item.status === 'resolved') for (const key of [TABLE_KEYS.openByActivity.pk, TABLE_KEYS.openByActivity.sk]) delete item[key];
      return item;
    });
    await new Table(fx.clients.doc, name).batchWrite([...items, { pk: 'N#1', sk: 'N', type: 'alias', ticketKey: 'k00001' }]);
  }

  /** Stops the process (as far as the upgrade can tell) right after its `n`th table or item write. */
  function crashAfter(n: number) {
    let taken = 0;
    const name = `crash-after-${n}`;
    fx.clients.dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (/^(CreateTable|DeleteTable|PutItem|BatchWriteItem)Command$/.test(String(context.commandName)) && ++taken === n) throw new Error(`crashed after step ${n} (${context.commandName})`);
        return result;
      },
      { step: 'initialize', name },
    );
    return { remove: () => fx.clients.dynamo.middlewareStack.remove(name) };
  }

  async function expectWhole(name: string): Promise<void> {
    const store = dynamoTicketStore(fx.clients.doc, name);
    expect(await missingIndexes(fx.clients.dynamo, name)).toEqual([]);
    expect(await store.resolvedSince('2000-01-01T00:00:00Z')).toEqual([]);
    expect(await store.reindexTickets()).toBe(4);
    expect((await store.ticketsByActivity(null, 10)).tickets.map((t) => t.number)).toEqual([7, 5, 3, 1]);
    expect((await store.resolvedSince('2000-01-01T00:00:00Z')).map((t) => t.number)).toEqual([7]);
    expect((await store.getTicketById(1))?.subject).toBe('Printer question 1');
    expect(await store.reindexTickets()).toBe(0);
    expect(await missingIndexes(fx.clients.dynamo, spareTableName(name))).toEqual([]);
    expect((await fx.clients.dynamo.send(new ListTablesCommand({}))).TableNames).not.toContain(spareTableName(name));
  }

  it('gets the index on the next start, keeping every item, and its tickets go into it once', async () => {
    fx = await withLocalStack({ dynamo: backend });
    await oldTable('tickets-old');
    expect(await missingIndexes(fx.clients.dynamo, 'tickets-old')).toEqual([TABLE_KEYS.byActivity.name]);
    await ensureTable(fx.clients.dynamo, 'tickets-old');
    await expectWhole('tickets-old');
    await ensureTable(fx.clients.dynamo, 'tickets-old');
  }, 60_000);

  it('finishes on the next start wherever the upgrade stopped, and loses nothing', async () => {
    // The upgrade's writes: the spare created, its items, its mark, the table dropped and created, the items back, the spare dropped.
    for (let step = 1; step <= 7; step++) {
      const name = `tickets-crash-${step}`;
      await oldTable(name);
      const crash = crashAfter(step);
      await expect(ensureTable(fx.clients.dynamo, name), `step ${step}`).rejects.toThrow(/crashed after step/);
      crash.remove();
      await ensureTable(fx.clients.dynamo, name);
      await expectWhole(name);
    }
  }, 240_000);
});

describe('a search cursor', () => {
  it('round-trips a position and refuses anything we did not make', () => {
    const p = { lastActivityAt: '2026-12-06T10:00:00.000Z', key: 'a1b2c3' };
    expect(cursorToPosition(positionToCursor(p))).toEqual(p);
    for (const bad of ['', 'bogus', '!!!', Buffer.from('["x","k"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["2026-12-06T10:00:00Z","T#x y"]').toString('base64url'), 'a'.repeat(500)]) {
      expect(cursorToPosition(bad), bad).toBeNull();
    }
  });
});
