/**
 * The fixture corpus (fixtures/mail, in expected.json's order: a Monday morning of support mail)
 * through the real inbound handler on the local stack with Amazon DynamoDB Local, counting per
 * mail what AWS bills: DynamoDB round trips, requests and capacity units (DynamoDB Local counts
 * index writes, dynalite does not), S3 requests, SES sends and SNS publishes. The round-trip
 * counter is the integration test's (test/support/round-trips.ts).
 *
 * The paths the bench reports are mails of that corpus: a new ticket answered with an
 * acknowledgement and a staff notice, a requester's reply that notifies staff, a staff reply, a
 * tag-only out-of-office on a thread, and the first mail delivered again at the end.
 */
import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { itemSize } from '../../src/aws/dynamo-table.js';
import { deliverAsSes } from '../../src/local/ingest.js';
import { fixtureMail, fixtureSidecar, fixturesDir, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { countRoundTrips } from '../support/round-trips.js';
import { withLocalStack, type DynamoBackend } from '../support/stack-fixture.js';
import { countCapacity, type Capacity } from './capacity.js';

export interface MailCount {
  file: string;
  outcome: string;
  replies: string[];
  roundTrips: number;
  requests: number;
  operations: string[];
  capacity: Capacity;
  s3Puts: number;
  s3Gets: number;
  sesSends: number;
  sentBytes: number;
  snsPublishes: number;
  rawBytes: number;
}

export interface PathCounts {
  backend: DynamoBackend;
  mails: MailCount[];
  paths: Record<'newTicket' | 'reply' | 'staffReply' | 'machineOnThread' | 'redelivery', MailCount>;
  tickets: number;
  /** Bytes of every item in the table after the corpus (DynamoDB's item size, +100 bytes each, index copies counted). */
  tableBytes: number;
}

/** The corpus's mails that stand for each path (fixtures/mail/expected.json). */
const PATH_FILES = {
  newTicket: '01-outlook-new-vpn-down.eml',
  reply: '04-outlook-ios-reply-vpn.eml',
  staffReply: '03-outlook-reply-staff-vpn.eml',
  machineOnThread: '35-exchange-ooo-on-thread.eml',
} as const;
/** DynamoDB's per-item storage overhead (bytes), indexes included. */
const ITEM_OVERHEAD = 100;

/** The part of an SDK client's middleware stack used here (each client types its own). */
interface InitializeStack {
  add(middleware: (next: (args: { input: unknown }) => Promise<unknown>, context: { commandName?: string }) => (args: { input: unknown }) => Promise<unknown>, options: { step: 'initialize'; name: string }): void;
}

/** Keeps each request of a client (command name and input) until taken. */
function countCommands(client: { middlewareStack: object }) {
  const seen: { name: string; input: unknown }[] = [];
  (client.middlewareStack as InitializeStack).add(
    (next, context) => async (args) => {
      seen.push({ name: String(context.commandName).replace(/Command$/, ''), input: args.input });
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return { take: () => seen.splice(0) };
}

export async function measurePaths(log: (line: string) => void): Promise<PathCounts> {
  const expected: { file: string }[] = JSON.parse(readFileSync(new URL('mail/expected.json', fixturesDir), 'utf8'));
  let backend: DynamoBackend = 'dynamodb-local';
  let fx;
  try {
    fx = await withLocalStack({ dynamo: backend, config: northwindConfig });
  } catch (err) {
    // Without Java the figures come from dynalite, whose capacity leaves out index writes: said in the table.
    log(`  DynamoDB Local did not start (${(err as Error).message.split('\n')[0]}): counting on dynalite`);
    backend = 'dynalite';
    fx = await withLocalStack({ config: northwindConfig });
  }
  try {
    const { deps, config } = await pipelineOn(fx);
    const trips = countRoundTrips(fx.clients.dynamo);
    const capacity = countCapacity(fx.clients.dynamo);
    const s3 = countCommands(fx.clients.s3);
    const ses = countCommands(fx.clients.ses);
    const sns = countCommands(fx.clients.sns);
    const mails: MailCount[] = [];
    const deliver = async (file: string) => {
      trips.reset();
      capacity.reset();
      const raw = fixtureMail(file);
      const [r] = await deliverAsSes(raw, fixtureSidecar(file), deps);
      const t = trips.get();
      const s3Calls = s3.take();
      const sends = ses.take().filter((c) => c.name === 'SendRawEmail');
      mails.push({
        file,
        outcome: r?.outcome ?? 'none',
        replies: r?.replies.map((x) => x.kind) ?? [],
        roundTrips: t.roundTrips,
        requests: t.requests,
        operations: t.operations,
        capacity: capacity.get(),
        // lib-storage sends a small object as one PutObject, a large one as a multipart upload: each request billed as a PUT.
        s3Puts: s3Calls.filter((c) => /^(PutObject|CreateMultipartUpload|UploadPart|CompleteMultipartUpload)$/.test(c.name)).length,
        s3Gets: s3Calls.filter((c) => c.name === 'GetObject').length,
        sesSends: sends.length,
        sentBytes: sends.reduce((n, c) => n + ((c.input as { RawMessage?: { Data?: Uint8Array } }).RawMessage?.Data?.length ?? 0), 0),
        snsPublishes: sns.take().filter((c) => c.name === 'Publish').length,
        rawBytes: raw.length,
      });
      deps.clock.advance(60_000);
    };
    for (const e of expected) await deliver(e.file);
    await deliver(PATH_FILES.newTicket);
    const pick = (file: string) => mails.find((m) => m.file === file)!;
    const paths = {
      newTicket: pick(PATH_FILES.newTicket),
      reply: pick(PATH_FILES.reply),
      staffReply: pick(PATH_FILES.staffReply),
      machineOnThread: pick(PATH_FILES.machineOnThread),
      redelivery: mails.at(-1)!,
    };
    const tickets = (await deps.store.listTickets()).length;
    let tableBytes = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await fx.clients.doc.send(new ScanCommand({ TableName: config.aws.tableName, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) tableBytes += (itemSize(item) + ITEM_OVERHEAD) * (1 + (item.gsi1pk ? 1 : 0) + (item.gsi2pk ? 1 : 0));
      start = page.LastEvaluatedKey;
    } while (start);
    return { backend, mails: mails.slice(0, -1), paths, tickets, tableBytes };
  } finally {
    await fx.cleanup();
  }
}
