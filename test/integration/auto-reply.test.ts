/**
 * Auto-replies through the real handler, store and local SES endpoint (dynalite): what the
 * mail looks like on the wire, that a reply to it threads by either Message-ID, and every
 * rule that holds one back says so in `reason`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundCounts } from '../../src/aws/lambda-metrics.js';
import { deliverAsSes } from '../../src/local/ingest.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';
import { fixtureMail, fixtureSidecar, northwindConfig, pipelineOn, toRequester } from '../support/pipeline.js';
import { withHeaders } from '../support/rewrite.js';

describe('auto-replies on the local stack', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: 'dynalite', config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  /** Runs `act`, then returns the mails the local SES endpoint received meanwhile. */
  async function sentDuring(act: () => Promise<unknown>): Promise<{ raw: string; mail: ParsedMail }[]> {
    const outbox = join(fx.dataDir, 'outbox');
    const before = (await readOutbox(outbox)).length;
    await act();
    const entries = (await readOutbox(outbox)).slice(before);
    return Promise.all(
      entries.map(async (e) => {
        const raw = readFileSync(e.rawPath);
        return { raw: raw.toString('latin1'), mail: await simpleParser(raw) };
      }),
    );
  }

  it('acknowledges from the support address, threaded, tagged and marked as automatic', async () => {
    const { deps } = await pipelineOn(fx);
    const inbound = await simpleParser(fixtureMail('29-outlook-to-support-and-helpdesk.eml'));
    let result;
    const sentMails = await sentDuring(async () => {
      [result] = await deliverAsSes(fixtureMail('29-outlook-to-support-and-helpdesk.eml'), {}, deps);
    });
    const { mail, raw } = sentMails.find((m) => m.mail.headers.get('auto-submitted') === 'auto-replied')!;
    expect(result!).toMatchObject({ outcome: 'created', ticket: 'TKT-1' });
    expect(toRequester(result!)).toEqual(['ack']);
    expect(mail.from?.value[0]).toMatchObject({ address: 'support@northwind.example', name: 'Northwind IT' });
    expect(mail.to && !Array.isArray(mail.to) && mail.to.value.map((a) => a.address)).toEqual([inbound.from!.value[0]!.address]);
    expect(mail.replyTo?.value[0]?.address).toBe('support+tkt-1@northwind.example');
    expect(mail.subject).toBe(`Re: [TKT-1] ${inbound.subject}`);
    expect(mail.inReplyTo).toBe(inbound.messageId);
    expect(mail.references).toContain(inbound.messageId);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
    expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail.text).toContain('TKT-1');
    expect(mail.html).toContain('TKT-1');
    // SES replaced our Message-ID with its own, as the real service does.
    expect(mail.messageId).toMatch(/@eu-west-1\.amazonses\.com>$/);
  });

  it('threads a reply that quotes the id SES put on our mail, and one that quotes ours', async () => {
    const { deps, store } = await pipelineOn(fx);
    const [sent] = (await sentDuring(() => deliverAsSes(fixtureMail('05-thunderbird-new-wifi-log.eml'), {}, deps))).filter((m) => m.mail.subject?.startsWith('Re: '));
    const ticket = (await store.getTicketById(1))!;
    const ours = (await store.listMessages(ticket.key)).find((m) => m.role === 'ack')!;
    const reply = fixtureMail('25-thunderbird-plus-address-wifi.eml');
    const viaSesId = withHeaders(reply, {
      'Message-ID': '<r1@mail.example>',
      To: 'support@northwind.example',
      Subject: 'Re: Wi-Fi drops',
      'In-Reply-To': sent!.mail.messageId!,
      References: sent!.mail.messageId!,
    });
    const viaOurId = withHeaders(viaSesId, { 'Message-ID': '<r2@mail.example>', 'In-Reply-To': `<${ours.messageId}>`, References: `<${ours.messageId}>` });
    const [a] = await deliverAsSes(viaSesId, {}, deps);
    const [b] = await deliverAsSes(viaOurId, {}, deps);
    expect(ours.messageId).not.toBe(sent!.mail.messageId);
    expect([a?.outcome, a?.ticket]).toEqual(['appended', 'TKT-1']);
    expect([b?.outcome, b?.ticket]).toEqual(['appended', 'TKT-1']);
  });

  it('cleans a reply that pastes our acknowledgement back without quote marks', async () => {
    const { deps, store } = await pipelineOn(fx);
    const [ack] = (await sentDuring(() => deliverAsSes(fixtureMail('05-thunderbird-new-wifi-log.eml'), {}, deps))).filter((m) => m.mail.subject?.startsWith('Re: '));
    // Thunderbird's headers, and a body as a client that drops the quote separator leaves it.
    const reply = withHeaders(fixtureMail('25-thunderbird-plus-address-wifi.eml'), { 'Message-ID': '<pasted@northwind.example>', To: 'support+tkt-1@northwind.example' });
    const head = reply.toString('latin1').split(/\r\n\r\n/)[0]!;
    const body = `It happened again just now, on the 4th floor near the kitchen.\r\n\r\n${ack!.mail.text!.replace(/\r?\n/g, '\r\n')}`;
    const [r] = await deliverAsSes(Buffer.from(`${head}\r\n\r\n${body}`, 'utf8'), {}, deps);
    expect(r).toMatchObject({ outcome: 'appended', ticket: 'TKT-1' });
    const stored = (await store.listMessages((await store.getTicketById(1))!.key)).find((m) => m.messageId === 'pasted@northwind.example')!;
    expect(stored.visibleText).toBe('It happened again just now, on the 4th floor near the kitchen.');
  });

  it('records an out-of-office on the thread without answering it or changing the ticket', async () => {
    const { deps, store } = await pipelineOn(fx);
    await deliverAsSes(fixtureMail('07-apple-mail-new-inline-screenshot.eml'), {}, deps);
    const before = (await store.getTicketById(1))!;
    // The Exchange OOO is tagged [TKT-4] in the corpus; here the same requester's ticket is TKT-1.
    const ooo = withHeaders(fixtureMail('35-exchange-ooo-on-thread.eml'), {
      Subject: `Automatic reply: Re: [TKT-1] ${before.subject}`,
    });
    let result;
    const sent = await sentDuring(async () => {
      [result] = await deliverAsSes(ooo, {}, deps);
    });
    const after = (await store.getTicketById(1))!;
    expect(result!).toMatchObject({ outcome: 'appended', ticket: 'TKT-1', replies: [] });
    expect(sent).toEqual([]);
    expect([after.status, after.priority, after.lastActivityAt]).toEqual([before.status, before.priority, before.lastActivityAt]);
    expect((result! as { reason: string }).reason).toMatch(/out of office|automatic reply/i);
  });

  it('marks a bouncing address only for a mail sent in our name, sends nothing more to it, and clears it when the person writes again', async () => {
    const { deps, store } = await pipelineOn(fx);
    for (const f of ['08-iphone-new-contractor-portal.eml', '12-outlook-sendas-support-reply-portal.eml']) await deliverAsSes(fixtureMail(f), fixtureSidecar(f), deps);
    const [bounce] = await deliverAsSes(fixtureMail('13-postfix-dsn-bounce-portal.eml'), fixtureSidecar('13-postfix-dsn-bounce-portal.eml'), deps);
    expect(bounce).toMatchObject({ outcome: 'appended', ticket: 'TKT-1', replies: [] });
    const thread = await store.listMessages((await store.getTicketById(1))!.key);
    expect(thread.some((m) => m.role === 'bounce')).toBe(true);
    // The DSN reports marco.rossi@ (a Cc on our send-as reply, whose Message-ID it quotes) as failed.
    const bounced = 'marco.rossi@fabrikam.example';
    expect((await store.getProfiles([bounced])).get(bounced)?.bouncing).toBe(true);
    expect(bounce!.reason).toContain(`${bounced} marked as bouncing: the bounce reports our mail to it failed`);
    // A colleague's contact-form style mail that names him as the person to answer: no mail to him.
    const forHim = withHeaders(fixtureMail('08-iphone-new-contractor-portal.eml'), {
      From: 'Site office <no-reply@fabrikam.example>',
      'Reply-To': `Marco Rossi <${bounced}>`,
      'Message-ID': '<form-1@fabrikam.example>',
      Subject: 'Printer in the site office is offline',
    });
    let result;
    const sent = await sentDuring(async () => {
      [result] = await deliverAsSes(forHim, {}, deps);
    });
    const recipients = sent.flatMap((m) => [m.mail.to, m.mail.cc].flatMap((a) => (Array.isArray(a) ? a : a ? [a] : [])).flatMap((a) => a.value.map((v) => v.address)));
    expect(recipients).not.toContain(bounced);
    expect(result!).toMatchObject({ outcome: 'created' });
    expect(toRequester(result!)).toEqual([]);
    expect((result! as { reason: string }).reason).toContain(`mail to ${bounced} bounces`);
    // He writes himself: his address works after all, and he gets his acknowledgement.
    const fromHim = withHeaders(forHim, { From: `Marco Rossi <${bounced}>`, 'Reply-To': null, 'Message-ID': '<later@fabrikam.example>', Subject: 'Scanner on the 2nd floor jams' });
    const [own] = await deliverAsSes(fromHim, {}, deps);
    expect(toRequester(own!)).toEqual(['duplicate-notice']); // the same request as the colleague's, and it reaches him
    expect((await store.getProfiles([bounced])).get(bounced)?.bouncing).toBe(false);
  });

  it('tells a requester their re-sent mail is already a ticket, unless duplicate notices are off', async () => {
    const on = await pipelineOn(fx);
    await deliverAsSes(fixtureMail('36-dup-a1-outlook-shared-mailbox.eml'), {}, on.deps);
    on.clock.advance(3600_000);
    const [merged] = await deliverAsSes(fixtureMail('37-dup-a2-outlook-shared-mailbox-resent.eml'), {}, on.deps);
    expect(merged).toMatchObject({ outcome: 'merged', ticket: 'TKT-1', replies: [{ kind: 'duplicate-notice' }] });

    const off = await pipelineOn(fx, undefined, { ...northwindConfig, autoReplies: { ...northwindConfig.autoReplies, duplicateNotice: false } });
    await deliverAsSes(fixtureMail('36-dup-a1-outlook-shared-mailbox.eml'), {}, off.deps);
    off.clock.advance(3600_000);
    const [quiet] = await deliverAsSes(fixtureMail('37-dup-a2-outlook-shared-mailbox-resent.eml'), {}, off.deps);
    expect(quiet).toMatchObject({ outcome: 'merged', replies: [] });
    expect(quiet!.reason).toContain('no notice sent (duplicate notices are off)');
  });

  it('counts every auto-reply it holds back, duplicate notices off as well as auto-replies off, once', async () => {
    // Issue 13, the one intended change of a metric: before, the count read "no <kind> sent: " in
    // the reason, which the duplicate-notices-off wording does not say, so only the first counted.
    const silent = await pipelineOn(fx, undefined, { ...northwindConfig, autoReplies: { ...northwindConfig.autoReplies, enabled: false } });
    const [created] = await deliverAsSes(fixtureMail('36-dup-a1-outlook-shared-mailbox.eml'), {}, silent.deps);
    expect(created).toMatchObject({ outcome: 'created', replies: [{ kind: 'staff-notification' }] });
    expect(created!.suppressed).toEqual([{ kind: expect.stringMatching(/^(ack|missing-info)$/), why: 'auto-replies are switched off in the configuration' }]);

    const off = await pipelineOn(fx, undefined, { ...northwindConfig, autoReplies: { ...northwindConfig.autoReplies, duplicateNotice: false } });
    await deliverAsSes(fixtureMail('36-dup-a1-outlook-shared-mailbox.eml'), {}, off.deps);
    off.clock.advance(3600_000);
    const resent = fixtureMail('37-dup-a2-outlook-shared-mailbox-resent.eml');
    const [quiet] = await deliverAsSes(resent, {}, off.deps);
    expect(quiet!.suppressed).toEqual([{ kind: 'duplicate-notice', why: 'duplicate notices are off' }]);
    const [again] = await deliverAsSes(resent, {}, off.deps);
    expect(again).toMatchObject({ outcome: 'redelivered', suppressed: [] });

    expect(inboundCounts([created!, quiet!, again!])).toMatchObject({ AutoRepliesSuppressed: 2 });
  });

  it('never answers our own address, and keeps the ticket when SES refuses the send', async () => {
    const { deps } = await pipelineOn(fx);
    const own = withHeaders(fixtureMail('05-thunderbird-new-wifi-log.eml'), { From: 'Northwind Helpdesk <helpdesk@northwind.example>', 'Message-ID': '<own@northwind.example>' });
    const [ownResult] = await deliverAsSes(own, {}, deps);
    expect(ownResult!.replies).toEqual([]);
    expect(ownResult!.reason).toMatch(/our own|own address/);

    // One injected SES fault: MessageRejected, as SES answers for an unverified identity.
    fx.clients.ses.middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected', $fault: 'client', $metadata: { httpStatusCode: 400 } });
      },
      { step: 'initialize', name: 'rejectSend' },
    );
    try {
      const [r] = await deliverAsSes(fixtureMail('24-outlook-ios-new-emoji-laptop-fan.eml'), {}, deps);
      expect(r).toMatchObject({ outcome: 'created', replies: [] });
      expect(r!.reason).toMatch(/no (ack|missing-info) sent: SES rejected the mail to northwind\.example: MessageRejected/);
      // Refused, not held back: counted as MailFailed (UndeliveredMailTally), not AutoRepliesSuppressed.
      expect(r!.suppressed).toEqual([]);
    } finally {
      fx.clients.ses.middlewareStack.remove('rejectSend');
    }
  });

  it('holds the per-ticket limit: replies on one ticket get at most 3 auto-replies an hour', async () => {
    const config = { ...northwindConfig, autoReplies: { ...northwindConfig.autoReplies, maxPerSenderPerHour: 50, maxPerTicketPerHour: 3 } };
    const { deps } = await pipelineOn(fx, undefined, config);
    const base = fixtureMail('36-dup-a1-outlook-shared-mailbox.eml');
    const results = [];
    for (let i = 0; i < 6; i++) {
      // The same request re-sent: each is merged into TKT-1 and earns a duplicate notice.
      const [r] = await deliverAsSes(withHeaders(base, { 'Message-ID': `<again-${i}@northwind.example>` }), {}, deps);
      results.push(r!);
    }
    const answered = results.filter((r) => toRequester(r).length).length;
    expect(answered).toBe(3);
    expect(results.at(-1)!.reason).toContain('auto-reply limit reached: 3 per ticket per hour');
  });

  it("never lets a reply the ticket's limit refused use up one of the requester's", async () => {
    const config = { ...northwindConfig, autoReplies: { ...northwindConfig.autoReplies, maxPerSenderPerHour: 2, maxPerTicketPerHour: 1 } };
    const { deps } = await pipelineOn(fx, undefined, config);
    const base = fixtureMail('36-dup-a1-outlook-shared-mailbox.eml');
    const [first] = await deliverAsSes(base, {}, deps);
    expect(toRequester(first!)).toEqual(['ack']);
    for (let i = 0; i < 3; i++) {
      // Re-sent: merged into the same ticket, whose one auto-reply this hour is spent.
      const [again] = await deliverAsSes(withHeaders(base, { 'Message-ID': `<resent-${i}@northwind.example>` }), {}, deps);
      expect(again!.reason).toContain('auto-reply limit reached: 1 per ticket per hour');
    }
    // Maria's second auto-reply this hour is still hers, for a different request.
    const other = withHeaders(fixtureMail('39-near-a1-outlook-printer-issue.eml'), { From: 'Maria Garcia <maria.garcia@northwind.example>' });
    const [printer] = await deliverAsSes(other, {}, deps);
    expect(printer!.outcome).toBe('created');
    expect(toRequester(printer!)).toEqual(['ack']);
  });
});
