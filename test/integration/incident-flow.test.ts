/**
 * An outage, end to end through the real pipeline on dynalite and the local SES outbox
 * (fixtures/incident-flow/): four people on floor 3 report the Wi-Fi down within twelve minutes,
 * among an unrelated printer report. The third report forms INC-1; staff get one notice and a
 * one-report note for the fourth instead of a notice per ticket; each reporter hears the problem
 * is known. Staff take a report out (#unlink), answer everyone with one reply, and resolve them
 * all with another; a report after the resolution opens a ticket of its own and says so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarise } from '../../src/domain/incidents/incident.js';
import { deliverAsSes, type ReceiptSidecar } from '../../src/local/ingest.js';
import type { InboundResult } from '../../src/pipeline/inbound.js';
import { expectOneRelayOnThread, outboxCount, sentMails } from '../support/outbox.js';
import { fixturesDir, manualClock, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';
import { northwindConfig } from '../support/pipeline.js';

const dir = new URL('incident-flow/', fixturesDir);
const file = (prefix: string) => readdirSync(dir).find((f) => f.startsWith(`${prefix}-`))!;
const mail = (prefix: string) => readFileSync(new URL(file(prefix), dir));
/** Each mail's arrival (its SES Received time), as fixtures/incident-flow/README.md gives it. */
const ARRIVALS: Record<string, string> = {
  f01: '09:02:39', f02: '09:05:14', f03: '09:08:05', f04: '09:10:46', f05: '09:14:23', f09: '09:20:49', f06: '09:40:14', f07: '10:05:33', f08: '10:20:11', f10: '09:06:12', f11: '09:18:31',
};
const REPORTERS = ['anna.devries@northwind.example', 'ben.carter@contoso.example', 'pieter.janssen@northwind.example'];
const MEETING_ROOM = 'chloe.martin@northwind.example';
/** A mail's text on one line: the text version wraps at 72 columns. */
const flat = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ');

describe('an outage becomes one incident, answered once (dynalite)', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: 'dynalite', config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  async function storm() {
    const clock = manualClock('2026-11-30T09:00:00Z');
    const { deps, store } = await pipelineOn(fx, clock);
    const outbox = join(fx.dataDir, 'outbox');
    const deliver = async (prefix: string, verdicts: ReceiptSidecar = {}): Promise<{ result: InboundResult; sent: Awaited<ReturnType<typeof sentMails>> }> => {
      const at = new Date(`2026-11-30T${ARRIVALS[prefix]}Z`);
      clock.advance(at.getTime() - clock.now().getTime());
      const before = await outboxCount(outbox);
      const [result] = await deliverAsSes(mail(prefix), verdicts, deps);
      return { result: result!, sent: await sentMails(outbox, before) };
    };
    /** Delivers at the clock's time, for mails that arrive together. */
    const deliverNow = async (prefix: string): Promise<InboundResult> => (await deliverAsSes(mail(prefix), {}, deps))[0]!;
    return { store, deliver, deliverNow };
  }

  it('groups the third report into INC-1 and tells staff once, each reporter that it is known', async () => {
    const { store, deliver } = await storm();
    const [r1, r2, r3, r4, r5] = [await deliver('f01'), await deliver('f02'), await deliver('f03'), await deliver('f04'), await deliver('f05')];

    // The first two are tickets like any other: nothing says yet that it is an outage.
    for (const r of [r1, r2]) {
      expect(r.result.incident).toBeNull();
      expect(r.sent.map((m) => m.kind).sort()).toEqual(['ack', 'staff-notification']);
    }
    // The third forms INC-1: one incident notice instead of a ticket notice, and the reporter hears it is known.
    expect(r3.result).toMatchObject({ outcome: 'created', ticket: 'TKT-3', incident: 'INC-1', status: 'open' });
    // The earlier two hear it too, each on their own ticket's thread.
    expect(r3.sent.map((m) => m.kind).sort()).toEqual(['incident-ack', 'incident-ack', 'incident-ack', 'incident-notification']);
    for (const [i, requester] of REPORTERS.slice(0, 2).entries()) {
      const known = r3.sent.find((m) => m.kind === 'incident-ack' && m.to.includes(requester))!;
      const ticket = (await store.getTicketById(i + 1))!;
      expect(known.mail.subject).toContain(`[${ticket.id}]`);
      expect(known.mail.inReplyTo).toBe(`<${ticket.originMessageId}>`);
      expect(known.mail.headers.get('auto-submitted')).toBe('auto-generated');
      // They were thanked when they wrote: this one only says what changed.
      expect(flat(known.mail.text)).toMatch(/Other people have since reported the same problem/);
      expect(known.mail.text).not.toMatch(/Thanks for letting us know/);
    }
    const notice = r3.sent.find((m) => m.kind === 'incident-notification')!;
    expect(notice.to).toEqual(['it-team@northwind.example']);
    expect(notice.mail.subject).toBe('[INC-1] Wi-Fi and network down (floor 3)');
    expect(flat(notice.mail.text)).toMatch(/3rd report of Wi-Fi and network down \(floor 3\) within 5 min, like TKT-1, TKT-2: a new incident/);
    for (const id of ['TKT-1', 'TKT-2', 'TKT-3']) expect(notice.mail.text).toMatch(new RegExp(`^${id} at 09:0\\d UTC: `, 'm'));
    // Each report by name as well as address, as the reporter's mail gave it.
    expect(flat(notice.mail.text)).toContain('TKT-1 at 09:02 UTC: Anna de Vries <anna.devries@northwind.example>');
    const ack = r3.sent.find((m) => m.kind === 'incident-ack' && m.to.includes('pieter.janssen@northwind.example'))!;
    expect(ack.mail.inReplyTo).toBe(`<${(await store.getTicketById(3))!.originMessageId}>`);
    expect(ack.mail.subject).toContain('[TKT-3]');
    expect(flat(ack.mail.text)).toMatch(/already knows about it and is working on it \(INC-1\)/);
    expect(flat(ack.mail.text)).toMatch(/Thanks for letting us know/);
    // The printer on floor 2 is another problem.
    expect(r4.result).toMatchObject({ ticket: 'TKT-4', incident: null, category: 'printing' });
    expect(r4.sent.map((m) => m.kind).sort()).toEqual(['ack', 'staff-notification']);
    // The fourth joins: one line to staff, threaded on the notice.
    expect(r5.result).toMatchObject({ ticket: 'TKT-5', incident: 'INC-1' });
    expect(r5.sent.map((m) => m.kind).sort()).toEqual(['incident-ack', 'incident-update']);
    const update = r5.sent.find((m) => m.kind === 'incident-update')!;
    expect(update.mail.inReplyTo).toBe(`<${notice.composedMessageId}>`);
    expect(update.mail.subject).toBe('Re: [INC-1] Wi-Fi and network down (floor 3)');
    expect(update.mail.text).toMatch(/4 reports now/);

    const [incident] = await store.listIncidents();
    expect(summarise(incident!)).toEqual({
      id: 'INC-1',
      status: 'open',
      title: 'Wi-Fi and network down (floor 3)',
      tickets: ['TKT-1', 'TKT-2', 'TKT-3', 'TKT-5'],
      requesters: [...REPORTERS, MEETING_ROOM],
      places: ['floor 3'],
      firstReport: '2026-11-30T09:02:39.000Z',
      lastReport: '2026-11-30T09:14:23.000Z',
      resolvedAt: null,
    });
    // Every ticket shows its incident, and its history says why.
    for (const n of [1, 2, 3, 5]) expect((await store.getTicketById(n))!.incident).toBe('INC-1');
    expect((await store.getTicketById(4))!.incident).toBeUndefined();
    const first = await store.getTicketById(1);
    expect((await store.listEvents(first!.key)).find((e) => e.kind === 'incident')).toMatchObject({ to: 'INC-1', actor: 'system', why: expect.stringMatching(/^INC-1 formed from TKT-3's report: 3rd report of Wi-Fi/) });
  });

  it('takes a report out, answers the rest once each on their own threads, resolves them all, and says so when a report comes after', async () => {
    const { store, deliver } = await storm();
    for (const f of ['f01', 'f02', 'f03', 'f04', 'f05']) await deliver(f);

    // #unlink TKT-5: a command alone, answered to its author only.
    const unlink = await deliver('f09');
    expect(unlink.result.reason).toMatch(/a reply to INC-1; taken out: TKT-5/);
    expect(unlink.sent.map((m) => `${m.kind} ${m.to.join()}`)).toEqual(['command-result priya.nair@northwind.example']);
    expect(unlink.sent[0]!.mail.subject).toBe('Re: [INC-1] Wi-Fi and network down (floor 3)');
    expect((await store.getTicketById(5))!.incident ?? null).toBeNull();
    expect((await store.getIncident(1))!.members.map((m) => m.ticketId)).toEqual(['TKT-1', 'TKT-2', 'TKT-3']);

    // One answer: relayed to each of the three, on their own thread, and to nobody else.
    const answer = await deliver('f06');
    expect(answer.sent.map((m) => m.kind)).toEqual(['relay', 'relay', 'relay']);
    for (const [i, requester] of REPORTERS.entries()) {
      const ticket = (await store.getTicketById(i + 1))!;
      const relay = expectOneRelayOnThread(answer.sent, requester, ticket);
      expect(relay.text).toContain('replacing');
      // News of the outage asks nothing of them: the tickets stay open (no reminder will chase them).
      expect(ticket.status).toBe('open');
    }
    expect(answer.sent.some((m) => m.to.includes(MEETING_ROOM))).toBe(false);

    // #resolve: every ticket resolved, each reporter hears once, the incident is resolved.
    const resolve = await deliver('f07');
    expect(resolve.sent.map((m) => m.kind).sort()).toEqual(['command-result', 'relay', 'relay', 'relay']);
    for (const [i, requester] of REPORTERS.entries()) {
      const ticket = (await store.getTicketById(i + 1))!;
      expect(ticket.status).toBe('resolved');
      expect(expectOneRelayOnThread(resolve.sent, requester, ticket).text).toContain('works again');
    }
    expect((await store.getTicketById(5))!.status).toBe('open');
    expect(await store.getIncident(1)).toMatchObject({ status: 'resolved', resolvedAt: '2026-11-30T10:05:33.000Z' });
    const result = resolve.sent.find((m) => m.kind === 'command-result')!;
    expect(result.mail.text).toMatch(/TKT-1: Status changed from open to resolved/);

    // A report after the resolution: a ticket of its own, INC-1 stays resolved, staff are told.
    const late = await deliver('f08');
    expect(late.result).toMatchObject({ outcome: 'created', ticket: 'TKT-6', incident: null });
    const staff = late.sent.find((m) => m.kind === 'staff-notification')!;
    expect(flat(staff.mail.text)).toMatch(/reported after INC-1 was resolved \(like TKT-1, TKT-2, TKT-3\)/);
    expect((await store.getIncident(1))!.status).toBe('resolved');
  });

  it('still answers everyone left when the ticket the notice was recorded on is taken out', async () => {
    const { store, deliver } = await storm();
    for (const f of ['f01', 'f02', 'f03', 'f04', 'f05']) await deliver(f);
    // The notice went out on TKT-3's thread; #unlink TKT-3 with #note keeps the why internal.
    const unlink = await deliver('f11');
    expect(unlink.result.reason).toMatch(/taken out: TKT-3/);
    expect(unlink.sent.map((m) => `${m.kind} ${m.to.join()}`)).toEqual(['command-result priya.nair@northwind.example']);
    expect((await store.getIncident(1))!.members.map((m) => m.ticketId)).toEqual(['TKT-1', 'TKT-2', 'TKT-5']);

    // The answer to that notice reaches the three still in INC-1, and not the one taken out.
    const answer = await deliver('f06');
    expect(answer.result.reason).toMatch(/a reply to INC-1; TKT-3 was taken out of it: recorded on TKT-1; relayed to 3 of its 3 reporters/);
    expect(answer.result.ticket).toBe('TKT-1');
    expect(answer.sent.map((m) => m.kind)).toEqual(['relay', 'relay', 'relay']);
    for (const n of [1, 2, 5]) {
      const ticket = (await store.getTicketById(n))!;
      expect(expectOneRelayOnThread(answer.sent, ticket.requester, ticket).text).toContain('replacing');
    }
    expect(answer.sent.some((m) => m.to.includes(REPORTERS[2]!))).toBe(false);
    const taken = (await store.getTicketById(3))!;
    expect(taken.incident ?? null).toBeNull();
    expect(taken.status).toBe('open');
  });

  it('forms one incident when two reports decide at the same moment (concurrent deliveries): the later joins', async () => {
    const { store, deliver, deliverNow } = await storm();
    for (const f of ['f01', 'f02']) await deliver(f);
    // f03 and f05 arrive together: both see two earlier reports, and both decide to form.
    const results = await Promise.all([deliverNow('f03'), deliverNow('f05')]);
    expect(results.map((r) => r.incident)).toEqual(['INC-1', 'INC-1']);
    const incidents = await store.listIncidents();
    expect(incidents.map((i) => i.id)).toEqual(['INC-1']);
    expect(incidents[0]!.members.map((m) => m.ticketId).sort()).toEqual(['TKT-1', 'TKT-2', 'TKT-3', 'TKT-4']);
    for (const n of [1, 2, 3, 4]) expect((await store.getTicketById(n))!.incident).toBe('INC-1');
  });

  it('stops asking an earlier reporter for details once their report is part of the incident', async () => {
    const { store, deliver } = await storm();
    await deliver('f01');
    // A two-line report from a phone: which network it is on is missing, so it is asked for.
    const vague = await deliver('f10');
    expect(vague.result).toMatchObject({ ticket: 'TKT-2', status: 'awaiting-info', missing: ['connection'] });
    const formed = await deliver('f03');
    expect(formed.result.incident).toBe('INC-1');
    const ticket = (await store.getTicketById(2))!;
    expect(ticket).toMatchObject({ incident: 'INC-1', status: 'open', missing: [] });
    expect((await store.listEvents(ticket.key)).find((e) => e.kind === 'status' && e.to === 'open')).toMatchObject({ from: 'awaiting-info', actor: 'system', why: 'part of INC-1: nothing more is needed from the reporter' });
    expect(formed.sent.find((m) => m.kind === 'incident-ack' && m.to.includes('tomas.ruiz@northwind.example'))!.mail.text).toMatch(/nothing more you need to do/);
  });

  it('gives no staff power to a reply to the notice that fails DMARC: nothing is resolved or relayed', async () => {
    const { store, deliver } = await storm();
    for (const f of ['f01', 'f02', 'f03']) await deliver(f);
    const forged = await deliver('f07', { spfVerdict: { status: 'FAIL' }, dkimVerdict: { status: 'FAIL' }, dmarcVerdict: { status: 'FAIL' } });
    expect(forged.result.outcome).toBe('appended');
    for (const n of [1, 2, 3]) expect((await store.getTicketById(n))!.status).toBe('open');
    expect(forged.sent.filter((m) => m.kind === 'relay')).toEqual([]);
    expect((await store.getIncident(1))!.status).toBe('open');
  });
});
