/**
 * The Mailer port on Amazon SES v1 `SendRawEmail`.
 *
 * SES does not deliver the Message-ID we composed. The SES Developer Guide, "Amazon SES header
 * fields" (https://docs.aws.amazon.com/ses/latest/dg/header-fields.html), Considerations: "If you
 * provide a Message-ID header, Amazon SES overrides the header with its own value." (It says the
 * same of Date.) The page does not spell out that value; what recipients see, and reply to, is
 * `<MessageId@REGION.amazonses.com>`, where MessageId is what SendRawEmail returned and
 * us-east-1 keeps the historical host `email.amazonses.com` (observed in delivered headers, e.g.
 * odoo/odoo#280971 and Mnexa-AI/e2a#498 quote `<…@region.amazonses.com>`; our local endpoint,
 * src/local/ses-endpoint.ts, rewrites the same way). A reply therefore quotes SES's id, and a
 * client that drops References (iOS Mail does) quotes nothing else: `send` returns both ids so
 * the pipeline keeps both as thread keys.
 */
import { SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { MailSendError, type Mailer, type SentMail } from '../pipeline/mailer.js';
import { sdkFailure } from './sdk-error.js';

export { MailSendError };

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESClient,
    private readonly region: string,
  ) {}

  async send(raw: Buffer, envelope: { from: string; to: string[] }): Promise<SentMail> {
    const ourId = readMessageId(raw);
    let sesMessageId: string | undefined;
    try {
      const out = await this.ses.send(
        new SendRawEmailCommand({
          Source: envelope.from,
          Destinations: envelope.to,
          RawMessage: { Data: raw },
        }),
      );
      sesMessageId = out.MessageId;
    } catch (err) {
      throw sendError(err, envelope.to);
    }
    if (!sesMessageId) {
      throw new MailSendError(
        `SES accepted the mail to ${domainsOf(envelope.to)} but returned no MessageId`,
        'MissingMessageId',
        false,
        { cause: null },
      );
    }
    const sesHeaderId = `${sesMessageId}@${sesMessageIdDomain(this.region)}`;
    return {
      providerMessageId: sesMessageId,
      messageIdHeaders: ourId && ourId !== sesHeaderId ? [ourId, sesHeaderId] : [sesHeaderId],
    };
  }
}

/** The host part SES gives the Message-ID of mail it sends from `region`. */
export function sesMessageIdDomain(region: string): string {
  return region === 'us-east-1' ? 'email.amazonses.com' : `${region}.amazonses.com`;
}

/** Our Message-ID (without <>) from the raw mail's header section, or null when it has none. */
export function readMessageId(raw: Buffer): string | null {
  const text = raw.subarray(0, 64 * 1024).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end >= 0 ? text.slice(0, end) : text;
  for (const field of head.split(/\r?\n(?![ \t])/)) {
    const match = /^message-id[ \t]*:([\s\S]*)$/i.exec(field);
    if (!match) continue;
    const id = /<([^<>\s]+)>/.exec(match[1]!.replace(/\r?\n[ \t]+/g, ' '));
    return id ? id[1]! : null;
  }
  return null;
}

function sendError(err: unknown, to: string[]): MailSendError {
  const f = sdkFailure(err);
  // SES error messages can quote the recipient's address; keep only domains in ours.
  const detail = maskAddresses(f.message);
  const what = f.answered
    ? `SES rejected the mail to ${domainsOf(to)}`
    : f.uncertain
      ? `SES's answer about the mail to ${domainsOf(to)} was lost (it may have been sent)`
      : `could not reach SES to send the mail to ${domainsOf(to)}`;
  return new MailSendError(`${what}: ${f.code}: ${detail}`, f.code, f.retryable, { cause: err, uncertain: f.uncertain });
}

function domainsOf(addresses: string[]): string {
  if (addresses.length === 0) return '(no recipients)';
  const domains = [...new Set(addresses.map((a) => a.slice(a.lastIndexOf('@') + 1).replace(/>$/, '').toLowerCase()))];
  return domains.join(', ');
}

function maskAddresses(text: string): string {
  return text.replace(/[^\s<>,;:"'()[\]]+@([A-Za-z0-9.-]+)/g, '…@$1');
}
