/**
 * The pipeline's ports in memory: the ticket table (memory-store.ts), blobs per bucket, a mailer
 * that records what it sends and answers as SES does, a ticket-event publisher that records, and
 * a clock that moves only when told (pipeline.ts manualClock). What `portsFor` (src/aws/ports-from-config.ts) builds from
 * SDK clients, built from nothing: for the bench and for tests that need no server.
 */
import { Readable } from 'node:stream';
import { BlobNotFoundError } from '../../src/aws/s3-blobs.js';
import { readMessageId, sesMessageIdDomain } from '../../src/aws/ses-mailer.js';
import type { InboundDeps } from '../../src/aws/inbound-handler.js';
import type { Config } from '../../src/config.js';
import type { InboundPorts } from '../../src/pipeline/inbound.js';
import type { Mailer, SentMail } from '../../src/pipeline/mailer.js';
import type { BlobStore, Clock } from '../../src/pipeline/ports.js';
import type { PublishedEvent, TicketEventPublisher } from '../../src/pipeline/ticket-events.js';
import { MemoryTicketStore } from './memory-store.js';
import { manualClock } from './pipeline.js';

export { MemoryTicketStore } from './memory-store.js';

/** One bucket's objects, kept whole; a stream put is read to its end, as an upload would. */
export class MemoryBlobs implements BlobStore {
  readonly objects = new Map<string, { body: Buffer; contentType: string }>();

  constructor(readonly bucket: string) {}

  async put(key: string, body: Buffer | Readable, contentType = 'application/octet-stream'): Promise<void> {
    this.objects.set(key, { body: Buffer.isBuffer(body) ? Buffer.from(body) : await readAll(body), contentType });
  }

  async get(key: string): Promise<Readable> {
    const object = this.objects.get(key);
    if (!object) throw new BlobNotFoundError(`s3://${this.bucket}/${key} does not exist`);
    return Readable.from([object.body]);
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

export interface SentRecord {
  raw: Buffer;
  envelope: { from: string; to: string[] };
  providerMessageId: string;
}

/** Records each send and answers as SES does: its own id, which is also the Message-ID the recipient sees. */
export class RecordingMailer implements Mailer {
  readonly sent: SentRecord[] = [];

  constructor(private readonly region: string) {}

  async send(raw: Buffer, envelope: { from: string; to: string[] }): Promise<SentMail> {
    // SES ids are 60 characters of hex and dashes; a counter in that shape keeps runs repeatable.
    const providerMessageId = `0100${String(this.sent.length + 1).padStart(12, '0')}-mem0-0000-0000-000000000000-000000`;
    this.sent.push({ raw, envelope: { from: envelope.from, to: [...envelope.to] }, providerMessageId });
    const ours = readMessageId(raw);
    const ses = `${providerMessageId}@${sesMessageIdDomain(this.region)}`;
    return { providerMessageId, messageIdHeaders: ours && ours !== ses ? [ours, ses] : [ses] };
  }
}

export class RecordingEvents implements TicketEventPublisher {
  readonly published: PublishedEvent[] = [];

  async publish(event: PublishedEvent): Promise<void> {
    this.published.push(event);
  }
}

export interface MemoryPorts<C extends Clock> extends InboundDeps, InboundPorts {
  store: MemoryTicketStore;
  clock: C;
  mailer: RecordingMailer;
  events: RecordingEvents | null;
  /** The configured bucket's blobs (raw mail, attachments, kept texts). */
  blobs: MemoryBlobs;
  blobsFor(bucket: string): MemoryBlobs;
}

/**
 * Every port in memory, shaped as `portsFor` shapes them (events only when a topic is configured);
 * the clock stands still until the caller moves it.
 */
export function memoryPorts<C extends Clock = ReturnType<typeof manualClock>>(config: Config, options: { clock?: C } = {}): MemoryPorts<C> {
  const buckets = new Map<string, MemoryBlobs>();
  const blobsFor = (bucket: string) => buckets.get(bucket) ?? buckets.set(bucket, new MemoryBlobs(bucket)).get(bucket)!;
  return {
    config,
    store: new MemoryTicketStore(),
    blobs: blobsFor(config.aws.bucket),
    blobsFor,
    clock: options.clock ?? (manualClock('2026-11-23T08:00:00Z') as unknown as C),
    mailer: new RecordingMailer(config.aws.region),
    events: config.events.snsTopicArn ? new RecordingEvents() : null,
  };
}
