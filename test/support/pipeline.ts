import { readFileSync, existsSync } from 'node:fs';
import { portsFor } from '../../src/aws/ports-from-config.js';
import { loadConfigFile, type Config } from '../../src/config.js';
import { ensureTable } from '../../src/local/stack.js';
import { readByRequester, type OutboundKind } from '../../src/pipeline/outbound-kinds.js';
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
  const deps = portsFor(cfg, fx.clients, { clock });
  return { deps, store: deps.store, clock, config: cfg };
}

/** The mails a result sent to the requester's side (not the notices to staff). */
export function toRequester(r: { replies: { kind: OutboundKind }[] }): OutboundKind[] {
  return r.replies.map((x) => x.kind).filter(readByRequester);
}
