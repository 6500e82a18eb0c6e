/**
 * The HTTP Lambda, behind an API Gateway HTTP API (payload format 2.0): the form, the status
 * pages and the REST API, the same Hono app `ticketing serve` runs. Config, link keys and
 * clients are made once per container.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context as LambdaContext } from 'aws-lambda';
import type { Context as HonoContext } from 'hono';
import { handle, type LambdaContext as HonoLambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { loadConfigFromEnv } from '../../config.js';
import { createHttpApp } from '../../http/app.js';
import { createClients } from '../clients.js';
import { METRIC_SERVICES } from '../lambda-metrics.js';
import { withLinkKeys } from '../link-keys.js';
import { portsFor, systemClock } from '../ports-from-config.js';
import { redactAddresses } from '../redact.js';

const logger = new Logger({ serviceName: METRIC_SERVICES.http });
// Bad configuration (or an unreadable link-key secret) fails the cold start, loudly.
const config = await withLinkKeys(loadConfigFromEnv());
const ports = portsFor(config, createClients({ region: config.aws.region }), { clock: systemClock });
const app = createHttpApp({
  config,
  ports,
  apiKeys: ports.apiKeys,
  clientAddress: sourceIpOf,
  plainHttp: false,
  log: (line) => logger.info(redactAddresses(line)),
});
const handleRequest = handle(app);

/** The caller's address as API Gateway saw the connection; never X-Forwarded-For, which the caller writes. */
function sourceIpOf(c: HonoContext): string {
  const request = (c.env as { requestContext?: { http?: { sourceIp?: string } } } | undefined)?.requestContext;
  return request?.http?.sourceIp ?? 'unknown';
}

export async function handler(event: LambdaEvent, context: LambdaContext) {
  logger.addContext(context);
  return handleRequest(event, context as unknown as HonoLambdaContext);
}
