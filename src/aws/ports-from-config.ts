/**
 * The composition root: the pipeline's ports built from the configuration and the SDK clients,
 * in one place. Every entry point (the Lambdas, the IMAP poller, the CLI, `ticketing serve`, the
 * tests) only chooses its clients and its clock, and calls portsFor.
 */
import type { Config } from '../config.js';
import type { ApiKeyStore } from '../http/api-keys.js';
import type { ConsoleSessionStore } from '../http/console/sessions.js';
import type { Clock, ErasureStore } from '../pipeline/ports.js';
import type { AwsClients } from './clients.js';
import { DynamoApiKeys } from './dynamo-api-keys.js';
import { DynamoConsoleSessions } from './dynamo-console.js';
import { DynamoErasureStore } from './dynamo-erasure.js';
import { Table } from './dynamo-table.js';
import { dynamoTicketStore } from './dynamo-store.js';
import type { InboundDeps } from './inbound-handler.js';
import type { UndeliveredMailTally } from './lambda-metrics.js';
import { S3Blobs } from './s3-blobs.js';
import { SesMailer } from './ses-mailer.js';
import { graphMailerFor } from '../graph/mailer.js';
import { SnsTicketEvents } from './sns-events.js';

export const systemClock: Clock = { now: () => new Date() };

export interface PortOptions<C extends Clock> {
  clock: C;
  /** A Lambda's count of mail that did not go out (its MailNotSent metric): it watches the store's settles. */
  undelivered?: UndeliveredMailTally;
}

export interface Ports<C extends Clock = Clock> extends InboundDeps {
  clock: C;
  /** The configured bucket: raw mail, kept texts and attachments (and their erasure). */
  blobs: S3Blobs;
  /** Erasure of one person's data (`ticketing forget`). */
  erasure: ErasureStore;
  /** The REST API's keys (`ticketing api-key`). */
  apiKeys: ApiKeyStore;
  /** The staff console's sign-in links and sessions. */
  consoleSessions: ConsoleSessionStore;
}

export function portsFor<C extends Clock>(config: Config, clients: Pick<AwsClients, 'doc' | 's3' | 'ses' | 'sns'>, options: PortOptions<C>): Ports<C> {
  const store = dynamoTicketStore(clients.doc, config.aws.tableName);
  return {
    config,
    store: options.undelivered ? options.undelivered.observe(store) : store,
    blobs: new S3Blobs(clients.s3, config.aws.bucket),
    blobsFor: (bucket) => new S3Blobs(clients.s3, bucket),
    clock: options.clock,
    // graph.sendMail: our mail goes out through the Microsoft 365 mailbox (src/graph/mailer.ts).
    mailer: config.graph?.sendMail ? graphMailerFor(config.graph) : new SesMailer(clients.ses, config.aws.region),
    events: config.events.snsTopicArn ? new SnsTicketEvents(clients.sns, config.events.snsTopicArn) : null,
    erasure: new DynamoErasureStore(clients.doc, config.aws.tableName),
    apiKeys: new DynamoApiKeys(new Table(clients.doc, config.aws.tableName)),
    consoleSessions: new DynamoConsoleSessions(new Table(clients.doc, config.aws.tableName)),
  };
}
