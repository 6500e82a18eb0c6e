import type { Config } from '../config.js';
import { processInbound, type InboundResult } from '../pipeline/inbound.js';
import type { Mailer } from '../pipeline/mailer.js';
import type { TicketEventPublisher } from '../pipeline/ticket-events.js';
import type { BlobStore, Clock, TicketStore } from '../pipeline/ports.js';
import { classifyEvent, s3EventSchema, s3ObjectKey, sesReceipt, UnknownEventError, type S3Record } from './events.js';
import type { Receipt } from '../domain/receipt.js';

export interface InboundDeps {
  config: Config;
  store: TicketStore;
  /** Blobs of a bucket: the configured one for SES, the event's bucket for S3 events. */
  blobsFor(bucket: string): BlobStore;
  clock: Clock;
  mailer: Mailer;
  events: TicketEventPublisher | null;
}

export interface HandledEvent {
  kind: 'ses' | 's3' | 'sqs';
  results: InboundResult[];
  /** SQS partial batch response: the records to deliver again. */
  batchItemFailures: { itemIdentifier: string }[];
  failures: { id: string; error: string }[];
  /** Records that carry no mail (S3's test notification), with why: logged, never silent. */
  skipped: { id: string; reason: string }[];
}

function s3Receipt(record: S3Record, deps: InboundDeps): Receipt {
  if (!record.eventName.startsWith('ObjectCreated')) {
    throw new UnknownEventError(`S3 event ${record.eventName} for ${record.s3.object.key}: only ObjectCreated events carry new mail`);
  }
  return {
    source: 's3',
    rawKey: s3ObjectKey(record),
    receivedAt: record.eventTime ?? deps.clock.now().toISOString(),
    recipients: [],
    verdicts: null,
  };
}

async function processS3Records(records: S3Record[], deps: InboundDeps): Promise<InboundResult[]> {
  const out: InboundResult[] = [];
  for (const record of records) {
    out.push(await processInbound(s3Receipt(record, deps), { ...deps, blobs: deps.blobsFor(record.s3.bucket.name) }, deps.config));
  }
  return out;
}

/**
 * The inbound Lambda's logic: validate the event, run the pipeline per record.
 * SES and S3 invocations fail as a whole (Lambda retries, then the on-failure destination);
 * SQS records fail one by one through the partial batch response.
 */
export async function handleInboundEvent(event: unknown, deps: InboundDeps): Promise<HandledEvent> {
  const parsed = classifyEvent(event);
  const handled: HandledEvent = { kind: parsed.kind, results: [], batchItemFailures: [], failures: [], skipped: [] };
  if (parsed.kind === 'ses') {
    const blobs = deps.blobsFor(deps.config.aws.bucket);
    for (const record of parsed.records) {
      handled.results.push(await processInbound(sesReceipt(record, deps.config.aws.inboundPrefix), { ...deps, blobs }, deps.config));
    }
  } else if (parsed.kind === 's3') {
    handled.results.push(...(await processS3Records(parsed.records, deps)));
  } else {
    for (const record of parsed.records) {
      try {
        const body = JSON.parse(record.body) as { Event?: string };
        // S3 sends a test notification when the queue is wired up; it carries no mail.
        if (body.Event === 's3:TestEvent') {
          handled.skipped.push({ id: record.messageId, reason: 'S3 test notification (sent when the queue is wired up): no mail in it' });
          continue;
        }
        const s3 = s3EventSchema.safeParse(body);
        if (!s3.success) throw new UnknownEventError(`SQS message ${record.messageId} does not hold an S3 event: ${s3.error.issues[0]?.message}`);
        handled.results.push(...(await processS3Records(s3.data.Records, deps)));
      } catch (err) {
        handled.batchItemFailures.push({ itemIdentifier: record.messageId });
        handled.failures.push({ id: record.messageId, error: `${(err as Error).name}: ${(err as Error).message}` });
      }
    }
  }
  return handled;
}
