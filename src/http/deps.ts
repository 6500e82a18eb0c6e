/** What the HTTP app needs: the pipeline's ports, the API keys, and how to tell who is calling. */
import type { Context } from 'hono';
import type { SecretReader } from '../chat/credentials.js';
import type { Config } from '../config.js';
import type { InboundPorts } from '../pipeline/inbound.js';
import type { DownloadLinks } from '../pipeline/ports.js';
import type { ApiKeyStore } from './api-keys.js';
import type { ConsoleSessionStore } from './console/sessions.js';

export interface WebDeps {
  /** The config, its link keys resolved (web.linkKeys, or the secret web.linkKeysSecretArn names). */
  config: Config;
  ports: Omit<InboundPorts, 'order'>;
  apiKeys: ApiKeyStore;
  /** The staff console's sign-in links and sessions. */
  sessions: ConsoleSessionStore;
  /** Attachments and raw mail for the console, as short-lived presigned links. */
  downloads: DownloadLinks;
  /** The caller's IP as our side saw it (API Gateway's sourceIp; the socket's peer): never a header the caller wrote. */
  clientAddress(c: Context): string;
  /** Whether the site is served over plain http on loopback (cookies without Secure). */
  plainHttp: boolean;
  /** One line per request the pipeline handled, and per refusal worth an operator's eye. */
  log(line: string): void;
  /**
   * Reads a Secrets Manager secret's string, for chat.slack.secretArn (the signing secret, the bot
   * token). Absent: src/aws/secret-string.ts, loaded only when a Slack request first needs it.
   */
  readSecret?: SecretReader;
}

export class WebConfigError extends Error {
  override name = 'WebConfigError';
}

/** The web surface signs links and form tokens: without a key it cannot start. */
export function checkWebConfig(config: Config): void {
  if (!config.web.linkKeys.length) {
    throw new WebConfigError('the web surface needs a link key: set web.linkKeys (at least 32 random characters each) or web.linkKeysSecretArn');
  }
}
