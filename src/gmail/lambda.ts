/**
 * Lambda entry for an EventBridge schedule: one Gmail API poll of config.gmail.label
 * (src/aws/poller-lambda.ts). The token source lives at module scope, so a warm Lambda reuses
 * its access token until shortly before it expires.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { systemClock } from '../aws/ports-from-config.js';
import { pollerHandler, pollerSetup } from '../aws/poller-lambda.js';
import { gmailTokenSource, pollGmailMailbox, type GmailPollDeps } from './poller.js';

const setup = await pollerSetup('gmail');
const { gmail } = setup.config;
const secrets = gmail.serviceAccountSecretArn ? new SecretsManagerClient({ region: gmail.serviceAccountSecretArn.split(':')[3] }) : undefined;
const deps: GmailPollDeps = { ...setup.ports, ...(secrets ? { secrets } : {}), tokens: gmailTokenSource(gmail, { clock: systemClock, ...(secrets ? { secrets } : {}) }) };

export const handler = pollerHandler(setup, {
  poll: () => pollGmailMailbox(deps, setup.config, { onSync: (s) => setup.logger.info('gmail sync', { ...s }) }),
  ref: (r) => ({ id: r.id }),
});
