/**
 * The HTTP Lambda's logic: the Hono app behind API Gateway's HTTP API (payload format 2.0),
 * with the caller's address taken from the request context API Gateway wrote.
 */
import type { Context } from 'hono';
import { handle } from 'hono/aws-lambda';
import type { Config } from '../config.js';
import { createHttpApp } from '../http/app.js';
import type { Ports } from './ports-from-config.js';

/** The caller's address as API Gateway saw the connection; never X-Forwarded-For, which the caller writes. */
export function sourceIpOf(c: Context): string {
  const request = (c.env as { requestContext?: { http?: { sourceIp?: string } } } | undefined)?.requestContext;
  return request?.http?.sourceIp ?? 'unknown';
}

export function httpHandler(config: Config, ports: Ports, log: (line: string) => void) {
  return handle(createHttpApp({ config, ports, apiKeys: ports.apiKeys, sessions: ports.consoleSessions, downloads: ports.blobs, clientAddress: sourceIpOf, plainHttp: false, log }));
}
