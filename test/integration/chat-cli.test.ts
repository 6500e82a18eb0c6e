/** `ticketing chat-test`: a test message to each configured channel, each answer in words. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeChat, type FakeChat } from '../support/fake-chat.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'src/bin/ticketing.mjs');

let dir: string;
let chat: FakeChat;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ticketing-chat-cli-'));
  chat = await startFakeChat();
});
afterAll(async () => {
  await chat?.close();
  await rm(dir, { recursive: true, force: true });
});

async function chatTest(chatConfig: object | undefined) {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify({ teamName: 'Northwind IT', ...(chatConfig ? { chat: chatConfig } : {}) }));
  try {
    const out = await run(process.execPath, [bin, 'chat-test', '--config', file, '--data', join(dir, 'data')], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    return { code: 0, stdout: out.stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe('ticketing chat-test', () => {
  it('posts a test message to Slack and Teams and says each was posted', async () => {
    const since = chat.posts.length;
    const result = await chatTest({ slack: { botToken: chat.botToken, channel: 'C0123456789', apiUrl: chat.slackApiUrl }, teams: { webhookUrl: chat.teamsWebhookUrl } });
    expect(result).toEqual({ code: 0, stdout: 'Slack: posted: the test message was posted\nTeams: posted: the test message was posted\n' });
    const posts = chat.posts.slice(since);
    expect(posts.map((p) => p.kind)).toEqual(['slack-api', 'teams']);
    expect(posts[0]!.body.text).toContain('Test message: chat is connected');
    expect(chat.rejected).toEqual([]);
  });

  it('says what a refusal means and exits 1', async () => {
    const result = await chatTest({ slack: { botToken: 'xoxb-revoked-token', channel: 'C0123456789', apiUrl: chat.slackApiUrl } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("Slack: failed: Slack's chat.postMessage refused the message: invalid_auth (the bot token is wrong or was revoked: reinstall the app and update the secret)\n");
  });

  it('says how to set chat up when none is configured', async () => {
    const result = await chatTest(undefined);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('No chat channel is configured: set chat.slack or chat.teams in the config');
  });
});
