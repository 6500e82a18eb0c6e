/**
 * Lambda entry for an EventBridge schedule: one IMAP poll of config.imap.folder
 * (src/aws/poller-lambda.ts). The CDK app adds it, with a one-minute schedule, when the config has
 * an imap block.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { pollerHandler, pollerSetup } from '../aws/poller-lambda.js';
import { imapTokenSource, pollMailbox, type PollDeps } from './poller.js';

const setup = await pollerSetup('imap');
const { imap } = setup.config;
const secretArn = imap.passwordSecretArn ?? imap.oauth2?.credentialsSecretArn;
const secrets = secretArn ? new SecretsManagerClient({ region: secretArn.split(':')[3] }) : undefined;
// Made once per cold start: the app's secret is read once and its token cached across polls.
const imapTokens = imapTokenSource(imap, { clock: setup.ports.clock, ...(secrets ? { secrets } : {}) });
const deps: PollDeps = { ...setup.ports, ...(secrets ? { secrets } : {}), ...(imapTokens ? { imapTokens } : {}) };

export const handler = pollerHandler(setup, {
  poll: () => pollMailbox(deps, setup.config),
  ref: (r) => ({ uid: r.uid }),
});
