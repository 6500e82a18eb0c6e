/**
 * Lambda entry for an EventBridge schedule: one IMAP poll of config.imap.folder.
 * Configuration comes from TICKETING_CONFIG, like the other Lambdas'. The CDK app adds it, with a
 * one-minute schedule, when the config has an imap block.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { DynamoTicketStore } from '../aws/dynamo-store.js';
import { S3Blobs } from '../aws/s3-blobs.js';
import { SesMailer } from '../aws/ses-mailer.js';
import { SnsTicketEvents } from '../aws/sns-events.js';
import { loadConfigFromEnv } from '../config.js';
import { createClients } from '../aws/clients.js';
import { MailboxLockedError } from './checkpoint.js';
import { pollMailbox, type PollDeps } from './poller.js';

const logger = new Logger({ serviceName: 'ticketing-imap' });
// Bad configuration fails the cold start, loudly.
const config = loadConfigFromEnv();
if (!config.imap) throw new Error('TICKETING_CONFIG has no imap block: the IMAP poller has nothing to poll');
const { doc, s3, ses, sns } = createClients({ region: config.aws.region });
const deps: PollDeps = {
  store: new DynamoTicketStore(doc, config.aws.tableName),
  blobs: new S3Blobs(s3, config.aws.bucket),
  clock: { now: () => new Date() },
  mailer: new SesMailer(ses, config.aws.region),
  events: config.events.snsTopicArn ? new SnsTicketEvents(sns, config.events.snsTopicArn) : null,
  doc,
  tableName: config.aws.tableName,
  ...(config.imap.passwordSecretArn ? { secrets: new SecretsManagerClient({ region: config.imap.passwordSecretArn.split(':')[3] }) } : {}),
};

export async function handler(_event: unknown, context: Context) {
  logger.addContext(context);
  try {
    const results = await pollMailbox(deps, config);
    // UIDs, outcomes and ticket ids only: no subjects, no addresses.
    for (const r of results) logger.info('imap message', { uid: r.uid, outcome: r.outcome, ticket: 'ticket' in r ? r.ticket : null });
    return { polled: results.length, failed: results.filter((r) => r.outcome === 'error').length };
  } catch (err) {
    // The schedule fires again soon; a poll still running elsewhere is not a failure.
    if (err instanceof MailboxLockedError) {
      logger.info('imap poll skipped', { reason: err.message });
      return { polled: 0, failed: 0, skipped: err.message };
    }
    throw err;
  }
}
