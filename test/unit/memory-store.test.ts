/**
 * The in-memory ports (test/support/memory-ports.ts) against the real pipeline: the fixture
 * corpus gives the same outcomes, tickets and replies as on dynalite and DynamoDB Local
 * (test/integration/inbound.test.ts), re-deliveries are dropped, and the conditional writes hold
 * when two deliveries of one mail race. The bench measures processInbound on these ports.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deliverAsSes } from '../../src/local/ingest.js';
import { processInbound, type InboundResult } from '../../src/pipeline/inbound.js';
import { memoryPorts } from '../support/memory-ports.js';
import { fixtureMail, fixtureSidecar, fixturesDir, manualClock, northwindConfig } from '../support/pipeline.js';

interface Expected {
  file: string;
  outcome: InboundResult['outcome'];
  ticket: string | null;
  requester: string | null;
  replies: string[];
}

const expected: Expected[] = JSON.parse(readFileSync(new URL('mail/expected.json', fixturesDir), 'utf8'));
const firstCreated = expected.find((e) => e.outcome === 'created')!;

function ports() {
  return memoryPorts(northwindConfig, { clock: manualClock('2026-11-23T08:00:00Z') });
}

describe('in-memory ports under the inbound pipeline', () => {
  it('turn the fixture corpus into the tickets and replies the DynamoDB adapters give', async () => {
    // Prepare
    const deps = ports();
    const seen: { file: string; outcome?: string; ticket?: string | null; replies?: string[] }[] = [];
    // Act
    for (const e of expected) {
      const [r] = await deliverAsSes(fixtureMail(e.file), fixtureSidecar(e.file), deps);
      seen.push({ file: e.file, outcome: r?.outcome, ticket: r?.ticket, replies: r?.replies.map((x) => x.kind) });
      deps.clock.advance(60_000);
    }
    // Assess
    expect(seen).toEqual(expected.map(({ file, outcome, ticket, replies }) => ({ file, outcome, ticket, replies })));
    for (const e of expected.filter((x) => x.outcome === 'created' && x.requester)) {
      expect({ file: e.file, requester: (await deps.store.getTicketById(Number(e.ticket!.split('-')[1])))?.requester }).toEqual({ file: e.file, requester: e.requester });
    }
    expect(await deps.store.listQuarantine()).toHaveLength(expected.filter((e) => e.outcome === 'quarantined').length);
    // Every mail the results name went through the mailer once.
    expect(deps.mailer.sent).toHaveLength(seen.flatMap((s) => s.replies ?? []).length);
  });

  it('creates a ticket, appends a reply on its thread and drops a re-delivery, through processInbound itself', async () => {
    // Prepare
    const deps = ports();
    const deliver = async (file: string, rawKey: string) => {
      await deps.blobs.put(rawKey, fixtureMail(file));
      const receipt = { source: 'ses' as const, rawKey, receivedAt: deps.clock.now().toISOString(), recipients: ['support@northwind.example'], verdicts: null };
      const result = await processInbound(receipt, deps, northwindConfig);
      deps.clock.advance(60_000);
      return result;
    };
    // Act
    const created = await deliver('01-outlook-new-vpn-down.eml', 'inbound/a1');
    const appended = await deliver('04-outlook-ios-reply-vpn.eml', 'inbound/a2');
    const again = await deliver('01-outlook-new-vpn-down.eml', 'inbound/a3');
    // Assess
    expect(created).toMatchObject({ outcome: 'created', ticket: 'TKT-1' });
    expect(created.replies.map((r) => r.kind)).toEqual(['ack', 'staff-notification']);
    expect(appended).toMatchObject({ outcome: 'appended', ticket: 'TKT-1' });
    expect(again).toMatchObject({ outcome: 'redelivered', ticket: 'TKT-1', replies: [] });
    const [ticket] = await deps.store.listTickets();
    const thread = await deps.store.listMessages(ticket!.key);
    expect(thread.map((m) => `${m.direction} ${m.role}`)).toEqual(['inbound request', 'outbound ack', 'outbound staff-notification', 'inbound reply', ...appended.replies.map((r) => `outbound ${r.kind}`)]);
    // Each sent mail's Message-IDs (ours and the one SES would give it) lead back to the ticket.
    const found = await deps.store.lookUpInbound({ receiptIds: [], threadKeys: thread.map((m) => m.messageId), ticketKeys: [], messageItems: [], ticketNumber: null, requester: null, profile: null, planKey: 'none' });
    expect(new Set(found.threadKeyHits.values())).toEqual(new Set([ticket!.key]));
    expect(deps.events?.published.map((e) => e.type)[0]).toBe('ticket.created');
    expect(deps.mailer.sent).toHaveLength(created.replies.length + appended.replies.length);
  });

  it('gives two simultaneous deliveries of one mail one ticket and one set of replies', async () => {
    // Prepare
    const deps = ports();
    const raw = fixtureMail(firstCreated.file);
    // Act
    const results = (await Promise.all([deliverAsSes(raw, {}, deps), deliverAsSes(raw, {}, deps)])).flat();
    // Assess
    const tickets = await deps.store.listTickets();
    expect(tickets.map((t) => t.id)).toEqual(['TKT-1']);
    expect(new Set(results.map((r) => r.ticket))).toEqual(new Set(['TKT-1']));
    expect(results.flatMap((r) => r.replies.map((x) => x.kind)).sort()).toEqual(['ack', 'staff-notification']);
    expect(deps.mailer.sent).toHaveLength(2);
  });

  it('keeps the conditional contracts of the adapters: numbers, claims and hourly slots', async () => {
    // Prepare
    const { store } = ports();
    const slot = { scope: 'sender#a@b.example', hour: '2026-11-23T08', max: 1, member: 'first' };
    const plan = { key: 'p', createdAt: '2026-11-23T08:00:00Z', receiptIds: [], effects: ['a', 'b'].map((id) => ({ id, spec: { type: 'event' as const, event: {} as never }, state: 'pending' as const, attempts: 0, claimedAt: null, detail: null, providerId: null })) };
    // Act and assess: the number taken for a ticket is the same when asked again, and goes back only while last.
    expect(await store.nextTicketNumber('t1')).toEqual({ number: 1, ours: true });
    expect(await store.nextTicketNumber('t1')).toEqual({ number: 1, ours: false });
    expect(await store.nextTicketNumber('t2')).toEqual({ number: 2, ours: true });
    expect(await store.returnTicketNumber('t1', 1)).toBe(false);
    expect(await store.returnTicketNumber('t2', 2)).toBe(true);
    // A plan is written once; an effect is claimed once; a release needs the claim's own stamp.
    expect(await store.putPlan(plan)).toBe(plan);
    expect((await store.putPlan({ ...plan, createdAt: 'later' })).createdAt).toBe(plan.createdAt);
    expect(await store.claimEffects('p', ['a'], 's1')).toEqual(new Set(['a']));
    expect(await store.claimEffects('p', ['a', 'b'], 's2')).toEqual(new Set(['b']));
    await store.releaseEffects('p', ['a'], 's2');
    expect((await store.getPlan('p'))!.effects.map((e) => e.state)).toEqual(['sending', 'sending']);
    // A full hour refuses a new member, never one already in it.
    expect(await store.takeSlot(slot)).toBe(true);
    expect(await store.takeSlot({ ...slot, member: 'second' })).toBe(false);
    expect(await store.takeSlot(slot)).toBe(true);
    // An update of a ticket that does not exist fails as DynamoDB's condition does.
    await expect(store.setStale({ key: 'missing' } as never, null)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });
});
