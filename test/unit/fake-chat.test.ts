/**
 * The local Slack and Teams stand-in (test/support/fake-chat.ts) answers as the services document:
 * tests of the chat adapter rely on it refusing what Slack and Teams would refuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeChat, type FakeChat } from '../support/fake-chat.js';
import { slackMessage } from '../../src/chat/slack-message.js';
import { teamsMessage } from '../../src/chat/teams-card.js';
import { chatViewFor, newP1Ticket } from '../support/chat-examples.js';

let chat: FakeChat;
beforeAll(async () => {
  chat = await startFakeChat();
});
afterAll(async () => {
  await chat.close();
});

const view = chatViewFor({ console: true, interactive: true });
const json = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) });

describe('fake chat', () => {
  it('an incoming webhook takes a valid message (200 ok) and refuses invalid blocks (400 invalid_blocks)', async () => {
    const ok = await json(chat.slackWebhookUrl, slackMessage(newP1Ticket, view, { inThread: false }));
    expect([ok.status, await ok.text()]).toEqual([200, 'ok']);
    const bad = await json(chat.slackWebhookUrl, { text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }] });
    expect([bad.status, await bad.text()]).toEqual([400, 'invalid_blocks']);
    expect(chat.rejected.splice(0)).toMatchObject([{ kind: 'slack-webhook', reason: expect.stringContaining('plain_text') }]);
    expect(chat.posts.at(-1)).toMatchObject({ kind: 'slack-webhook' });
  });

  it('chat.postMessage wants the bot token, answers a ts and records the thread', async () => {
    const message = { channel: 'C0123ABCDEF', ...slackMessage(newP1Ticket, view, { inThread: false }) };
    expect(await (await json(`${chat.slackApiUrl}/chat.postMessage`, message, { authorization: 'Bearer xoxb-wrong' })).json()).toEqual({ ok: false, error: 'invalid_auth' });
    const first = (await (await json(`${chat.slackApiUrl}/chat.postMessage`, message, { authorization: `Bearer ${chat.botToken}` })).json()) as { ok: boolean; ts: string; channel: string };
    expect(first).toMatchObject({ ok: true, channel: 'C0123ABCDEF', ts: expect.stringMatching(/^\d{10}\.\d{6}$/) });
    const reply = (await (await json(`${chat.slackApiUrl}/chat.postMessage`, { ...message, thread_ts: first.ts }, { authorization: `Bearer ${chat.botToken}` })).json()) as { ts: string };
    expect(reply.ts).not.toBe(first.ts);
    expect(chat.posts.slice(-2).map((p) => [p.kind, p.channel, p.threadTs])).toEqual([
      ['slack-api', 'C0123ABCDEF', null],
      ['slack-api', 'C0123ABCDEF', first.ts],
    ]);
    const invalid = (await (await json(`${chat.slackApiUrl}/chat.postMessage`, { channel: 'C0123ABCDEF', text: 'x', blocks: [{ type: 'sparkles' }] }, { authorization: `Bearer ${chat.botToken}` })).json()) as { ok: boolean; error: string };
    expect(invalid).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(chat.rejected.splice(0)).toHaveLength(1);
  });

  it('users.info by form or query; no email key when the profile has none', async () => {
    chat.users.set('U1', { email: 'lee@northwind.example', realName: 'Lee Park' });
    chat.users.set('U2', { email: null, realName: 'Sam' });
    const form = await fetch(`${chat.slackApiUrl}/users.info`, { method: 'POST', headers: { authorization: `Bearer ${chat.botToken}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'user=U1' });
    expect(await form.json()).toMatchObject({ ok: true, user: { id: 'U1', real_name: 'Lee Park', profile: { email: 'lee@northwind.example' } } });
    const query = (await (await fetch(`${chat.slackApiUrl}/users.info?user=U2`, { headers: { authorization: `Bearer ${chat.botToken}` } })).json()) as { user: { profile: object } };
    expect(query.user.profile).not.toHaveProperty('email');
    expect(await (await fetch(`${chat.slackApiUrl}/users.info?user=U9`, { headers: { authorization: `Bearer ${chat.botToken}` } })).json()).toEqual({ ok: false, error: 'user_not_found' });
  });

  it('Teams: 202 for a valid card, 400 for an invalid one; queued 429 and 503 come first', async () => {
    const before = chat.requests;
    chat.failNext('teams', [{ status: 429, retryAfter: 2 }, { status: 503 }]);
    const throttled = await json(chat.teamsWebhookUrl, teamsMessage(newP1Ticket, view));
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '2']);
    expect((await json(chat.teamsWebhookUrl, teamsMessage(newP1Ticket, view))).status).toBe(503);
    expect((await json(chat.teamsWebhookUrl, teamsMessage(newP1Ticket, view))).status).toBe(202);
    expect(chat.requests - before).toBe(3);
    const card = teamsMessage(newP1Ticket, view);
    card.attachments[0].content.body.push({ type: 'Table' });
    expect((await json(chat.teamsWebhookUrl, card)).status).toBe(400);
    expect(chat.rejected.splice(0)).toMatchObject([{ kind: 'teams', reason: expect.stringContaining('Table') }]);
  });

  it('a response_url takes a message and records it', async () => {
    const res = await json(chat.responseUrl, { text: 'TKT-42 is now assigned to Lee Park.', replace_original: false });
    expect([res.status, await res.text()]).toEqual([200, 'ok']);
    expect(chat.posts.at(-1)).toMatchObject({ kind: 'slack-response' });
  });
});
