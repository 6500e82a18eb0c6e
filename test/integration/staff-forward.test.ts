/**
 * A staff member forwards a user's mail to the support address: through the real pipeline on the
 * local stack (SES delivery, dynalite, the local SES outbox). The ticket is the original
 * sender's, the staff member's text an internal note, the history says who forwarded it, the
 * acknowledgement goes to the original sender. A forward from anyone who is not authenticated
 * staff stays the forwarder's ticket. A replay, or a crash at any write or send, opens no second
 * ticket and sends nothing twice.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../src/domain/ticket.js';
import { deliverAsSes, receiptSidecarSchema, type ReceiptSidecar } from '../../src/local/ingest.js';
import type { InboundResult } from '../../src/pipeline/inbound.js';
import { CLAIM_LEASE_MS, sweepPlans } from '../../src/pipeline/sweep.js';
import { crashAtEveryStep, playScenario, type ScenarioStep } from '../support/crash-scenario.js';
import { injectFaults, type FaultInjector } from '../support/faults.js';
import { outboxCount, sentMails } from '../support/outbox.js';
import { fixturesDir, manualClock, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const raw = (name: string) => readFileSync(new URL(`staff-forwards/${name}`, fixturesDir));
/** The fixture's SES verdicts: its sidecar, or all PASS. */
function verdictsOf(name: string): ReceiptSidecar {
  const sidecar = new URL(`staff-forwards/${name.replace(/\.eml$/, '.receipt.json')}`, fixturesDir);
  return existsSync(sidecar) ? receiptSidecarSchema.parse(JSON.parse(readFileSync(sidecar, 'utf8'))) : {};
}
const T0 = '2026-12-07T08:00:00Z';

describe('a staff forward opens the ticket in the user’s name (dynalite)', () => {
  let fx: StackFixture;
  let outbox: string;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: 'dynalite', config: northwindConfig });
    outbox = join(fx.dataDir, 'outbox');
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  /** Each case on a table of its own: the ticket numbers start at 1 and no earlier ticket is a duplicate. */
  async function deliver(files: string[]) {
    const { deps, store } = await pipelineOn(fx, manualClock(T0));
    const results: InboundResult[] = [];
    let before = 0;
    for (const file of files) {
      before = await outboxCount(outbox);
      results.push((await deliverAsSes(file.startsWith('conversation/') ? readFileSync(new URL(file, fixturesDir)) : raw(file), verdictsOf(file), deps))[0]!);
    }
    const last = results.at(-1)!;
    const ticket = last.ticket ? await store.getTicketById(Number(last.ticket.split('-')[1])) : null;
    const [messages, history] = ticket ? await Promise.all([store.listMessages(ticket.key), store.listEvents(ticket.key)]) : [[], []];
    return { results, last, ticket: ticket as Ticket, messages, history, sent: await sentMails(outbox, before), store, deps };
  }

  it.each([
    ['f01-outlook-staff-fw-plotter-inline.eml', 'alex.kim@northwind.example', 'yuki.tanaka@northwind.example', 'Plotter on floor 4 prints blank pages', /^Yuki also called about this\./, /^Hi Alex,\n\nThe HP DesignJet on floor 4/],
    ['f02-owa-staff-fw-vpn-inline.eml', 'priya.nair@northwind.example', 'lars.nilsson@northwind.example', 'VPN keeps disconnecting in Oslo office', /^Forwarding for Lars/, /^Hi Priya,\n\nSince Friday the GlobalProtect VPN/],
    ['f03-gmail-staff-fwd-contractor-inline.eml', 'sofia.lind@it.northwind.example', 'j.doe@contoso.example', 'Cannot reach the Northwind SharePoint as a guest', /^Guest access problem/, /^Hi Sofia,\n\nWhen I open the project site link/],
    ['f04-applemail-staff-fwd-keyboard-inline.eml', 'jonas.berg@it.northwind.example', 'fatima.haddad@northwind.example', 'Keyboard missing keys', /^Fatima asked me in the corridor/, /^Hi Jonas,\n\nTwo keys/],
    ['f05-outlook-staff-fw-attached-cfo-laptop.eml', 'alex.kim@northwind.example', 'helena.vogel@northwind.example', 'Laptop will not wake from sleep', /^Helena's mail attached\./, /^Alex,\n\nMy laptop \(NW-LT-0007\)/],
    ['f06-gmail-staff-fwd-attached-encoded-name.eml', 'sofia.lind@it.northwind.example', 'marco.rossi@fabrikam.example', 'Badge reader at the fabrikam door rejects my card', /^Forwarding as attachment/, /^Hi Sofia,\n\nthe badge reader/],
    ['f07-applemail-staff-fwd-attached-monitor.eml', 'jonas.berg@it.northwind.example', 'tom.becker@northwind.example', 'Monitor flickers', /^Attached Tom's mail\./, /^Hi Jonas,\n\nmy left monitor flickers/],
  ])('%s: the ticket is the original sender’s, the note internal, the acknowledgement theirs', async (file, staff, requester, subject, note, text) => {
    // Act
    const { last, ticket, messages, history, sent } = await deliver([file]);

    // Assess: the ticket
    expect(last).toMatchObject({ outcome: 'created', ticket: 'TKT-1' });
    expect(ticket).toMatchObject({ requester, subject });
    expect(last.reason).toContain(`forwarded by ${staff} for ${requester}`);
    // The thread: the request in the requester's words, the staff member's text as an internal note.
    const inbound = messages.filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => [m.role, m.from])).toEqual([
      ['request', requester],
      ['note', staff],
    ]);
    expect(inbound[0]!.visibleText).toMatch(text);
    expect(inbound[0]!.visibleText).not.toMatch(note);
    expect(inbound[1]!.visibleText).toMatch(note);
    expect(inbound[1]!.reason).toMatch(/^internal note: forwarded by .*; not sent to the requester$/);
    // The history: opened by the staff member, for the requester.
    expect(history[0]).toMatchObject({ kind: 'created', actor: staff, why: expect.stringMatching(new RegExp(`^forwarded by ${staff.replace(/\./g, '\\.')} for ${requester.replace(/\./g, '\\.')}`)) });
    // The outbox: the acknowledgement (or the ask for details) to the requester, the notice to staff; nothing to the forwarder.
    const toRequester = sent.filter((m) => m.to.includes(requester));
    expect(toRequester.map((m) => m.kind)).toEqual([expect.stringMatching(/^(ack|missing-info)$/)]);
    expect(toRequester[0]!.mail.text).not.toMatch(note);
    // It says who passed the mail on, and why the requester gets it: not "you emailed".
    const words = toRequester[0]!.mail.text!.replace(/\s+/g, ' ');
    expect(words).toMatch(/ from Northwind IT passed your email on to us, and we've logged it as TKT-1:/);
    expect(words).toMatch(/You're getting this because .+ forwarded your email to support@northwind\.example\./);
    expect(words).not.toContain('because you emailed');
    expect(sent.filter((m) => m.to.includes(staff))).toEqual([]);
    const notice = sent.find((m) => m.kind === 'staff-notification')!;
    expect(notice.to).toEqual(['it-team@northwind.example']);
    expect(notice.mail.text?.replace(/\s+/g, ' ')).toContain(`Forwarded by ${staff}, with this internal note`);
  });

  it('threads the acknowledgement of an attached message on that message, and a forward for the CFO is a VIP’s ticket', async () => {
    const { ticket, sent } = await deliver(['f05-outlook-staff-fw-attached-cfo-laptop.eml']);
    const ack = sent.find((m) => m.kind === 'ack')!;
    expect(ack.mail.inReplyTo).toBe('<AM9PR07MB7128A1B2C3D4E5F60718293A4B5C6@AM9PR07MB7128.eurprd07.prod.outlook.com>');
    // Triage reads the requester: the CFO is a VIP, one priority level up.
    expect(ticket.priority).toBe('P1');
  });

  it('opens the ticket for the address `#requester` names, not the forwarded sender', async () => {
    const { last, ticket, messages, sent } = await deliver(['f11-outlook-staff-fw-requester-override.eml']);
    expect(ticket.requester).toBe('yuki.tanaka@northwind.example');
    expect(last.reason).toContain("forwarded by alex.kim@northwind.example for yuki.tanaka@northwind.example, named by '#requester' on its first line");
    // The command line is not part of the note.
    expect(messages.find((m) => m.role === 'note')!.visibleText).toMatch(/^Lars asked on Yuki's behalf/);
    expect(sent.filter((m) => m.kind === 'ack').map((m) => m.to)).toEqual([['yuki.tanaka@northwind.example']]);
    expect(sent.filter((m) => m.to.includes('lars.nilsson@northwind.example'))).toEqual([]);
  });

  it('opens a ticket for the person `#requester` names in a staff member’s own new mail (a phone call written down)', async () => {
    const { last, ticket, messages, sent } = await deliver(['f18-outlook-staff-requester-phone-call.eml']);
    expect(ticket).toMatchObject({ requester: 'tom.becker@northwind.example', subject: 'Teams has no sound in meeting room Oslo' });
    expect(last.reason).toMatch(/^sent in by alex\.kim@northwind\.example for tom\.becker@northwind\.example, named by '#requester' on its first line; a new conversation/);
    // The staff member's words are the request; the command line is gone, and there is no separate note.
    expect(messages.filter((m) => m.direction === 'inbound').map((m) => [m.role, m.from, m.visibleText])).toEqual([['request', 'tom.becker@northwind.example', expect.stringMatching(/^Tom called: in meeting room Oslo/)]]);
    const acks = sent.filter((m) => m.kind === 'ack');
    expect(acks.map((m) => m.to)).toEqual([['tom.becker@northwind.example']]);
    const words = acks[0]!.mail.text!.replace(/\s+/g, ' ');
    expect(words).toContain("Alex Kim from Northwind IT has logged a request for you as TKT-1:");
    expect(words).toContain("You're getting this because Alex Kim asked support@northwind.example to help you.");
  });

  it.each([
    ['f08-requester-fw-colleague-inline.eml', 'maria.garcia@northwind.example', 'yuki.tanaka@northwind.example', /^a new conversation: .*; a forward of yuki\.tanaka@northwind\.example's mail, not from authenticated staff, so the ticket is the forwarder's \(maria\.garcia@northwind\.example\)$/],
    ['f09-staff-address-dmarc-fail-fw.eml', 'alex.kim@northwind.example', 'yuki.tanaka@northwind.example', /alex\.kim@northwind\.example looks like staff but DMARC failed, so it is treated as a stranger; a forward of yuki\.tanaka@northwind\.example's mail, not from authenticated staff, so the ticket is the forwarder's/],
    ['f10-forged-staff-fw-requester.eml', 'alex.kim@northwind.example', 'helena.vogel@northwind.example', /not from authenticated staff, so the ticket is the forwarder's \(alex\.kim@northwind\.example\); #requester helena\.vogel@northwind\.example: only authenticated staff may name the requester \(not applied\)/],
  ])('%s: not from authenticated staff, so the ticket stays the forwarder’s and the original sender hears nothing', async (file, forwarder, original, reason) => {
    const { last, ticket, messages, sent } = await deliver([file]);
    expect(last.outcome).toBe('created');
    expect(ticket.requester).toBe(forwarder);
    expect(last.reason).toMatch(reason);
    expect(messages.filter((m) => m.role === 'note')).toEqual([]);
    expect(sent.filter((m) => m.to.includes(original))).toEqual([]);
  });

  it.each([
    ['f12-outlook-staff-fw-own-mail.eml', 'alex.kim@northwind.example', "a forward of alex.kim@northwind.example's own mail: the ticket is alex.kim@northwind.example's own request"],
    ['f13-owa-staff-fw-our-own-ack.eml', 'priya.nair@northwind.example', "the forwarded mail is from our own address support@northwind.example: the ticket is the forwarder's (priya.nair@northwind.example)"],
    ['f14-outlook-staff-fw-from-name-only.eml', 'alex.kim@northwind.example', `the forwarded block's From names only "Yuki Tanaka", no address: the ticket is the forwarder's (alex.kim@northwind.example); name the requester with '#requester <address>' on the first line`],
    ['f17-outlook-staff-fw-no-from-line.eml', 'alex.kim@northwind.example', "the forwarded message names no sender (no From line under '-----Original Message-----'): the ticket is the forwarder's"],
  ])('%s: a staff forward that names no one else stays the forwarder’s, and says why', async (file, forwarder, words) => {
    const { ticket, last, history } = await deliver([file]);
    expect(ticket.requester).toBe(forwarder);
    expect(last.reason).toContain(words);
    expect(history[0]).toMatchObject({ kind: 'created', actor: forwarder });
  });

  it('opens a multi-level forward for the outermost sender, with the deeper forward in its text', async () => {
    const { ticket, messages } = await deliver(['f15-gmail-staff-fwd-multilevel.eml']);
    expect(ticket).toMatchObject({ requester: 'marco.rossi@fabrikam.example', subject: 'Backup failed for NW-LT-0301' });
    expect(messages.find((m) => m.role === 'request')!.visibleText).toMatch(/^Hi Sofia, I got this three days in a row now\.[\s\S]*Error 0x80070005: Access is denied\./);
  });

  it('keeps a forward of a requester’s reply on its ticket as an internal note, not relayed back to the requester', async () => {
    // Prepare: Maria's TKT-1. Act: Alex forwards her reply, which carries the tag, to support.
    const { results, last, messages, sent } = await deliver(['conversation/c01-outlook-new-second-monitor-black.eml', 'f16-outlook-staff-fw-requester-reply-on-ticket.eml']);

    // Assess
    expect(results[0]).toMatchObject({ outcome: 'created', ticket: 'TKT-1' });
    expect(last).toMatchObject({ outcome: 'appended', ticket: 'TKT-1' });
    expect(last.reason).toMatch(/^subject tag \[TKT-1\] from staff member alex\.kim@northwind\.example; a forward onto TKT-1: kept as an internal note, not relayed to the requester/);
    expect(messages.filter((m) => m.direction === 'inbound').map((m) => m.role)).toEqual(['request', 'note']);
    expect(sent.filter((m) => m.to.includes('maria.garcia@northwind.example'))).toEqual([]);
  });

  it('opens no second ticket and sends nothing twice when the same forward is delivered again', async () => {
    // Prepare
    const { deps, store } = await pipelineOn(fx, manualClock(T0));
    const [first] = await deliverAsSes(raw('f03-gmail-staff-fwd-contractor-inline.eml'), {}, deps);
    const before = await outboxCount(outbox);

    // Act
    const [again] = await deliverAsSes(raw('f03-gmail-staff-fwd-contractor-inline.eml'), {}, deps);

    // Assess
    expect(first).toMatchObject({ outcome: 'created', ticket: 'TKT-1' });
    expect(again).toMatchObject({ outcome: 'redelivered', ticket: 'TKT-1' });
    expect(await store.listTickets()).toHaveLength(1);
    const ticket = (await store.getTicketById(1))!;
    expect((await store.listMessages(ticket.key)).filter((m) => m.direction === 'inbound').map((m) => m.role)).toEqual(['request', 'note']);
    expect(await sentMails(outbox, before)).toEqual([]);
  });
});

describe('a staff forward under crashes (dynalite)', () => {
  let fx: StackFixture;
  let faults: FaultInjector;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: 'dynalite', config: northwindConfig });
    faults = injectFaults(fx.clients);
  });
  afterAll(async () => {
    faults?.remove();
    await fx?.cleanup();
  });

  it('replays a crash after any write or send of a forward as an attachment to the same end state, the note written once', async () => {
    const steps: ScenarioStep[] = [
      { run: ({ deps }) => deliverAsSes(raw('f05-outlook-staff-fw-attached-cfo-laptop.eml'), {}, deps) },
      // As its schedule runs it: finishes what a crash between a send's record and its settle left.
      { after: CLAIM_LEASE_MS + 60_000, run: async ({ deps, config }) => expect((await sweepPlans(deps, config)).problems).toEqual([]) },
    ];
    const play = (failAfter: number | null) => playScenario(fx, faults, T0, steps, failAfter);
    const clean = await play(null);
    expect(clean.snapshot.tickets).toEqual([expect.stringMatching(/^TKT-1 helena\.vogel@northwind\.example open P1 hardware/)]);
    expect(clean.snapshot.threads.filter((line) => / inbound note /.test(line))).toHaveLength(1);
    const { points, sends } = await crashAtEveryStep(play, clean);
    expect(points).toBeGreaterThan(5);
    console.info(`[dynalite] staff forward as an attachment: crashed after each of ${points} writes and sends (${sends} sends), each replayed to the clean end state`);
  });
});
