/**
 * Attacks from outside that the product withstands, kept withstanding: each mail in
 * fixtures/attacks/held-*.eml is delivered as SES delivers it (every verdict PASS unless said),
 * after Maria Garcia's first mail has opened TKT-1 (fixtures/mail/01), and the test checks the
 * ticket before and after, its history, and every mail that went out through the local SES.
 * Reason texts are matched on key words only: their wording belongs to the pipeline.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../src/domain/ticket.js';
import { deliverAsSes } from '../../src/local/ingest.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { messageKey } from '../../src/pipeline/inbound.js';
import { fixtureMail, fixturesDir, manualClock, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const attackMail = (name: string) => readFileSync(new URL(`attacks/${name}`, fixturesDir));
const HOUR = 3600_000;
const REQUESTER = 'maria.garcia@northwind.example';
/** Cc'd on Maria's first mail, so a participant of TKT-1: relays go to him too. */
const PARTICIPANT = 'tom.becker@northwind.example';
/** What only Maria's own mail says: none of it may reach an attacker. */
const MARIAS_WORDS = ['NW-LT-0217', 'month-end close', '555 0142', REQUESTER];
/** The staff-power lines the attack mails carry. */
const COMMAND_LINE = /^\s*#(status|priority|assign|close|resolve|category|merge|note)\b/im;

interface SentMail {
  destinations: string[];
  subject: string;
  text: string;
}

describe('attacks that hold (dynalite)', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: 'dynalite', config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  /** Every mail the local SES endpoint took since `seen` mails, decoded. */
  async function sentSince(seen: number): Promise<SentMail[]> {
    const entries = (await readOutbox(join(fx.dataDir, 'outbox'))).slice(seen);
    return Promise.all(
      entries.map(async (e) => {
        const mail = await simpleParser(readFileSync(e.rawPath));
        return { destinations: e.destinations.map((d) => d.toLowerCase()), subject: mail.subject ?? '', text: mail.text ?? '' };
      }),
    );
  }

  /** A fresh store holding TKT-1 (Maria's VPN request, open, P2, Tom in Cc), an hour before the attack. */
  async function victimTicket() {
    const p = await pipelineOn(fx, manualClock('2026-11-02T07:14:12Z'));
    const [first] = await deliverAsSes(fixtureMail('01-outlook-new-vpn-down.eml'), {}, p.deps);
    expect(first).toMatchObject({ outcome: 'created', ticket: 'TKT-1' });
    const before = (await p.store.getTicketById(1))!;
    expect(before).toMatchObject({ requester: REQUESTER, participants: [PARTICIPANT], status: 'open', priority: 'P2', assignee: null });
    const history = await p.store.listEvents(before.key);
    const messages = await p.store.listMessages(before.key);
    const outboxSeen = (await readOutbox(join(fx.dataDir, 'outbox'))).length;
    p.clock.advance(HOUR);
    return { ...p, before, history, messages, outboxSeen };
  }

  type Victim = Awaited<ReturnType<typeof victimTicket>>;

  async function deliver(v: Victim, name: string) {
    const [result] = await deliverAsSes(attackMail(name), {}, v.deps);
    const after = (await v.store.getTicketById(1))!;
    return { result: result!, after, sent: await sentSince(v.outboxSeen) };
  }

  const without = (t: Ticket, ...keys: (keyof Ticket)[]) => Object.fromEntries(Object.entries(t).filter(([k]) => !keys.includes(k as keyof Ticket)));

  /** The mail sits on TKT-1's thread as an outsider's, and TKT-1 is exactly as it was. */
  async function expectRecordedAsOutsider(v: Victim, delivered: Awaited<ReturnType<typeof deliver>>, sender: string) {
    const { result, after, sent } = delivered;
    expect(result).toMatchObject({ outcome: 'appended', ticket: 'TKT-1', status: 'open', priority: 'P2', replies: [] });
    expect(result.reason).toContain(sender);
    expect(result.reason).toMatch(/\b(not|neither)\b/i);
    // Nothing about the ticket moved: status, priority, category, assignee, participants,
    // requester, last activity, the digest's excerpt. Only the message joined its thread.
    expect(without(after, 'messageKeys')).toEqual(without(v.before, 'messageKeys'));
    expect([...after.messageKeys].sort()).toEqual([...v.before.messageKeys, messageKey(result.messageId!)].sort());
    expect(await v.store.listEvents(after.key)).toEqual(v.history);
    const stored = (await v.store.listMessages(after.key)).find((m) => m.messageId === result.messageId);
    expect(stored).toMatchObject({ direction: 'inbound', from: sender, role: 'outsider' });
    // Its command lines are kept as the words they are, not acted on.
    expect(stored!.visibleText).toMatch(COMMAND_LINE);
    // Nothing went out at all: no relay to Maria or Tom, no command result, nothing to the sender.
    expect(sent).toEqual([]);
  }

  it('a stranger who puts [TKT-1] in the subject opens a new ticket of their own and never lands on TKT-1', async () => {
    const v = await victimTicket();
    const delivered = await deliver(v, 'held-01-gmail-stranger-subject-tag.eml');
    const { result, after, sent } = delivered;

    expect(result).toMatchObject({ outcome: 'created', ticket: 'TKT-2' });
    expect(result.reason).toMatch(/\[TKT-1\]/);
    expect(result.reason).toContain('eve@evil.test');
    expect(result.reason).toMatch(/\bnot\b/i);
    expectTicketOneUntouched(v, after);
    expect(await v.store.listEvents(after.key)).toEqual(v.history);
    expect(await v.store.listMessages(after.key)).toEqual(v.messages);
    await expectOwnTicketOnly(v, sent, 'eve@evil.test');
  });

  it('a stranger who writes to support+tkt-1@ opens a new ticket of their own and never lands on TKT-1', async () => {
    const v = await victimTicket();
    const delivered = await deliver(v, 'held-02-thunderbird-stranger-plus-address.eml');
    const { result, after, sent } = delivered;

    expect(result).toMatchObject({ outcome: 'created', ticket: 'TKT-2' });
    expect(result.reason).toContain('support+tkt-1@northwind.example');
    expect(result.reason).toContain('eve@evil.test');
    expect(result.reason).toMatch(/\bnot\b/i);
    expectTicketOneUntouched(v, after);
    expect(await v.store.listEvents(after.key)).toEqual(v.history);
    expect(await v.store.listMessages(after.key)).toEqual(v.messages);
    await expectOwnTicketOnly(v, sent, 'eve@evil.test');
  });

  function expectTicketOneUntouched(v: Victim, after: Ticket) {
    expect(after).toEqual(v.before);
  }

  /**
   * The stranger's mail became their own ticket: they are its requester, nobody of TKT-1 is on
   * it, and the only mail to them is the answer any new requester gets, about their own ticket.
   */
  async function expectOwnTicketOnly(v: Victim, sent: SentMail[], attacker: string) {
    const own = (await v.store.getTicketById(2))!;
    expect(own.requester).toBe(attacker);
    expect(own.participants).not.toContain(REQUESTER);
    expect(own.participants).not.toContain(PARTICIPANT);
    expect(sent.filter((m) => m.destinations.some((d) => d === REQUESTER || d === PARTICIPANT))).toEqual([]);
    const toAttacker = sent.filter((m) => m.destinations.includes(attacker));
    expect(toAttacker).toHaveLength(1);
    expect(toAttacker[0]!.subject).toContain('[TKT-2]');
    expect(toAttacker[0]!.subject).not.toContain('TKT-1');
    for (const words of MARIAS_WORDS) expect(toAttacker[0]!.text).not.toContain(words);
    // Everything else went to the staff list (the notice of the new ticket), nowhere outside.
    for (const m of sent.filter((x) => x !== toAttacker[0])) expect(m.destinations).toEqual([northwindConfig.staffList]);
  }

  it('a stranger who knows a Message-ID is recorded on the thread and changes nothing', async () => {
    const v = await victimTicket();
    // In-Reply-To/References name Maria's first mail; the text opens with #status closed,
    // #assign eve@evil.test and #priority P1, claims "the whole floor is down" (an outage signal
    // that raises a requester's ticket to P1) and Cc's mallory@evil.test.
    const delivered = await deliver(v, 'held-03-apple-mail-stranger-knows-message-id.eml');
    await expectRecordedAsOutsider(v, delivered, 'eve@evil.test');
    expect(delivered.after.participants).not.toContain('mallory@evil.test');
  });

  describe('commands in quoted history of a genuine staff reply are not applied', () => {
    it.each([
      ['held-04-outlook-staff-reply-quoted-commands.eml', 'alex.kim@northwind.example', "I've restarted the GlobalProtect gateway"],
      ['held-04-gmail-staff-reply-quoted-commands.eml', 'sofia.lind@it.northwind.example', 'Alex is still on it'],
    ])('%s: only what %s wrote counts and is relayed', async (name, staff, ownWords) => {
      const v = await victimTicket();
      const { result, after, sent } = await deliver(v, name);

      expect(result).toMatchObject({ outcome: 'appended', ticket: 'TKT-1' });
      expect(result.reason).toContain(staff);
      // The quote's #status closed / #assign priya.nair@… / #priority P4 did nothing: the only
      // change is the one any staff answer to the requester makes (open → waiting-on-requester).
      expect(after).toMatchObject({ status: 'waiting-on-requester', priority: 'P2', category: 'network', assignee: null });
      expect(after.participants).toEqual(v.before.participants);
      const events = await v.store.listEvents(after.key);
      expect(events.slice(0, v.history.length)).toEqual(v.history);
      expect(events.slice(v.history.length)).toEqual([expect.objectContaining({ kind: 'status', actor: staff, from: 'open', to: 'waiting-on-requester' })]);
      // Nothing applied and nothing rejected, so no command result: the answer is relayed, and that is all.
      expect(result.replies.map((r) => r.kind)).toEqual(['relay']);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.destinations.sort()).toEqual([REQUESTER, PARTICIPANT].sort());
      expect(sent[0]!.text).toContain(ownWords);
      expect(sent[0]!.text).not.toMatch(COMMAND_LINE);
      expect(sent[0]!.text).not.toContain('priya.nair@');
      expect(sent[0]!.text).not.toContain('eve@evil.test');
      expect(sent[0]!.text).not.toMatch(/works again for (her|Maria)/);
      const stored = (await v.store.listMessages(after.key)).find((m) => m.messageId === result.messageId);
      expect(stored).toMatchObject({ from: staff, role: 'staff-reply' });
      expect(stored!.visibleText).not.toContain('#');
    });
  });

  describe('a requester has no commands', () => {
    // A requester's reply may still raise the priority through the urgency signals (README,
    // "Replies can raise, never lower"); "#priority P1" is not one of them and these replies carry
    // none, so the priority stays P2. What a reply does change is the ticket's last activity and
    // excerpt, and the thread.
    it.each([
      ['held-04-outlook-requester-writes-priority-p1.eml', '#priority P1'],
      ['held-04-iphone-requester-writes-status-closed.eml', '#status closed'],
    ])('%s: "%s" is recorded as plain text and applies nothing', async (name, line) => {
      const v = await victimTicket();
      const { result, after, sent } = await deliver(v, name);

      expect(result).toMatchObject({ outcome: 'appended', ticket: 'TKT-1', status: 'open', priority: 'P2', replies: [] });
      expect(without(after, 'lastActivityAt', 'lastExcerpt', 'messageKeys')).toEqual(without(v.before, 'lastActivityAt', 'lastExcerpt', 'messageKeys'));
      expect(await v.store.listEvents(after.key)).toEqual(v.history);
      const stored = (await v.store.listMessages(after.key)).find((m) => m.messageId === result.messageId);
      expect(stored).toMatchObject({ from: REQUESTER, role: 'reply' });
      expect(stored!.visibleText.split('\n')[0]).toBe(line);
      // No command result, no notice, nothing relayed.
      expect(sent).toEqual([]);
    });
  });

  describe('a look-alike of a staff address gets no staff power, even with every verdict PASS', () => {
    // Each mail answers TKT-1's staff notification (In-Reply-To/References) with #status closed,
    // #priority P4, #assign me and a phishing link for Maria.
    it.each([
      ['held-05-outlook-lookalike-domain-suffix.eml', 'alex.kim@northwind.example.evil.test'],
      ['held-05-gmail-lookalike-northwlnd.eml', 'alex.kim@northwlnd.example'],
      ['held-05-outlook-lookalike-cyrillic-i.eml', 'alex.k\u0456m@northwind.example'],
      ['held-05-thunderbird-display-name-is-staff-address.eml', 'eve@evil.test'],
      ['held-05-phpmailer-encoded-word-display-name.eml', 'eve@evil.test'],
      ['held-05-iphone-lookalike-staff-domain.eml', 'someone@it.northwind.example.evil.test'],
    ])('%s: %s is a stranger on the thread and changes nothing', async (name, sender) => {
      const v = await victimTicket();
      const delivered = await deliver(v, name);
      await expectRecordedAsOutsider(v, delivered, sender);
      const stored = (await v.store.listMessages(delivered.after.key)).find((m) => m.messageId === delivered.result.messageId)!;
      expect(stored.visibleText).toContain('https://vpn-northwind.evil.test/reset');
    });
  });
});
