/**
 * The keys that sign status links and form tokens, on AWS: kept in Secrets Manager
 * (web.linkKeysSecretArn; the secret's string holds them one per line, newest first) and read
 * once per Lambda container into the config the pipeline and the HTTP app use.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, type Config } from '../config.js';

export async function withLinkKeys(config: Config, client?: SecretsManagerClient): Promise<Config> {
  const arn = config.web.linkKeysSecretArn;
  if (!arn || config.web.linkKeys.length) return config;
  // Loaded only where a secret is named: a stack without the web surface pays nothing for it.
  const { readSecretString } = await import('./secret-string.js');
  let value: string;
  try {
    value = await readSecretString(arn, client);
  } catch (err) {
    throw new ConfigError(`web.linkKeysSecretArn: the link keys cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const keys = value.split(/\r?\n/).map((k) => k.trim()).filter(Boolean);
  if (!keys.length || keys.some((k) => k.length < 32)) throw new ConfigError(`web.linkKeysSecretArn: the secret ${arn} must hold one or more keys of at least 32 characters, one per line`);
  return { ...config, web: { ...config.web, linkKeys: keys } };
}
