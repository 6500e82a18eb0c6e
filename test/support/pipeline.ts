import { readFileSync, existsSync } from 'node:fs';
import { DynamoTicketStore } from '../../src/aws/dynamo-store.js';
import type { InboundDeps } from '../../src/aws/inbound-handler.js';
import { S3Blobs } from '../../src/aws/s3-blobs.js';
import { SesMailer } from '../../src/aws/ses-mailer.js';
import { SnsTicketEvents } from '../../src/aws/sns-events.js';
import { loadConfigFile, type Config } from '../../src/config.js';
import { ensureTable } from '../../src/local/stack.js';
import { receiptSidecarSchema, type ReceiptSidecar } from '../../src/local/ingest.js';
import type { StackFixture } from './stack-fixture.js';

export const fixturesDir = new URL('../../fixtures/', import.meta.url);
export const northwindConfig: Config = loadConfigFile(new URL('northwind.config.json', fixturesDir).pathname);

export function fixtureMail(name: string): Buffer {
  return readFileSync(new URL(`mail/${name}`, fixturesDir));
}

export function fixtureSidecar(name: string): ReceiptSidecar {
  const path = new URL(`mail/${name.replace(/\.eml$/, '')}.receipt.json`, fixturesDir);
  return existsSync(path) ? receiptSidecarSchema.parse(JSON.parse(readFileSync(path, 'utf8'))) : {};
}

/** A clock the test moves by hand. */
export function manualClock(start: string) {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

let tableSeq = 0;

/** Handler dependencies on a table of its own (so ticket numbers start at 1), on the fixture's backend. */
export async function pipelineOn(fx: StackFixture, clock = manualClock('2026-11-23T08:00:00Z'), config = northwindConfig) {
  const tableName = `tickets-${process.pid}-${++tableSeq}`;
  await ensureTable(fx.clients.dynamo, tableName);
  const cfg: Config = { ...config, aws: { ...config.aws, tableName } };
  const store = new DynamoTicketStore(fx.clients.doc, tableName);
  const deps: InboundDeps = {
    config: cfg,
    store,
    blobsFor: (bucket) => new S3Blobs(fx.clients.s3, bucket),
    clock,
    mailer: new SesMailer(fx.clients.ses, cfg.aws.region),
    events: cfg.events.snsTopicArn ? new SnsTicketEvents(fx.clients.sns, cfg.events.snsTopicArn) : null,
  };
  return { deps, store, clock, config: cfg };
}

/** The mails a result sent to the requester's side (not the notices to staff). */
export function toRequester(r: { replies: { kind: string }[] }): string[] {
  return r.replies.map((x) => x.kind).filter((k) => !['staff-notification', 'note-notification', 'command-result'].includes(k));
}
