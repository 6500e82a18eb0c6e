/**
 * deliveryReport: what a bounce says about which recipients failed and which of our messages it
 * returns. Real bounces go through the real parser and are given to deliveryReport as the
 * pipeline gives them (body text, then the first bytes of the embedded parts); the RFC 3464 and
 * fallback shapes MTAs differ on are checked on plain texts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deliveryReport, sesNotification } from '../../src/domain/bounce.js';
import { classifyMachineMail } from '../../src/domain/machine-mail.js';
import { readAsPipeline, sisimaiDir, sisimaiExists } from '../eval/machine-mail.js';
import { northwind } from '../support/message.js';

const fixtures = new URL('../../fixtures/', import.meta.url);

async function reportOf(raw: Buffer) {
  const { msg, texts } = await readAsPipeline(raw);
  return { verdict: classifyMachineMail(msg, northwind), report: deliveryReport(texts) };
}

const text = (...lines: string[]) => lines.join('\n');

describe('deliveryReport on our bounce fixtures', () => {
  it('Postfix DSN (mail/13): the failed Cc, its status and words, and the reply it returns', async () => {
    const { verdict, report } = await reportOf(readFileSync(new URL('mail/13-postfix-dsn-bounce-portal.eml', fixtures)));
    expect(verdict?.kind).toBe('bounce');
    expect(report.failedRecipients).toEqual([
      { address: 'marco.rossi@fabrikam.example', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 <marco.rossi@fabrikam.example>... User unknown' },
    ]);
    expect(report.originalMessageIds).toEqual(['AS8PR07MB7412393E917B98FEAF92E6C9E8A8A@AS8PR07MB7412.eurprd07.prod.outlook.com']);
  });

  it('Exchange NDR (mail/53): the recipient not found, 5.1.10, and the forged message it names', async () => {
    const { report } = await reportOf(readFileSync(new URL('mail/53-exchange-ndr-backscatter.eml', fixtures)));
    expect(report.failedRecipients).toHaveLength(1);
    expect(report.failedRecipients[0]).toMatchObject({ address: 'accounts@wingtiptoys.example', action: 'failed', status: '5.1.10' });
    expect(report.failedRecipients[0]!.diagnostic).toMatch(/^550 5\.1\.10 RESOLVER\.ADR\.RecipientNotFound/);
    expect(report.originalMessageIds).toEqual(['9ad737f2d771ca6e$0e5a8c42$6925e523@northwind.example']);
  });

  it('Postfix DSN for two recipients: Final- before Original-Recipient, the alias reported as we sent it', async () => {
    const { report } = await reportOf(readFileSync(new URL('loops/postfix-dsn-two-recipients.eml', fixtures)));
    expect(report.failedRecipients.map((r) => [r.address, r.status])).toEqual([
      ['j.martin@fabrikam.example', '5.1.1'],
      ['sales@fabrikam.example', '5.2.2'],
    ]);
    expect(report.failedRecipients[1]!.diagnostic).toBe('552 5.2.2 <k.lee@fabrikam.example>... Mailbox full');
    expect(report.originalMessageIds).toEqual(['ack.445f0c2a9e41b7d3806c1e9a@northwind.example']);
  });

  it('Exchange Online NDR: the folded Diagnostic-Code unfolded, our acknowledgement named', async () => {
    const { report } = await reportOf(readFileSync(new URL('loops/exchange-online-ndr-recipient-not-found.eml', fixtures)));
    expect(report.failedRecipients).toEqual([
      {
        address: 'h.schmidt@wingtiptoys.example',
        action: 'failed',
        status: '5.1.10',
        diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient h.schmidt@wingtiptoys.example not found by SMTP address lookup',
      },
    ]);
    expect(report.originalMessageIds).toContain('ack.e9a445f0c2a9e41b7d3806c1@northwind.example');
  });

  it('qmail failure notice (text only): the "<x@y>:" paragraph and the copy\'s Message-ID', async () => {
    const { report } = await reportOf(readFileSync(new URL('loops/mailer-daemon-qmail-failure-notice.eml', fixtures)));
    expect(report.failedRecipients).toEqual([
      { address: 'p.novak@tailspin.example', action: 'failed', status: '5.1.1', diagnostic: 'Sorry, no mailbox here by that name. (#5.1.1)' },
    ]);
    expect(report.originalMessageIds).toEqual(['ack.9e41b7d3806c1e9a445f0c2a@northwind.example']);
  });

  it('Sendmail "Returned mail" (text only): the permanent fatal errors list, not the transcript or the copy', async () => {
    const { report } = await reportOf(readFileSync(new URL('loops/postmaster-sendmail-returned-mail.eml', fixtures)));
    expect(report.failedRecipients.map((r) => [r.address, r.status])).toEqual([['d.jansen@litware.example', '5.1.1']]);
    expect(report.originalMessageIds).toEqual(['ack.3806c1e9a445f0c2a9e41b7d@northwind.example']);
  });
});

describe('deliveryReport: RFC 3464 fields in the orders MTAs write them', () => {
  it('one block per recipient whether Original- or Final-Recipient comes first', () => {
    const report = deliveryReport([
      text(
        'Final-Recipient: rfc822; a@x.example',
        'Original-Recipient: rfc822;alias@x.example',
        'Action: failed',
        'Status: 5.1.1',
        '',
        'Original-Recipient: rfc822;b@x.example',
        'Final-Recipient: rfc822; b@x.example',
        'Action: failed',
        'Status: 5.2.2',
      ),
    ]);
    expect(report.failedRecipients.map((r) => [r.address, r.status])).toEqual([
      ['alias@x.example', '5.1.1'],
      ['b@x.example', '5.2.2'],
    ]);
  });

  it('PMDF: Action and Status before the recipient, no blank line between recipients', () => {
    const report = deliveryReport([
      text(
        'Action: failed',
        'Status: 5.0.0 (Remote SMTP server has rejected address)',
        'Original-recipient: rfc822;a@x.example',
        'Final-recipient: rfc822;a@x.example',
        'Diagnostic-code: smtp; 550 5.7.1 550 User Unknown: a@x.example',
        'Action: failed',
        'Status: 5.0.0 (Remote SMTP server has rejected address)',
        'Original-recipient: rfc822;b@x.example',
        'Final-recipient: rfc822;b@x.example',
      ),
    ]);
    // 5.0.0 says only "failed": the server's own 5.7.1 is kept where the words give one
    expect(report.failedRecipients.map((r) => [r.address, r.status])).toEqual([
      ['a@x.example', '5.7.1'],
      ['b@x.example', '5.0.0'],
    ]);
  });

  it('a 4.x.x status without an Action is a failure ("message expired"), Action: delayed is not', () => {
    const expired = deliveryReport([text('Final-Recipient: rfc822; a@x.example', 'Diagnostic-Code: smtp; 554 4.4.7 Message expired', 'Status: 4.4.7')]);
    expect(expired.failedRecipients).toMatchObject([{ address: 'a@x.example', action: 'failed', status: '4.4.7' }]);
    expect(expired.delayWarning).toBe(false);
    const delayed = deliveryReport([text('Final-Recipient: rfc822; a@x.example', 'Action: delayed', 'Status: 4.4.1')]);
    expect(delayed.failedRecipients).toEqual([]);
    expect(delayed.delayWarning).toBe(true);
    const delivered = deliveryReport([text('Final-Recipient: rfc822; a@x.example', 'Action: delivered', 'Status: 2.0.0')]);
    expect(delivered.failedRecipients).toEqual([]);
  });

  it('an IP address in the words is not a status code', () => {
    const report = deliveryReport([text('Final-Recipient: rfc822; a@x.example', 'Action: failed', 'Status: 5.0.0', 'Diagnostic-Code: smtp; host 10.5.1.2 refused')]);
    expect(report.failedRecipients[0]!.status).toBe('5.0.0');
  });

  it('reads the returned message only for its Message-ID: an old bounce inside it fails no one', () => {
    const returned = text(
      'Received: from mx.example',
      'Message-ID: <ours@northwind.example>',
      'Subject: Returned mail',
      '',
      'Final-Recipient: rfc822; old@y.example',
      'Action: failed',
      'Status: 5.1.1',
    );
    const report = deliveryReport([text('Final-Recipient: rfc822; a@x.example', 'Action: failed', 'Status: 5.1.1'), returned]);
    expect(report.failedRecipients.map((r) => r.address)).toEqual(['a@x.example']);
    expect(report.originalMessageIds).toEqual(['ours@northwind.example']);
  });

  it('reads a report a relay wrapped as a message when the bounce has none of its own', () => {
    const wrapped = text('From: MAILER-DAEMON@relay.example', 'Subject: Returned mail', '', 'Final-Recipient: rfc822; a@x.example', 'Action: failed', 'Status: 5.1.1');
    const report = deliveryReport(['The original message was received at …', wrapped]);
    expect(report.failedRecipients.map((r) => [r.address, r.status])).toEqual([['a@x.example', '5.1.1']]);
  });
});

describe('deliveryReport: human-readable bounces', () => {
  it("Exchange's list with <mailto:> after the address, status from the administrators' section", () => {
    const report = deliveryReport([
      text(
        'Delivery has failed to these recipients or groups:',
        '',
        'kim@x.example<mailto:kim@x.example>',
        "The email address wasn't found at the destination domain.",
        '',
        'Diagnostic information for administrators:',
        '',
        'kim@x.example',
        "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
        '',
        'Original message headers:',
        '',
        'Received: from mail.example (192.0.2.5) by x.example with Microsoft SMTP Server id 15.2.1.4',
      ),
    ]);
    expect(report.failedRecipients.map((r) => [r.address, r.status])).toEqual([['kim@x.example', '5.1.10']]);
  });

  it('GMX: the heading broken over two lines, each address with its reason below it', () => {
    const report = deliveryReport([
      text(
        'A message that you sent could not be delivered to one or more of',
        'its recipients. This is a permanent error. The following address',
        'failed:',
        '',
        '"a@x.example":',
        'SMTP error from remote server after RCPT command:',
        '5.2.1 <a@x.example>... User Unknown',
        '"b@x.example":',
        'SMTP error from remote server after RCPT command:',
        '5.2.2 <b@x.example>... Mailbox Full',
      ),
    ]);
    expect(report.failedRecipients.map((r) => [r.address, r.status])).toEqual([
      ['a@x.example', '5.2.1'],
      ['b@x.example', '5.2.2'],
    ]);
  });

  it('"could not be delivered to: <x@y>" with the whole address, not up to its first dot', () => {
    const report = deliveryReport([text('Reason:  Unable to deliver message to <kim@mail.x.example> (and other recipients in the same domain).')]);
    expect(report.failedRecipients.map((r) => r.address)).toEqual(['kim@mail.x.example']);
  });

  it('a delay warning in words fails no one, even with an address and an SMTP error in it', () => {
    const report = deliveryReport([
      text(
        'This is the MAILER-DAEMON, please DO NOT REPLY to this email.',
        '',
        'A message is delayed for more than 4 hours for the following',
        'list of recipients:',
        '',
        'a@x.example: 421 4.7.0 Messages temporarily deferred',
        '',
        'Please note that this is only a temporary failure report.',
      ),
    ]);
    expect(report).toMatchObject({ failedRecipients: [], delayWarning: true });
  });

  it('never reads lines a person quoted when forwarding a bounce', () => {
    const report = deliveryReport([text('FYI, see below', '', '> <a@x.example>:', '> 550 5.1.1 User unknown')]);
    expect(report.failedRecipients).toEqual([]);
  });
});

describe('deliveryReport: Amazon SES notifications', () => {
  const event = {
    notificationType: 'Bounce',
    bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'a@x.example', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }] },
    mail: { commonHeaders: { messageId: '<ours@northwind.example>' } },
  };

  it('as SNS mails it to an "email" subscription, with the unsubscribe footer', () => {
    const report = deliveryReport([`${JSON.stringify(event)}\n\n--\nIf you wish to stop receiving notifications from this topic, …`]);
    expect(report.failedRecipients).toEqual([{ address: 'a@x.example', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 user unknown' }]);
    expect(report.originalMessageIds).toEqual(['ours@northwind.example']);
  });

  it('inside SNS\'s envelope ("email-json"), and with Sendmail\'s "!" line break in it', () => {
    const envelope = JSON.stringify({ Type: 'Notification', MessageId: 'x', Message: JSON.stringify(event) }, null, 2);
    expect(sesNotification(envelope)?.notificationType).toBe('Bounce');
    const raw = JSON.stringify(event);
    const broken = `${raw.slice(0, 60)}!\n ${raw.slice(60)}`;
    expect(deliveryReport([broken]).failedRecipients.map((r) => r.address)).toEqual(['a@x.example']);
  });
});

const root = sisimaiDir();

describe('deliveryReport on sisimai samples', () => {
  if (!sisimaiExists()) {
    it('the sisimai set is missing — samples not read', () => {
      console.warn(`${root} not found: the sisimai samples were not read`);
    });
    return;
  }
  const sample = async (name: string) => (await reportOf(readFileSync(join(root, 'maildir/bsd', `${name}.eml`)))).report;
  const failed = async (name: string) => (await sample(name)).failedRecipients.map((r) => [r.address, r.status]);

  it.each([
    // Postfix: Final-Recipient r@… before Original-Recipient kijitora@…: one recipient, as sent
    ['lhost-postfix-01', [['kijitora@example.org', '5.1.1']]],
    // Office 365 text: "addr<mailto:addr>", status from "Remote Server returned '550 5.1.10 …'"
    ['lhost-office365-01', [['kijitora@example.com', '5.1.10']]],
    // Gmail: the address indented under the heading, the status in a paragraph below
    ['lhost-gmail-01', [['userunknown@example.jp', '5.1.1']]],
    // SES bounce in SNS's envelope
    ['lhost-amazonses-10', [['bounce@simulator.amazonses.com', '5.1.1']]],
    // qmail without a blank line before "<addr>:"
    ['lhost-qmail-09', [['neko@example.co.jp', '5.7.606']]],
    // OpenSMTPD: the report says 5.0.0, its text names the server's 5.7.26
    ['lhost-opensmtpd-11', [['authfailure@libsisimai.net', '5.7.26']]],
    // GMX: two recipients, each with its own status
    ['lhost-gmx-03', [['mikeneko@example.co.jp', '5.2.1'], ['sabineko@example.co.jp', '5.2.2']]],
    // the returned message is itself an old bounce: its recipient did not fail now
    ['lhost-sendmail-38', [['kijitora@example.com', '5.7.1']]],
    // a relay forwarded the bounce as a message/rfc822 part
    ['lhost-x5-01', [['kijitora@neko.example.org', '5.1.1']]],
    // no Action and a 4.x.x status: the message expired, a failure (sisimai names the inner 4.4.2)
    ['lhost-amazonses-17', [['kijitora@example.com', '4.4.7']]],
  ])('%s', async (name, expected) => {
    expect(await failed(name)).toEqual(expected);
  });

  it('names the returned message', async () => {
    expect((await sample('lhost-gmail-01')).originalMessageIds).toEqual(['D992C2C3-F175-4C4D-97E2-53A90E4E5BF5@gmail.com']);
  });
});
