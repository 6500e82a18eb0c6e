/**
 * The local stack's key for status links and form tokens, when the config names none: made once
 * per data directory and kept there (readable by its owner only), so links in mail already sent
 * keep working across restarts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';

export const LINK_KEY_FILE = 'web-link-key';

export function withLocalLinkKey(config: Config, dataDir: string): Config {
  if (config.web.linkKeys.length) return config;
  const file = join(dataDir, LINK_KEY_FILE);
  try {
    if (!existsSync(file)) writeFileSync(file, `${randomBytes(36).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process made it between our look and our write: theirs is the key.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = readFileSync(file, 'utf8').trim();
  return { ...config, web: { ...config.web, linkKeys: [key] } };
}
