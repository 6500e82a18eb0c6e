/**
 * The defects the security review found, now fixed, kept fixed: each mail in
 * fixtures/attacks/dNN-*.eml is delivered the way it arrives (SES with the sidecar's verdicts, an
 * SES receipt to one of our return paths, the S3 trigger, the IMAP poller), mostly after Maria
 * Garcia's first mail has opened TKT-1 (fixtures/mail/01), and the test checks the ticket, the
 * requester profile, the quarantine and every mail that went out through the local SES. Every
 * test runs on dynalite and on Amazon DynamoDB Local. Reason texts are matched on key words only:
 * their wording belongs to the pipeline.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { text as streamText } from 'node:stream/consumers';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleInboundEvent } from '../../src/aws/inbound-handler.js';
import { parseConfig, type Config } from '../../src/config.js';
import { borderVerdict } from '../../src/domain/auth-results.js';
import type { Receipt } from '../../src/domain/receipt.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { imapRawKey } from '../../src/imap/poller.js';
import { deliverAsSes, receiptSidecarSchema, sesLikeId, type ReceiptSidecar } from '../../src/local/ingest.js';
import { deliverAsSesTo } from '../../src/local/serve.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { messageKey, processInbound, type InboundResult } from '../../src/pipeline/inbound.js';
import { fixtureMail, fixturesDir, manualClock, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withHeaders } from '../support/rewrite.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';
import { mulberry32 } from '../support/random.js';

const attackMail = (name: string) => readFileSync(new URL(`attacks/${name}`, fixturesDir));

/** The SES verdicts of an attack fixture: its `NAME.receipt.json`, else all PASS. */
function attackSidecar(name: string): ReceiptSidecar {
  const path = new URL(`attacks/${name.replace(/\.eml$/, '')}.receipt.json`, fixturesDir);
  return existsSync(path) ? receiptSidecarSchema.parse(JSON.parse(readFileSync(path, 'utf8'))) : {};
}

const HOUR = 3600_000;
const REQUESTER = 'maria.garcia@northwind.example';
/** Cc'd on Maria's first mail, so a participant of TKT-1: relays go to him too. */
const PARTICIPANT = 'tom.becker@northwind.example';
const STAFF = 'alex.kim@northwind.example';
const EVE = 'eve@evil.test';
const MALLORY = 'mallory@evil.test';
/** Maria's next new request (a docking-station approval): it gets an ack in the corpus. */
const MARIAS_NEXT_REQUEST = '27-outlook-windows-1252-docking-approval.eml';

/** The values of one real run that d01-ses-bounce-of-our-ack.eml carries; the test puts in its own. */
const BOUNCE_RETURN_PATH = 'support+b-5f0c2a9e41b7d3806c1e@northwind.example';
const BOUNCE_SES_MESSAGE_ID = '0102019a43a2c5d8-6b1f3c2e-8d4a-4f7e-9c15-2a7e4b9d0f31-000000@eu-west-1.amazonses.com';

const configJson = JSON.parse(readFileSync(new URL('northwind.config.json', fixturesDir), 'utf8')) as Record<string, unknown>;
/** The Northwind config with a support mailbox polled over IMAP (never connected to here). */
/** A Microsoft 365 support mailbox read through Graph (its defaults: Exchange's header, authserv-id ""). */
function graphConfig(): Config {
  return parseConfig({ ...configJson, graph: { app: { tenantId: 'northwind.onmicrosoft.com', clientId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', clientSecret: 'x' }, mailbox: 'support@northwind.example' } });
}

function imapConfig(authservId?: string): Config {
  return parseConfig({ ...configJson, imap: { host: '127.0.0.1', user: 'x', password: 'x', ...(authservId !== undefined ? { authservId } : {}) } });
}

const s3EventTemplate = JSON.parse(readFileSync(new URL('events/s3-object-created.json', fixturesDir), 'utf8'));

interface SentMail {
  destinations: string[];
  /** The envelope sender: our per-mail return path. */
  source: string | null;
  /** The Message-ID header as SES stored it. */
  messageId: string;
  subject: string;
  text: string;
}

/** The forged bounces, and where each ends: nowhere, or on TKT-1's thread when it quotes a message of it. */
const FORGED_BOUNCES = [
  ['d01-postfix-forged-dsn-no-mail-of-ours.eml', 'ignored', null],
  ['d01-postfix-plain-text-forged-dsn-from-postmaster.eml', 'ignored', null],
  ['d01-sendmail-forged-dsn-quotes-our-ack-id.eml', 'appended', 'TKT-1'],
] as const;

const FORGED_HEADER_KINDS = ['forged-amazonses-pass', 'authserv-id-suffix', 'envelope-from-injection'] as const;

const FLOOD_WORDS =
  'amber anchor apple arch arrow aspen atlas autumn badge bamboo barley basil beacon birch bison blossom bolt bramble breeze brook cactus canyon carbon cedar chalk cherry cinder clover cobalt comet copper coral cotton crane crystal cypress dawn delta desert dune eagle ember falcon fern fjord flint forest fossil garnet ginger glacier granite grove harbour hazel heron hollow indigo iris ivory jasper juniper kelp kestrel lagoon lantern lava lemon lichen lilac linen lotus lynx magnet maple marble meadow mesa mint mosaic moss nectar nickel oak oasis ochre olive onyx orbit orchard osprey otter paddle pebble pepper pine plume pollen prism pylon quarry quartz raven reef ridge rivet saddle saffron sage sapphire shale sierra slate sorrel spruce summit talon thistle thorn tide timber topaz tundra umber valley velvet violet walnut willow zephyr'.split(
    ' ',
  );
const FLOOD_SUBJECTS = [
  'Cannot open the shared finance calendar',
  'Printer on the second floor shows offline',
  'Teams keeps signing me out',
  'Need access to the supplier folder',
  'Laptop battery drains overnight',
  'VPN drops every ten minutes',
  'OneDrive sync stuck at 99 percent',
  'Monitor flickers after docking',
  'Password reset link expired',
  'Outlook search finds nothing',
];

/** The i-th mail of the flood: its own Message-ID, subject and line of random words. */
function floodCopy(raw: Buffer, i: number): Buffer {
  const rnd = mulberry32(1000 + i);
  const picked = Array.from({ length: 26 }, () => FLOOD_WORDS[Math.floor(rnd() * FLOOD_WORDS.length)]);
  const salad = [picked.slice(0, 10), picked.slice(10, 20), picked.slice(20)].map((w) => w.join(' ')).join('\r\n');
  const words = /it blocks my work\.\r\n\r\n[\s\S]*?\r\n\r\nEve\r\n/;
  if (!words.test(raw.toString('latin1'))) throw new Error('the flood fixture no longer has its line of random words');
  const text = raw.toString('latin1').replace(words, `it blocks my work.\r\n\r\n${salad}\r\n\r\nEve\r\n`);
  const ref = `7Q2K-${String(i + 1).padStart(4, '0')}`;
  return withHeaders(Buffer.from(text, 'latin1'), {
    Subject: `${FLOOD_SUBJECTS[i % FLOOD_SUBJECTS.length]} (ref ${ref})`,
    'Message-ID': `<1793624403${String(i).padStart(2, '0')}.31337.${9021446815530914227n + BigInt(i)}@mail.evil.test>`,
  });
}

describe('the defect fixtures are what they say', () => {
  const names = readdirSync(new URL('attacks/', fixturesDir)).filter((n) => /^d\d\d-.*\.eml$/.test(n));

  it('are CRLF throughout', () => {
    expect(names.length).toBeGreaterThanOrEqual(24);
    for (const name of names) expect(attackMail(name).toString('latin1').replace(/\r\n/g, ''), name).not.toMatch(/[\r\n]/);
  });

  it('say in their SES headers what their sidecar says', () => {
    const status = (s: string | undefined) => s ?? 'PASS';
    for (const name of names) {
      const text = attackMail(name).toString('latin1');
      if (!text.startsWith('Return-Path:') || !/^X-SES-RECEIPT:/m.test(text)) continue; // not through SES: the IMAP ones
      const head = text.slice(0, text.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
      const header = (field: string) => head.split('\r\n').filter((l) => l.toLowerCase().startsWith(`${field}:`)).map((l) => l.slice(field.length + 1).trim());
      const from = /@([^\s>,]+)>?\s*(,|$)/.exec(header('from')[0] ?? '')?.[1] ?? null;
      const verdict = borderVerdict(header('authentication-results'), ['amazonses.com'], from);
      const sidecar = attackSidecar(name);
      expect({ name, spf: verdict?.spf, dkim: verdict?.dkim, dmarc: verdict?.dmarc, spam: header('x-ses-spam-verdict')[0], virus: header('x-ses-virus-verdict')[0] }).toEqual({
        name,
        spf: status(sidecar.spfVerdict?.status),
        dkim: status(sidecar.dkimVerdict?.status),
        dmarc: status(sidecar.dmarcVerdict?.status),
        spam: status(sidecar.spamVerdict?.status),
        virus: status(sidecar.virusVerdict?.status),
      });
    }
  });
});

describe.each(['dynalite', 'dynamodb-local'] as const)('defects fixed, on %s', (backend) => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: backend, config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  const outboxLength = async () => (await readOutbox(join(fx.dataDir, 'outbox'))).length;

  /** Every mail the local SES endpoint took from the `from`-th on (up to `to`), decoded. */
  async function sentBetween(from: number, to?: number): Promise<SentMail[]> {
    const entries = (await readOutbox(join(fx.dataDir, 'outbox'))).slice(from, to);
    return Promise.all(
      entries.map(async (e) => {
        const mail = await simpleParser(readFileSync(e.rawPath));
        return {
          destinations: e.destinations.map((d) => d.toLowerCase()),
          source: e.source,
          messageId: mail.messageId ?? '',
          subject: mail.subject ?? '',
          text: mail.text ?? '',
        };
      }),
    );
  }

  /** A fresh store holding TKT-1 (Maria's VPN request, open, P2, Tom in Cc), an hour before the attack. */
  async function victimTicket(config: Config = northwindConfig) {
    const p = await pipelineOn(fx, manualClock('2026-11-02T07:14:12Z'), config);
    const outboxBefore = await outboxLength();
    const [first] = await deliverAsSes(fixtureMail('01-outlook-new-vpn-down.eml'), {}, p.deps);
    expect(first, first?.reason).toMatchObject({ outcome: 'created', ticket: 'TKT-1' });
    const before = (await p.store.getTicketById(1))!;
    expect(before).toMatchObject({ requester: REQUESTER, participants: [PARTICIPANT], status: 'open', priority: 'P2', assignee: null });
    const history = await p.store.listEvents(before.key);
    const outboxSeen = await outboxLength();
    const ticketOneSends = await sentBetween(outboxBefore, outboxSeen);
    p.clock.advance(HOUR);
    return { ...p, before, history, outboxSeen, ticketOneSends };
  }

  type Victim = Awaited<ReturnType<typeof victimTicket>>;

  /** Delivers as SES does, with the verdicts given (an attack fixture's sidecar by default). */
  async function deliverRaw(v: Victim, raw: Buffer, verdicts: ReceiptSidecar = {}) {
    const seen = await outboxLength();
    const [result] = await deliverAsSes(raw, verdicts, v.deps);
    return { result: result!, after: (await v.store.getTicketById(1))!, sent: await sentBetween(seen) };
  }

  const deliver = (v: Victim, name: string) => deliverRaw(v, attackMail(name), attackSidecar(name));

  /** What a poller does with a message (IMAP by default; Graph): raw mail into the blobs, then the pipeline, no receipt verdicts. */
  let imapUid = 0;
  async function deliverOverImap(v: Victim, raw: Buffer, source: 'imap' | 'graph' = 'imap') {
    const seen = await outboxLength();
    const blobs = v.deps.blobsFor(v.config.aws.bucket);
    const rawKey = imapRawKey('support@northwind.example', '1793577600', ++imapUid);
    await blobs.put(rawKey, raw, 'message/rfc822');
    const receipt: Receipt = { source, rawKey, receivedAt: v.clock.now().toISOString(), recipients: [], verdicts: null };
    const result = await processInbound(receipt, { ...v.deps, blobs }, v.config);
    return { result, after: (await v.store.getTicketById(1))!, sent: await sentBetween(seen) };
  }

  /** What the S3 trigger does: SES's S3 action stored the raw mail under inbound/, the event names it. */
  async function deliverOverS3(v: Victim, raw: Buffer) {
    const seen = await outboxLength();
    const key = `${v.config.aws.inboundPrefix}${sesLikeId()}`;
    await v.deps.blobsFor(v.config.aws.bucket).put(key, raw, 'message/rfc822');
    const event = structuredClone(s3EventTemplate);
    const record = event.Records[0];
    record.eventTime = v.clock.now().toISOString();
    record.s3.bucket.name = v.config.aws.bucket;
    record.s3.bucket.arn = `arn:aws:s3:::${v.config.aws.bucket}`;
    record.s3.object.key = key;
    record.s3.object.size = raw.length;
    const handled = await handleInboundEvent(event, v.deps);
    expect(handled).toMatchObject({ kind: 's3', failures: [] });
    return { result: handled.results[0]!, after: (await v.store.getTicketById(1))!, sent: await sentBetween(seen) };
  }

  const without = (t: Ticket, ...keys: (keyof Ticket)[]) => Object.fromEntries(Object.entries(t).filter(([k]) => !keys.includes(k as keyof Ticket)));

  async function storedMessage(v: Victim, result: InboundResult) {
    return (await v.store.listMessages(v.before.key)).find((m) => m.messageId === result.messageId);
  }

  /** Recorded on TKT-1's thread as someone without standing there; nothing else moved and nothing went out. */
  async function expectNoStaffPower(v: Victim, delivered: { result: InboundResult; after: Ticket; sent: SentMail[] }) {
    const { result, after, sent } = delivered;
    // The only mail: the staff address itself is told nothing was applied, and why.
    expect(result).toMatchObject({ outcome: 'appended', ticket: 'TKT-1', status: 'open', priority: 'P2' });
    expect(result.replies).toEqual([expect.objectContaining({ kind: 'staff-warning', to: STAFF })]);
    expect(result.reason).toContain(STAFF);
    expect(without(after, 'messageKeys')).toEqual(without(v.before, 'messageKeys'));
    expect(after.messageKeys).toContain(messageKey(result.messageId!));
    expect(await v.store.listEvents(after.key)).toEqual(v.history);
    expect(await storedMessage(v, result)).toMatchObject({ from: STAFF, role: 'outsider' });
    expect(sent.map((m) => m.destinations)).toEqual([[STAFF]]);
    expect(sent[0]!.subject).toMatch(/^Not applied: \[TKT-1\]/);
    expect(sent[0]!.text).toMatch(/did not pass authentication/);
  }

  /** Maria's next new request is acknowledged, and she is not flagged as bouncing. */
  async function expectMariaAnsweredAgain(v: Victim, ticketId: string) {
    const { result, sent } = await deliverRaw(v, fixtureMail(MARIAS_NEXT_REQUEST));
    expect(result).toMatchObject({ outcome: 'created', ticket: ticketId });
    expect(result.replies).toContainEqual(expect.objectContaining({ kind: 'ack', to: REQUESTER }));
    expect(sent.filter((m) => m.destinations.includes(REQUESTER))).toHaveLength(1);
    expect((await v.store.getProfiles([REQUESTER])).get(REQUESTER)?.bouncing).not.toBe(true);
  }

  describe('d01: a bounce marks an address only when it reports a mail we sent to it', () => {
    it.each(FORGED_BOUNCES)('%s: Maria is not marked as bouncing, and her next request is answered', async (name, outcome, ticket) => {
      const v = await victimTicket();
      const { result, after, sent } = await deliver(v, name);

      expect(result).toMatchObject({ outcome, ticket, replies: [] });
      expect(result.reason).toContain(REQUESTER);
      expect(result.reason).toMatch(/not marked as bouncing/);
      expect(result.reason).toMatch(/names no mail we sent/);
      expect((await v.store.getProfiles([REQUESTER])).get(REQUESTER)?.bouncing).not.toBe(true);
      // A bounce on the thread is recorded there and changes nothing about the ticket.
      expect(without(after, 'messageKeys')).toEqual(without(v.before, 'messageKeys'));
      expect(await v.store.listEvents(after.key)).toEqual(v.history);
      expect(sent).toEqual([]);

      v.clock.advance(HOUR);
      await expectMariaAnsweredAgain(v, 'TKT-2');
    });

    it("d01-ses-bounce-of-our-ack.eml: SES's bounce of the ack we sent marks Maria; nothing is sent to her until she writes again", async () => {
      const v = await victimTicket();
      // The ack we sent for TKT-1: SES gave it its own Message-ID, and its envelope sender is a return path of ours.
      const acks = v.ticketOneSends.filter((m) => m.destinations.includes(REQUESTER));
      expect(acks).toHaveLength(1);
      const ack = acks[0]!;
      expect(ack.source).toMatch(/^support\+b-[0-9a-f]{20}@northwind\.example$/);
      expect(ack.messageId).toMatch(/^<0102[0-9a-f]{12}-[0-9a-f-]{36}-000000@eu-west-1\.amazonses\.com>$/);
      const returnPath = ack.source!;
      const raw = Buffer.from(
        attackMail('d01-ses-bounce-of-our-ack.eml').toString('latin1').replaceAll(BOUNCE_RETURN_PATH, returnPath).replaceAll(BOUNCE_SES_MESSAGE_ID, ack.messageId.slice(1, -1)),
        'latin1',
      );
      expect(raw.toString('latin1')).toContain(`To: ${returnPath}\r\n`);

      const seen = await outboxLength();
      const [result] = await deliverAsSesTo(raw, [returnPath], v.deps);
      expect(result).toMatchObject({ outcome: 'appended', ticket: 'TKT-1', replies: [] });
      expect(result!.reason).toContain(REQUESTER);
      expect(result!.reason).toMatch(/marked as bouncing/);
      expect(result!.reason).toMatch(/tied by (our return path|the Message-ID of our mail)/);
      expect((await v.store.getProfiles([REQUESTER])).get(REQUESTER)?.bouncing).toBe(true);
      expect(await sentBetween(seen)).toEqual([]);

      // The web form names Maria as the person to answer (Reply-To, DMARC pass): her ticket is
      // opened, but nothing is mailed to an address that bounces.
      v.clock.advance(HOUR);
      const form = await deliver(v, 'd01-phpmailer-contact-form-for-maria.eml');
      expect(form.result).toMatchObject({ outcome: 'created', ticket: 'TKT-2' });
      expect((await v.store.getTicketById(2))?.requester).toBe(REQUESTER);
      expect(form.result.reason).toMatch(new RegExp(`mail to ${REQUESTER.replace(/\./g, '\\.')} bounces`));
      expect(form.result.replies.map((r) => r.kind)).toEqual(['staff-notification']);
      expect(form.sent.filter((m) => m.destinations.includes(REQUESTER))).toEqual([]);
      expect((await v.store.getProfiles([REQUESTER])).get(REQUESTER)?.bouncing).toBe(true);

      // Maria herself writes again: she is reachable after all, and answered.
      v.clock.advance(HOUR);
      await expectMariaAnsweredAgain(v, 'TKT-3');
    });
  });

  describe('d02: only authenticated mail may change who hears a ticket', () => {
    it('d02-thunderbird-forged-maria-cc-eve.eml: a forged reply "from Maria" that Cc\'s Eve is recorded and changes nothing', async () => {
      const v = await victimTicket();
      const { result, after, sent } = await deliver(v, 'd02-thunderbird-forged-maria-cc-eve.eml');

      expect(result).toMatchObject({ outcome: 'appended', ticket: 'TKT-1', status: 'open', priority: 'P2', replies: [] });
      expect(result.reason).toMatch(/DMARC fail/i);
      expect(result.reason).toMatch(/not from/);
      expect(after.participants).toEqual([PARTICIPANT]);
      expect(without(after, 'messageKeys')).toEqual(without(v.before, 'messageKeys'));
      expect(await v.store.listEvents(after.key)).toEqual(v.history);
      expect(await storedMessage(v, result)).toMatchObject({ from: REQUESTER, cc: expect.arrayContaining([EVE]) });
      expect(sent).toEqual([]);
    });

    it('d02-apple-mail-forged-maria-reply-to-mallory.eml: a forged [TKT-1] mail with Reply-To Mallory and "the whole floor is down" changes nothing; the staff answer that follows reaches Maria and Tom only', async () => {
      const v = await victimTicket();
      const forgedCc = await deliver(v, 'd02-thunderbird-forged-maria-cc-eve.eml');
      expect(forgedCc.result.outcome).toBe('appended');
      const { result, after, sent } = await deliver(v, 'd02-apple-mail-forged-maria-reply-to-mallory.eml');

      expect(result).toMatchObject({ outcome: 'appended', ticket: 'TKT-1', status: 'open', priority: 'P2', replies: [] });
      expect(result.reason).toMatch(/DMARC fail/i);
      expect(after.participants).toEqual([PARTICIPANT]);
      expect(after.priority).toBe('P2');
      expect(without(after, 'messageKeys')).toEqual(without(v.before, 'messageKeys'));
      expect(await v.store.listEvents(after.key)).toEqual(v.history);
      expect(sent).toEqual([]);

      // A genuine staff answer with a temporary password: relayed to Maria and Tom, never to Eve or Mallory.
      const answer = await deliver(v, 'd02-outlook-staff-reply-temporary-password.eml');
      expect(answer.result).toMatchObject({ outcome: 'appended', ticket: 'TKT-1' });
      expect(answer.result.replies.map((r) => r.kind)).toEqual(['relay']);
      expect(answer.sent).toHaveLength(1);
      expect(answer.sent[0]!.destinations.sort()).toEqual([REQUESTER, PARTICIPANT].sort());
      expect(answer.sent[0]!.text).toContain('Harbor-7319-Kestrel');
      const everything = await sentBetween(v.outboxSeen);
      for (const m of everything) expect(m.destinations.filter((d) => d.endsWith('@evil.test'))).toEqual([]);
      expect(answer.after.participants).toEqual([PARTICIPANT]);
    });

    it('d02-outlook-participant-cc-new-colleague-no-dmarc.eml: an unauthenticated but not forged reply is recorded and counts, but its Cc is not added', async () => {
      const v = await victimTicket();
      const { result, after, sent } = await deliver(v, 'd02-outlook-participant-cc-new-colleague-no-dmarc.eml');

      expect(result).toMatchObject({ outcome: 'appended', ticket: 'TKT-1' });
      expect(result.reason).toContain('new.colleague@northwind.example');
      expect(result.reason).toMatch(/not added/);
      expect(result.reason).toMatch(/only authenticated mail may change who hears it/);
      expect(after.participants).toEqual([PARTICIPANT]);
      // A reply like any requester's: on the thread as Tom's, and it is the ticket's latest word.
      expect(await storedMessage(v, result)).toMatchObject({ from: PARTICIPANT, role: 'reply' });
      expect(after.lastExcerpt).toContain('the problem is back');
      expect(after.lastActivityAt > v.before.lastActivityAt).toBe(true);
      for (const m of sent) expect(m.destinations).not.toContain('new.colleague@northwind.example');
    });

    it('d02-iphone-forged-new-request-reply-to-mallory.eml: a new request with DMARC fail is answered at From, never at its Reply-To', async () => {
      const v = await victimTicket();
      const { result, sent } = await deliver(v, 'd02-iphone-forged-new-request-reply-to-mallory.eml');

      expect(result).toMatchObject({ outcome: 'created', ticket: 'TKT-2' });
      expect((await v.store.getTicketById(2))?.requester).toBe('yuki.tanaka@northwind.example');
      const toRequester = sent.filter((m) => !m.destinations.includes(northwindConfig.staffList));
      expect(toRequester).toHaveLength(1);
      expect(toRequester[0]!.destinations).toEqual(['yuki.tanaka@northwind.example']);
      for (const m of sent) expect(m.destinations).not.toContain(MALLORY);
      // The reason says why Mallory is not the one answered.
      expect(result.reason).toContain(MALLORY);
      expect(result.reason).toMatch(/Reply-To .*not used/);
      expect(result.reason).toMatch(/not authenticated/);
    });
  });

  describe('d03: a sender-written Authentication-Results header grants nothing', () => {
    it.each(FORGED_HEADER_KINDS)('over IMAP with no authserv-id configured: d03-outlook-imap-%s.eml gets no staff powers', async (kind) => {
      const v = await victimTicket(imapConfig());
      const delivered = await deliverOverImap(v, attackMail(`d03-outlook-imap-${kind}.eml`));
      await expectNoStaffPower(v, delivered);
      expect(delivered.result.reason).toMatch(/looks like staff/);
      expect(delivered.result.reason).toMatch(/not authenticated|stranger/);
    });

    it.each(FORGED_HEADER_KINDS)('over IMAP with authserv-id mx.google.com: d03-outlook-imap-%s.eml gets no staff powers', async (kind) => {
      const v = await victimTicket(imapConfig('mx.google.com'));
      const delivered = await deliverOverImap(v, attackMail(`d03-outlook-imap-${kind}.eml`));
      await expectNoStaffPower(v, delivered);
      expect(delivered.result.reason).toMatch(/looks like staff/);
      expect(delivered.result.reason).toMatch(/stranger/);
    });

    it("over IMAP with authserv-id mx.google.com: Google's own header on top grants staff powers (the rule is topmost and exact, not never)", async () => {
      const v = await victimTicket(imapConfig('mx.google.com'));
      const { result, after, sent } = await deliverOverImap(v, attackMail('d03-outlook-imap-google-header-on-top.eml'));

      expect(result).toMatchObject({ outcome: 'appended', ticket: 'TKT-1' });
      expect(result.reason).toMatch(/applied/);
      expect(after).toMatchObject({ status: 'resolved', assignee: STAFF, participants: [PARTICIPANT] });
      expect(await storedMessage(v, result)).toMatchObject({ from: STAFF, role: 'staff-reply' });
      const relay = sent.find((m) => m.destinations.includes(REQUESTER));
      expect(relay?.destinations.sort()).toEqual([REQUESTER, PARTICIPANT].sort());
      expect(relay?.text).toContain('GlobalProtect 6.1');
    });

    it("through Graph: a staff reply from inside the Microsoft 365 tenant has staff powers by Exchange's Internal mark (it writes dmarc=none between its own users)", async () => {
      const v = await victimTicket(graphConfig());
      const { result, after, sent } = await deliverOverImap(v, attackMail('d06-graph-internal-staff-reply.eml'), 'graph');

      expect(result).toMatchObject({ outcome: 'appended', ticket: 'TKT-1' });
      expect(after).toMatchObject({ status: 'resolved', assignee: STAFF, participants: [PARTICIPANT] });
      expect(await storedMessage(v, result)).toMatchObject({ from: STAFF, role: 'staff-reply' });
      expect(sent.find((m) => m.destinations.includes(REQUESTER))?.text).toContain('GlobalProtect 6.1');
    });

    it('the same mail from a plain IMAP server: the Exchange mark is only text there, so no staff powers', async () => {
      const v = await victimTicket(imapConfig(''));
      const delivered = await deliverOverImap(v, attackMail('d06-graph-internal-staff-reply.eml'));
      await expectNoStaffPower(v, delivered);
      expect(delivered.result.reason).toMatch(/looks like staff/);
    });

    it("through Graph: a forged staff reply from outside gets no staff powers: Exchange's header on top says DMARC fail, its mark Anonymous", async () => {
      const v = await victimTicket(graphConfig());
      const delivered = await deliverOverImap(v, attackMail('d06-graph-external-forged-staff.eml'), 'graph');
      await expectNoStaffPower(v, delivered);
      expect(delivered.result.reason).toMatch(/looks like staff but DMARC failed/);
    });

    it.each(FORGED_HEADER_KINDS)("over the S3 trigger: SES's failing header on top, d03-outlook-s3-%s.eml's own below, gets no staff powers", async (kind) => {
      const v = await victimTicket();
      const delivered = await deliverOverS3(v, attackMail(`d03-outlook-s3-${kind}.eml`));
      await expectNoStaffPower(v, delivered);
      expect(delivered.result.reason).toMatch(/looks like staff/);
      expect(delivered.result.reason).toMatch(/DMARC fail|stranger/i);
    });
  });

  describe('d04: staff power needs DMARC pass or DKIM aligned with From, and one From', () => {
    it.each([
      ['d04-outlook-spf-pass-only-staff-commands.eml', /SPF pass does not count|stranger/],
      ['d04-mutt-two-from-addresses.eml', /From names 2 addresses/],
      ['d04-outlook-dkim-pass-not-aligned.eml', /not aligned/],
    ])('%s: no staff powers', async (name, why) => {
      const v = await victimTicket();
      const delivered = await deliver(v, name);
      await expectNoStaffPower(v, delivered);
      expect(delivered.result.reason).toMatch(why);
      expect(delivered.result.reason).toMatch(/stranger/);
    });

    it('tells the staff address at most once an hour, however many mails in its name fail', async () => {
      const v = await victimTicket();
      const name = 'd04-outlook-spf-pass-only-staff-commands.eml';
      const first = await deliver(v, name);
      const again = await deliverRaw(v, withHeaders(attackMail(name), { 'Message-ID': '<second-forgery@evil.test>' }), attackSidecar(name));
      expect(first.result.replies.map((r) => r.kind)).toEqual(['staff-warning']);
      expect(again.result.replies).toEqual([]);
      expect(again.sent).toEqual([]);
      v.clock.advance(HOUR);
      const later = await deliverRaw(v, withHeaders(attackMail(name), { 'Message-ID': '<third-forgery@evil.test>' }), attackSidecar(name));
      expect(later.result.replies.map((r) => r.kind)).toEqual(['staff-warning']);
    });

    it('d04-outlook-dkim-aligned-no-dmarc.eml: DKIM aligned with From is enough when the domain has no DMARC record', async () => {
      const v = await victimTicket();
      const { result, after, sent } = await deliver(v, 'd04-outlook-dkim-aligned-no-dmarc.eml');

      expect(result).toMatchObject({ outcome: 'appended', ticket: 'TKT-1', priority: 'P1' });
      expect(result.reason).toMatch(/applied/);
      expect(after).toMatchObject({ priority: 'P1', assignee: STAFF, participants: [PARTICIPANT] });
      expect(await storedMessage(v, result)).toMatchObject({ from: STAFF, role: 'staff-reply' });
      expect(result.replies.map((r) => r.kind).sort()).toEqual(['command-result', 'relay']);
      const relay = sent.find((m) => m.destinations.includes(REQUESTER));
      expect(relay?.destinations.sort()).toEqual([REQUESTER, PARTICIPANT].sort());
    });
  });

  it('d10: a mail in an API key\'s name, even DMARC-passing, has no staff power: only our HTTP border grants it', async () => {
    const v = await victimTicket();
    const { result, after, sent } = await deliver(v, 'd10-script-mail-in-an-api-keys-name.eml');
    // A stranger's mail with someone else's tag: a ticket of its own, which nothing answers (.invalid takes no mail).
    expect(result).toMatchObject({ outcome: 'created', ticket: 'TKT-2', status: 'open' });
    expect(result.reason).not.toMatch(/applied|API key/);
    expect(result.suppressed).toEqual([expect.objectContaining({ kind: 'ack' })]);
    expect(without(after, 'messageKeys')).toEqual(without(v.before, 'messageKeys'));
    expect(await v.store.listEvents(after.key)).toEqual(v.history);
    expect(sent.filter((m) => m.destinations.includes(MALLORY) || m.destinations.some((d) => d.endsWith('api-key.invalid')))).toEqual([]);
    expect(sent.filter((m) => m.destinations.includes(REQUESTER))).toEqual([]);
  });

  describe('d05: huge text stays bounded', () => {
    it('d05-outlook-pasted-500kb-log.eml: the ticket is created, its item holds an excerpt and S3 the whole text', { timeout: 60_000 }, async () => {
      const v = await victimTicket();
      const raw = attackMail('d05-outlook-pasted-500kb-log.eml');
      const { result } = await deliverRaw(v, raw);

      expect(result).toMatchObject({ outcome: 'created', ticket: 'TKT-2' });
      expect(result.replies.map((r) => r.kind).sort()).toEqual(['ack', 'staff-notification']);
      const ticket = (await v.store.getTicketById(2))!;
      expect(ticket).toMatchObject({ id: 'TKT-2', requester: PARTICIPANT });
      const listed = (await v.store.listTickets()).find((t) => t.id === 'TKT-2');
      expect(listed).toEqual(ticket);

      const [message] = await v.store.listMessages(ticket.key);
      expect(Buffer.byteLength(message!.visibleText)).toBeLessThanOrEqual(16 * 1024 + 256);
      expect(message!.textBlobKey).toBeTruthy();
      const whole = await streamText(await v.deps.blobsFor(v.config.aws.bucket).get(message!.textBlobKey!));
      // The whole text: the first and the last line of the pasted log, and everything between.
      expect(whole).toContain('PO export 3.8.2 (build 2026-09-14T10:22Z) on APP-PRC-01');
      expect(whole).toContain('2026-11-02 04:39:43,566 INFO  [main] c.n.proc.export.PoExportMain - Exit code 2');
      expect(Buffer.byteLength(whole)).toBeGreaterThan(520 * 1024);
    });

    it('d05-script-utf7-invoice-reminder.eml blown up to a 2 MB UTF-7 body: ends created or quarantined, never an exception, no ticket number burned', { timeout: 60_000 }, async () => {
      const v = await victimTicket();
      const text = attackMail('d05-script-utf7-invoice-reminder.eml').toString('latin1');
      const start = text.indexOf('Our invoice INV-2026-1187');
      const end = text.indexOf('\r\n\r\n', start);
      const paragraph = text.slice(start, end);
      const copies = Math.ceil((2 * 1024 * 1024) / (paragraph.length + 4));
      const raw = Buffer.from(text.slice(0, start) + Array.from({ length: copies }, () => paragraph).join('\r\n\r\n') + text.slice(end), 'latin1');
      expect(raw.length).toBeGreaterThan(2 * 1024 * 1024);

      const { result } = await deliverRaw(v, raw);
      expect(['created', 'quarantined']).toContain(result.outcome);
      if (result.outcome === 'quarantined') {
        expect(result.reason).toMatch(/raw mail kept at/);
        expect((await v.store.listQuarantine()).map((q) => q.messageId)).toContain(result.messageId);
      } else {
        expect(result.ticket).toBe('TKT-2');
        const ticket = (await v.store.getTicketById(2))!;
        const [message] = await v.store.listMessages(ticket.key);
        expect(Buffer.byteLength(message!.visibleText)).toBeLessThanOrEqual(16 * 1024 + 256);
        expect(message!.visibleText).toContain('Our invoice INV-2026-1187 for \u20ac4,380.00');
      }

      v.clock.advance(HOUR);
      const next = await deliverRaw(v, fixtureMail(MARIAS_NEXT_REQUEST));
      expect(next.result).toMatchObject({ outcome: 'created', ticket: result.outcome === 'created' ? 'TKT-3' : 'TKT-2' });
    });
  });

  it('d07: 20 copies of one new mail delivered at once make one ticket, one ack, one staff notice and burn no number', async () => {
    const p = await pipelineOn(fx, manualClock('2026-11-02T07:14:12Z'));
    const seen = await outboxLength();
    const raw = fixtureMail('01-outlook-new-vpn-down.eml');

    const results = (await Promise.all(Array.from({ length: 20 }, () => deliverAsSes(raw, {}, p.deps)))).map((r) => r[0]!);

    expect(results.map((r) => r.ticket)).toEqual(Array.from({ length: 20 }, () => 'TKT-1'));
    expect((await p.store.listTickets()).map((t) => t.id)).toEqual(['TKT-1']);
    const sent = await sentBetween(seen);
    expect(sent.filter((m) => m.destinations.includes(REQUESTER))).toHaveLength(1);
    expect(sent.filter((m) => m.destinations.includes(northwindConfig.staffList))).toHaveLength(1);
    expect(sent).toHaveLength(2);

    p.clock.advance(HOUR);
    const [next] = await deliverAsSes(fixtureMail(MARIAS_NEXT_REQUEST), {}, p.deps);
    expect(next).toMatchObject({ outcome: 'created', ticket: 'TKT-2' });

    // Each result says what happened to its copy: one made the ticket, the others were copies of it.
    expect(results.map((r) => r.outcome).sort()).toEqual(['created', ...Array.from({ length: 19 }, () => 'redelivered')]);
  });

  it('d09: a flood of 50 new mails from one sender opens 10 tickets, holds 40, tells staff once and answers at most 3 times', { timeout: 90_000 }, async () => {
    const v = await victimTicket();
    const flood = attackMail('d09-python-flood-new-request.eml');
    const results: InboundResult[] = [];
    for (let i = 0; i < 50; i++) {
      const [r] = await deliverAsSes(floodCopy(flood, i), {}, v.deps);
      results.push(r!);
      v.clock.advance(1000);
    }

    const created = results.filter((r) => r.outcome === 'created');
    const held = results.filter((r) => r.outcome === 'quarantined');
    expect(created.map((r) => r.ticket)).toEqual(Array.from({ length: 10 }, (_, i) => `TKT-${i + 2}`));
    expect(held).toHaveLength(40);
    for (const r of held) {
      expect(r.reason).toContain(EVE);
      expect(r.reason).toContain('limits.newTicketsPerSenderPerHour');
      expect(r.reason).toContain('ticketing replay');
    }
    const quarantine = await v.store.listQuarantine();
    expect(quarantine.map((q) => q.messageId).sort()).toEqual(held.map((r) => r.messageId).sort());

    const sent = await sentBetween(v.outboxSeen);
    const notices = sent.filter((m) => m.subject.startsWith('New requests from'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toBe(`New requests from ${EVE} are on hold`);
    expect(notices[0]!.destinations).toEqual([northwindConfig.staffList]);
    expect(sent.filter((m) => m.destinations.includes(EVE)).length).toBeLessThanOrEqual(3);

    // The next clock hour, the same sender's new mail opens a ticket again.
    v.clock.advance(HOUR);
    const [later] = await deliverAsSes(floodCopy(flood, 50), {}, v.deps);
    expect(later).toMatchObject({ outcome: 'created', ticket: 'TKT-12' });
  });
});
