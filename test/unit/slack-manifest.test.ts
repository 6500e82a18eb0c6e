/** The Slack app manifest the README hands out points at the routes the HTTP app serves and asks for the scopes the code uses. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createHttpApp } from '../../src/http/app.js';

const manifest = JSON.parse(readFileSync(new URL('../../docs/slack-app-manifest.json', import.meta.url), 'utf8')) as {
  features: { slash_commands: { command: string; url: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string } };
};

describe('the Slack app manifest in docs/', () => {
  it('asks for exactly the scopes posting, /ticket and the staff lookup need', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['chat:write', 'commands', 'users:read', 'users:read.email']);
  });

  it("sends presses and /ticket to routes the HTTP app has, which refuse an unsigned request", async () => {
    const app = createHttpApp({
      config: parseConfig({ web: { linkKeys: ['a link key of at least thirty-two characters'] }, chat: { slack: { botToken: 'xoxb-1-2-abc', channel: 'C0123456789', signingSecret: 'a-signing-secret-of-some-length' } } }),
      ports: {} as never,
      apiKeys: {} as never,
      sessions: {} as never,
      downloads: {} as never,
      clientAddress: () => '127.0.0.1',
      plainHttp: true,
      log: () => undefined,
    });
    const command = manifest.features.slash_commands.find((c) => c.command === '/ticket')!;
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    for (const url of [manifest.settings.interactivity.request_url, command.url]) {
      const res = await app.request(new URL(url).pathname, { method: 'POST', body: 'payload=%7B%7D', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(res.status, url).toBe(401);
    }
  });
});
