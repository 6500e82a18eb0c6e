/**
 * The HTTP Lambda, behind an API Gateway HTTP API: the form, the status pages and the REST API,
 * the same Hono app `ticketing serve` runs (src/aws/http-handler.ts). Config, link keys and
 * clients are made once per container.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { loadConfigFromEnv } from '../../config.js';
import { createClients } from '../clients.js';
import { httpHandler } from '../http-handler.js';
import { METRIC_SERVICES } from '../lambda-metrics.js';
import { withLinkKeys } from '../link-keys.js';
import { portsFor, systemClock } from '../ports-from-config.js';
import { redactAddresses } from '../redact.js';

const logger = new Logger({ serviceName: METRIC_SERVICES.http });
// Bad configuration (or an unreadable link-key secret) fails the cold start, loudly.
const config = await withLinkKeys(loadConfigFromEnv());
const handleRequest = httpHandler(config, portsFor(config, createClients({ region: config.aws.region }), { clock: systemClock }), (line) => logger.info(redactAddresses(line)));

export async function handler(event: LambdaEvent, context: Context) {
  logger.addContext(context);
  return handleRequest(event, context as unknown as LambdaContext);
}
