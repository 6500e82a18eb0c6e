/**
 * The TicketEventPublisher port on an Amazon SNS topic. The Message is the event as JSON;
 * `type`, `priority` and `category` also go out as String message attributes, so a
 * subscription's filter policy can pick e.g. only urgent tickets for paging.
 */
import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import { EventPublishError, isIncidentEvent, type DigestEventMessage, type IncidentEventMessage, type PublishedEvent, type TicketEventMessage, type TicketEventPublisher } from '../pipeline/ticket-events.js';
import { sdkFailure } from './sdk-error.js';
import { redactAddresses } from './redact.js';

export { EventPublishError };

// The SNS API reference: "Subjects must be UTF-8 text with no line breaks or control
// characters, and less than 100 characters long"; email subscribers see it as the mail subject.
const MAX_SUBJECT_CHARS = 99;

export class SnsTicketEvents implements TicketEventPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(event: PublishedEvent): Promise<void> {
    try {
      await this.sns.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Message: JSON.stringify(event),
          Subject: snsSubject(event),
          MessageAttributes: messageAttributes(event),
        }),
      );
    } catch (err) {
      throw publishError(err, event, this.topicArn);
    }
  }
}

/**
 * `[TKT-42] ticket.created: VPN down` (`[INC-3] incident.opened: …`, `digest.sent: …`), as plain
 * printable ASCII (accents dropped, other characters `?`, whitespace runs one space) and cut to
 * fit SNS's subject limit.
 */
export function snsSubject(event: SubjectSource): string {
  const about = eventSubjectParts(event);
  const head = about.id ? `[${toPrintableAscii(about.id)}] ${event.type}` : event.type;
  const title = toPrintableAscii(about.title);
  const full = title ? `${head}: ${title}` : head;
  if (full.length <= MAX_SUBJECT_CHARS) return full;
  return `${full.slice(0, MAX_SUBJECT_CHARS - 3).trimEnd()}...`;
}

type SubjectSource = Pick<TicketEventMessage, 'ticketId' | 'type' | 'subject'> | IncidentEventMessage | DigestEventMessage;

function eventSubjectParts(event: SubjectSource): { id: string | null; title: string } {
  if (isIncidentEvent(event)) return { id: event.incidentId, title: event.title };
  if (event.type === 'digest.sent') return { id: null, title: event.subject };
  return { id: event.ticketId, title: event.subject };
}

function messageAttributes(event: PublishedEvent): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {
    type: { DataType: 'String', StringValue: event.type },
  };
  if (!('priority' in event)) return attributes;
  // SNS refuses an attribute with an empty value, so unset ones are left out.
  if (event.priority) attributes.priority = { DataType: 'String', StringValue: event.priority };
  if (event.category) attributes.category = { DataType: 'String', StringValue: event.category };
  return attributes;
}

const TYPOGRAPHY: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201c': '"', '\u201d': '"', '\u201e': '"',
  '\u2013': '-', '\u2014': '-', '\u2212': '-', '\u2026': '...', '\u00a0': ' ',
};

function toPrintableAscii(text: string): string {
  let out = '';
  for (const char of text.normalize('NFKD')) {
    if (/^[\x20-\x7e]$/.test(char)) out += char;
    else if (/^\p{M}$/u.test(char)) continue; // the accent of a decomposed letter
    else if (/^[\s\p{Cc}]$/u.test(char)) out += ' ';
    else out += TYPOGRAPHY[char] ?? '?';
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

function publishError(err: unknown, event: PublishedEvent, topicArn: string): EventPublishError {
  const f = sdkFailure(err);
  const about = eventSubjectParts(event).id;
  const what = `${event.type} event${about ? ` for ${about}` : ''} to topic ${topicArn}`;
  const detail = redactAddresses(f.message);
  const message = f.answered
    ? `SNS rejected the ${what}: ${f.code}: ${detail}`
    : f.uncertain
      ? `SNS's answer about the ${what} was lost (it may have been published): ${f.code}: ${detail}`
      : `could not reach SNS to publish the ${what}: ${f.code}: ${detail}`;
  return new EventPublishError(message, f.code, f.retryable, { cause: err, uncertain: f.uncertain });
}
