import * as z from 'zod';
import type { Receipt, Verdicts, VerdictStatus } from '../domain/receipt.js';

/** The event shapes the inbound handler accepts, validated at the edge. */

/** One SES receipt verdict, `{"status": "PASS"}`. */
export const verdictSchema = z.object({ status: z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']) });
const verdict = verdictSchema.optional();

export const sesRecordSchema = z.object({
  eventSource: z.literal('aws:ses'),
  ses: z.object({
    mail: z.object({ messageId: z.string().min(1), timestamp: z.string().optional() }).passthrough(),
    receipt: z
      .object({
        recipients: z.array(z.string()).default([]),
        timestamp: z.string().optional(),
        spamVerdict: verdict,
        virusVerdict: verdict,
        spfVerdict: verdict,
        dkimVerdict: verdict,
        dmarcVerdict: verdict,
      })
      .passthrough(),
  }),
});

export const s3RecordSchema = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string(),
  eventTime: z.string().optional(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({ key: z.string().min(1), size: z.number().optional() }),
  }),
});

export const sqsRecordSchema = z.object({
  eventSource: z.literal('aws:sqs'),
  messageId: z.string(),
  body: z.string(),
});

export const s3EventSchema = z.object({ Records: z.array(s3RecordSchema).min(1) });

export type SesRecord = z.infer<typeof sesRecordSchema>;
export type S3Record = z.infer<typeof s3RecordSchema>;
export type SqsRecord = z.infer<typeof sqsRecordSchema>;

export type InboundEvent =
  | { kind: 'ses'; records: SesRecord[] }
  | { kind: 's3'; records: S3Record[] }
  | { kind: 'sqs'; records: SqsRecord[] };

export class UnknownEventError extends Error {
  override name = 'UnknownEventError';
}

const EXPECTED =
  "expected an SES receipt event (Records[].eventSource 'aws:ses'), an S3 ObjectCreated event (Records[].eventSource 'aws:s3', or EventBridge source 'aws.s3' \"Object Created\") or an SQS event wrapping S3 events (Records[].eventSource 'aws:sqs')";

function describe(event: unknown): string {
  if (event === null || typeof event !== 'object') return `got ${event === null ? 'null' : typeof event}`;
  const obj = event as Record<string, unknown>;
  if (!Array.isArray(obj.Records)) {
    const hint = typeof obj['detail-type'] === 'string' ? ` (an EventBridge "${obj['detail-type']}" event)` : '';
    return `got an object with keys ${Object.keys(obj).slice(0, 8).join(', ') || '(none)'}${hint}`;
  }
  const sources = [...new Set(obj.Records.map((r) => String((r as Record<string, unknown>)?.eventSource ?? (r as Record<string, unknown>)?.EventSource ?? 'unknown')))];
  return `got Records with eventSource ${sources.join(', ')}`;
}

/** S3 "Object Created" delivered through EventBridge: the same object, another envelope. */
const s3ViaEventBridgeSchema = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
  time: z.string().optional(),
  detail: z.object({ bucket: z.object({ name: z.string().min(1) }), object: z.object({ key: z.string().min(1), size: z.number().optional() }) }),
});

export function classifyEvent(event: unknown): InboundEvent {
  const viaEventBridge = s3ViaEventBridgeSchema.safeParse(event);
  if (viaEventBridge.success) {
    const { detail, time } = viaEventBridge.data;
    // EventBridge keys are not URL-encoded; encode so s3ObjectKey's decoding gives them back unchanged.
    const key = encodeURIComponent(detail.object.key).replace(/%2F/g, '/');
    return { kind: 's3', records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', eventTime: time, s3: { bucket: detail.bucket, object: { ...detail.object, key } } }] };
  }
  const records = (event as { Records?: unknown[] } | null)?.Records;
  const source = Array.isArray(records) && records.length ? (records[0] as Record<string, unknown>)?.eventSource : undefined;
  const schemas = { 'aws:ses': sesRecordSchema, 'aws:s3': s3RecordSchema, 'aws:sqs': sqsRecordSchema } as const;
  if (typeof source !== 'string' || !(source in schemas)) throw new UnknownEventError(`${EXPECTED}; ${describe(event)}`);
  const schema = schemas[source as keyof typeof schemas];
  const parsed = z.array(schema).safeParse(records);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UnknownEventError(`malformed ${source} event at Records.${issue.path.join('.')}: ${issue.message}`);
  }
  const kind = source === 'aws:ses' ? 'ses' : source === 'aws:s3' ? 's3' : 'sqs';
  return { kind, records: parsed.data } as InboundEvent;
}

function status(v: { status: VerdictStatus } | undefined): VerdictStatus {
  // A verdict SES did not report (scanning off) is no evidence either way.
  return v?.status ?? 'GRAY';
}

export function sesReceipt(record: SesRecord, inboundPrefix: string): Receipt {
  const r = record.ses.receipt;
  const verdicts: Verdicts = {
    spam: status(r.spamVerdict),
    virus: status(r.virusVerdict),
    spf: status(r.spfVerdict),
    dkim: status(r.dkimVerdict),
    dmarc: status(r.dmarcVerdict),
  };
  return {
    source: 'ses',
    rawKey: `${inboundPrefix}${record.ses.mail.messageId}`,
    receivedAt: r.timestamp ?? record.ses.mail.timestamp ?? new Date().toISOString(),
    recipients: r.recipients.map((a) => a.toLowerCase()),
    verdicts,
  };
}

/** S3 event keys are URL-encoded with '+' for spaces. */
export function s3ObjectKey(record: S3Record): string {
  return decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
}
