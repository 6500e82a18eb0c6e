/** Bearer API keys on the REST API: the key checked against the stored hashes, then its hourly limit. */
import type { MiddlewareHandler } from 'hono';
import { hashApiKey, looksLikeApiKey } from './api-keys.js';
import type { ApiEnv } from './api-routes.js';
import type { WebDeps } from './deps.js';
import { problem } from './problem.js';
import { overLimit, secondsToNextHour } from './rate-limits.js';

/** Bearer API keys: the store keeps hashes only; a revoked key is refused like an unknown one. */
export function requireApiKey(deps: WebDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const challenge = { 'WWW-Authenticate': 'Bearer realm="tickets"' };
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return problem(c, 401, 'Send an API key: Authorization: Bearer <key>.', {}, challenge);
    const key = match[1]!;
    const record = looksLikeApiKey(key) ? await deps.apiKeys.apiKeyByHash(hashApiKey(key)) : null;
    if (!record || record.revokedAt) return problem(c, 401, 'That API key is unknown or has been revoked.', {}, challenge);
    const now = deps.ports.clock.now();
    if (await overLimit(deps.ports.store, [{ scope: `api-key#${record.name}`, max: deps.config.web.apiPerKeyPerHour }], now)) {
      return problem(c, 429, `API key ${record.name} has made ${deps.config.web.apiPerKeyPerHour} requests this hour.`, {}, { 'Retry-After': String(secondsToNextHour(now)) });
    }
    c.set('apiKeyName', record.name);
    return next();
  };
}

