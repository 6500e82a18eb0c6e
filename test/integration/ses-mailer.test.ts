/**
 * SesMailer through the real SESClient against the local SES endpoint: the mail SES stores
 * carries SES's Message-ID instead of ours, `send` returns both, and a rejected send is a
 * MailSendError that names the recipient domain but not the address.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { SESClient } from '@aws-sdk/client-ses';
import { MailSendError, SesMailer, readMessageId, sesMessageIdDomain } from '../../src/aws/ses-mailer.js';
import { parseConfig } from '../../src/config.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { composeMail, type OutboundMail } from '../../src/mail/compose.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const SES_ID = /^0102[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-000000$/;

function outbound(overrides: Partial<OutboundMail> = {}): OutboundMail {
  return {
    from: { name: 'Northwind IT', address: 'support@northwind.example' },
    to: ['Dana Whitfield <dana@contoso.example>'],
    cc: [],
    replyTo: 'support+tkt-42@northwind.example',
    subject: 'Re: [TKT-42] VPN down',
    messageId: 'tkt-42.ack.7f3a@northwind.example',
    inReplyTo: 'CAF=abc@mail.gmail.com',
    references: ['CAF=abc@mail.gmail.com'],
    text: 'We have logged your request as TKT-42.',
    html: '<p>We have logged your request as <strong>TKT-42</strong>.</p>',
    date: new Date('2026-11-23T08:15:00Z'),
    ...overrides,
  };
}

describe('SesMailer on the local SES endpoint (eu-west-1)', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack();
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('sends; SES rewrites the Message-ID; send returns ours and SES’s', async () => {
    const raw = await composeMail(outbound());
    const mailer = new SesMailer(fx.clients.ses, fx.config.aws.region);
    // The envelope may name more than the headers do (a Bcc to the staff list).
    const envelope = { from: 'support@northwind.example', to: ['dana@contoso.example', 'it-team@northwind.example'] };
    const sent = await mailer.send(raw, envelope);

    expect(sent.providerMessageId).toMatch(SES_ID);
    const sesHeaderId = `${sent.providerMessageId}@eu-west-1.amazonses.com`;
    expect(sent.messageIdHeaders).toEqual(['tkt-42.ack.7f3a@northwind.example', sesHeaderId]);

    const entry = (await readOutbox(join(fx.dataDir, 'outbox'))).find((e) => e.sesMessageId === sent.providerMessageId);
    expect(entry).toMatchObject({
      messageIdHeader: `<${sesHeaderId}>`,
      source: 'support@northwind.example',
      destinations: envelope.to,
    });
    const stored = await readFile(entry!.rawPath);
    const parsed = await simpleParser(stored);
    expect(parsed.messageId).toBe(`<${sesHeaderId}>`);
    expect(stored.toString('latin1')).not.toContain('tkt-42.ack.7f3a@northwind.example');
    // Everything else arrives as composed.
    expect(parsed.inReplyTo).toBe('<CAF=abc@mail.gmail.com>');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.subject).toBe('Re: [TKT-42] VPN down');
    expect(parsed.text?.trim()).toBe('We have logged your request as TKT-42.');
    expect(parsed.html).toContain('<strong>TKT-42</strong>');
  });

  it('raises MailSendError when SES rejects the mail, naming the recipient domain only', async () => {
    const mailer = new SesMailer(fx.clients.ses, fx.config.aws.region);
    const error = await mailer
      .send(Buffer.alloc(0), { from: 'support@northwind.example', to: ['dana@contoso.example'] })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MailSendError);
    const e = error as MailSendError;
    expect(e.message).toMatch(/^SES rejected the mail to contoso\.example: InvalidParameterValue: /);
    expect(e.message).not.toContain('dana');
    expect(e.code).toBe('InvalidParameterValue');
    expect(e.retryable).toBe(false);
    expect((e.cause as Error).name).toBe('InvalidParameterValue');
  });

  it('raises MailSendError when there is no destination at all', async () => {
    const raw = Buffer.from('From: support@northwind.example\r\nSubject: nobody\r\nMessage-ID: <x@northwind.example>\r\n\r\nhi\r\n');
    const mailer = new SesMailer(fx.clients.ses, fx.config.aws.region);
    const error = await mailer.send(raw, { from: 'support@northwind.example', to: [] }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MailSendError);
    expect((error as MailSendError).message).toMatch(/^SES rejected the mail to \(no recipients\): InvalidParameterValue: Missing final destination/);
  });
});

describe('SesMailer in us-east-1', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ config: parseConfig({ aws: { region: 'us-east-1' } }) });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('returns SES’s id on email.amazonses.com, as the stored mail carries it', async () => {
    const sent = await new SesMailer(fx.clients.ses, 'us-east-1').send(await composeMail(outbound()), {
      from: 'support@northwind.example',
      to: ['dana@contoso.example'],
    });
    const sesHeaderId = `${sent.providerMessageId}@email.amazonses.com`;
    expect(sent.messageIdHeaders).toEqual(['tkt-42.ack.7f3a@northwind.example', sesHeaderId]);
    const [entry] = await readOutbox(join(fx.dataDir, 'outbox'));
    expect(entry?.messageIdHeader).toBe(`<${sesHeaderId}>`);
  });
});

describe('SesMailer failures without a working SES', () => {
  it('is a retryable MailSendError when SES cannot be reached', async () => {
    const ses = new SESClient({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      const error = await new SesMailer(ses, 'eu-west-1')
        .send(await composeMail(outbound()), { from: 'support@northwind.example', to: ['dana@contoso.example'] })
        .catch((err: unknown) => err);
      expect(error).toBeInstanceOf(MailSendError);
      expect((error as MailSendError).message).toMatch(/^could not reach SES to send the mail to contoso\.example: /);
      expect((error as MailSendError).retryable).toBe(true);
    } finally {
      ses.destroy();
    }
  });

  it('masks addresses that an SES error message quotes', async () => {
    const rejected = Object.assign(
      new Error('Email address is not verified. The following identities failed the check in region EU-WEST-1: dana@contoso.example, Lee <lee@fabrikam.example>'),
      { name: 'MessageRejected', $fault: 'client', $metadata: { httpStatusCode: 400 } },
    );
    const ses = { send: () => Promise.reject(rejected) } as unknown as SESClient;
    const error = (await new SesMailer(ses, 'eu-west-1')
      .send(Buffer.from('x'), { from: 'support@northwind.example', to: ['dana@contoso.example', 'lee@fabrikam.example'] })
      .catch((err: unknown) => err)) as MailSendError;
    expect(error).toBeInstanceOf(MailSendError);
    expect(error.message).toBe(
      'SES rejected the mail to contoso.example, fabrikam.example: MessageRejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: …@contoso.example, Lee <…@fabrikam.example>',
    );
    expect(error.cause).toBe(rejected);
    expect(error.code).toBe('MessageRejected');
  });
});

describe('helpers', () => {
  it('sesMessageIdDomain: email.amazonses.com in us-east-1, REGION.amazonses.com elsewhere', () => {
    expect(sesMessageIdDomain('us-east-1')).toBe('email.amazonses.com');
    expect(sesMessageIdDomain('eu-west-1')).toBe('eu-west-1.amazonses.com');
    expect(sesMessageIdDomain('ap-southeast-2')).toBe('ap-southeast-2.amazonses.com');
  });

  it('readMessageId reads a folded header and ignores the body', () => {
    expect(readMessageId(Buffer.from('Subject: x\r\nMessage-ID:\r\n <a.b@c.example>\r\n\r\nMessage-ID: <no@body>\r\n'))).toBe('a.b@c.example');
    expect(readMessageId(Buffer.from('Subject: x\n\nMessage-ID: <no@body>\n'))).toBeNull();
  });
});
