/** Amazon SES bounce notifications, as SNS mails them (JSON, raw or in SNS's envelope). No I/O. */
import { addressOf, diagnosticOf, STATUS_CODE, type FailedRecipient } from './failed-recipient.js';

export interface SesNotification {
  notificationType?: string;
  eventType?: string;
  bounce?: {
    bounceType?: string;
    bouncedRecipients?: { emailAddress?: string; action?: string; status?: string; diagnosticCode?: string }[];
  };
  mail?: { commonHeaders?: { messageId?: string }; headers?: { name?: string; value?: string }[] };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The SES event in a mail from SNS: as it is (an "email" subscription) or inside SNS's envelope
 * (`{"Type":"Notification","Message":"{…}"}`, an "email-json" one). Sendmail breaks lines
 * longer than 990 characters with "!", a newline and a space; that is undone first.
 */
export function sesNotification(text: string): SesNotification | null {
  const start = text.search(/\{\s*"/);
  if (start === -1 || !/"(notificationType|eventType|Type)"\s*:/.test(text)) return null;
  const json = text.slice(start, text.lastIndexOf('}') + 1).replace(/!\r?\n /g, '');
  // the JSON is the first line of the SNS mail, or all of it up to the unsubscribe footer
  for (const candidate of [json.split('\n')[0] as string, json]) {
    const value = parseObject(candidate);
    const event = value?.Type === 'Notification' && typeof value.Message === 'string' ? parseObject(value.Message) : value;
    if (event && (typeof event.notificationType === 'string' || typeof event.eventType === 'string')) return event as SesNotification;
  }
  return null;
}

export function fromSes(n: SesNotification): { recipients: FailedRecipient[]; ids: string[] } {
  const type = (n.notificationType ?? n.eventType ?? '').toLowerCase();
  const recipients: FailedRecipient[] = [];
  if (type === 'bounce') {
    const transient = n.bounce?.bounceType?.toLowerCase() === 'transient';
    for (const r of n.bounce?.bouncedRecipients ?? []) {
      const address = r.emailAddress ? addressOf(r.emailAddress) : null;
      if (!address) continue;
      const diagnostic = r.diagnosticCode ? diagnosticOf(r.diagnosticCode) : null;
      recipients.push({
        address,
        action: r.action?.toLowerCase() || (transient ? 'delayed' : 'failed'),
        status: (r.status && STATUS_CODE.exec(r.status)?.[1]) || (diagnostic ? (STATUS_CODE.exec(diagnostic)?.[1] ?? null) : null),
        diagnostic,
      });
    }
  }
  const ids = [n.mail?.commonHeaders?.messageId, ...(n.mail?.headers ?? []).filter((h) => h.name?.toLowerCase() === 'message-id').map((h) => h.value)]
    .filter((v): v is string => typeof v === 'string')
    .map((v) => (/<([^<>\s]+)>/.exec(v)?.[1] ?? v.trim()))
    .filter((v) => v.includes('@'));
  return { recipients, ids };
}
