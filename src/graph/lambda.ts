/**
 * Lambda entry for an EventBridge schedule: one Microsoft Graph poll of config.graph.folder
 * (src/aws/poller-lambda.ts). The app's credentials come from Secrets Manager
 * (graph.app.credentialsSecretArn). The CDK app adds it, with a one-minute schedule, when the
 * config has a graph block.
 */
import { pollerHandler, pollerSetup } from '../aws/poller-lambda.js';
import { GraphThrottledError } from './client.js';
import { pollGraphMailbox, type GraphPollDeps } from './poller.js';
import { graphTokens } from './tokens.js';

const setup = await pollerSetup('graph');
// Made once: the token is cached across warm invocations.
const deps: GraphPollDeps = { ...setup.ports, tokens: graphTokens(setup.config.graph) };

export const handler = pollerHandler(setup, {
  // Throttling ends the poll well inside the function's timeout, with time left to save and release.
  poll: (context) => pollGraphMailbox(deps, setup.config, { maxThrottleWaitMs: Math.max(0, Math.min(60_000, context.getRemainingTimeInMillis() / 3)) }),
  ref: (r) => ({ id: r.id }),
  putOff: { is: (err) => err instanceof GraphThrottledError, metric: 'GraphPollsThrottled' },
});
