/**
 * The whole way round, with the real `ticketing serve`: a P1 mail over SMTP becomes a ticket, its
 * event reaches the chat adapter subscribed to the local topic, which posts it to Slack and Teams
 * (a local stand-in that checks every payload against Block Kit's and Adaptive Cards' schemas);
 * a staff member presses "Assign to me" on that very message (a request signed as Slack signs
 * it), and the ticket is assigned, its history says so "via Slack", the press is answered, and
 * the change is threaded under the first Slack message.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_ACTIONS } from '../../src/chat/slack-actions.js';
import { startFakeChat, type FakeChat, type ReceivedPost } from '../support/fake-chat.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'src/bin/ticketing.mjs');
const env = { ...process.env, NODE_NO_WARNINGS: '1' };
// An Outlook mail: the London finance team has lost its share on month-end day (triaged P1).
const P1_MAIL = join(root, 'fixtures/triage/tuning/t02-owa-finance-share-permission-month-end.eml');
const SIGNING_SECRET = 'northwind-slack-signing-secret-0123456789';
const CHANNEL = 'C0ITTICKETS';
const ALEX = { id: 'U0ALEXKIM1', email: 'alex.kim@northwind.example' };

let dir: string;
let chat: FakeChat;
let serve: ChildProcess | null = null;
let output = '';

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`waited 30 s for ${what}; serve said:\n${output}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ticketing-chat-e2e-'));
  chat = await startFakeChat();
  chat.users.set(ALEX.id, { email: ALEX.email, realName: 'Alex Kim' });
  const config = {
    ...JSON.parse(readFileSync(join(root, 'fixtures/northwind.config.json'), 'utf8')),
    chat: {
      slack: { botToken: chat.botToken, channel: CHANNEL, signingSecret: SIGNING_SECRET, apiUrl: chat.slackApiUrl },
      teams: { webhookUrl: chat.teamsWebhookUrl, events: ['new-ticket', 'incident'] },
    },
  };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  serve = spawn(process.execPath, [bin, 'serve', '--smtp-port', '0', '--http-port', '0', '--data', join(dir, 'data'), '--config', join(dir, 'config.json')], { cwd: root, env });
  serve.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  serve.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await until('serve to start', () => (/Press Ctrl-C to stop/.test(output) ? true : serve!.exitCode !== null ? Promise.reject(new Error(output)) : undefined));
});

afterAll(async () => {
  if (serve && serve.exitCode === null && serve.signalCode === null) {
    const gone = new Promise((done) => serve!.once('exit', done));
    serve.kill('SIGINT');
    await gone;
  }
  await chat?.close();
  await rm(dir, { recursive: true, force: true });
});

function signedPress(web: string, payload: object): Promise<Response> {
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return fetch(`${web}/slack/actions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature }, body });
}

describe('a P1 by mail, seen and taken in Slack', () => {
  it('posts the P1 to Slack and Teams, and "Assign to me" assigns it with the same rules as mail', async () => {
    const smtpPort = Number(/SMTP host 127\.0\.0\.1, port (\d+)/.exec(output)![1]);
    const web = /Request form and status pages: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)![1]!;
    expect(output).toContain(`its buttons and /ticket come in at ${web}/slack/actions and /slack/commands`);

    const sent = await createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true }).sendMail({
      envelope: { from: 'amelia.shaw@northwind.example', to: ['support@northwind.example'] },
      raw: readFileSync(P1_MAIL),
    });
    expect(sent.response).toMatch(/^250 .*TKT-1 created/);

    const first = await until('the Slack message', () => chat.posts.find((p) => p.kind === 'slack-api' && p.method === 'chat.postMessage'));
    expect(first).toMatchObject({ channel: CHANNEL, threadTs: null });
    expect(first.body.text).toContain('TKT-1');
    expect(first.body.text).toContain('P1');
    const teams = await until('the Teams card', () => chat.posts.find((p) => p.kind === 'teams'));
    expect(JSON.stringify(teams.body)).toContain('TKT-1');

    // Press the button the message carries, as Slack sends the press.
    const actions = (first.body.blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[]).find((b) => b.type === 'actions')!;
    const assign = actions.elements!.find((e) => e.action_id === SLACK_ACTIONS.assignMe)!;
    const press = await signedPress(web, {
      type: 'block_actions',
      user: { id: ALEX.id, username: 'alex.kim', name: 'alex.kim', team_id: 'T0NORTHWND' },
      api_app_id: 'A0TICKETS1',
      container: { type: 'message', message_ts: first.ts, channel_id: CHANNEL, is_ephemeral: false },
      trigger_id: '1.1765011600.0123456789abcdef',
      team: { id: 'T0NORTHWND', domain: 'northwind' },
      channel: { id: CHANNEL, name: 'it-tickets' },
      message: { type: 'message', ts: first.ts, text: first.body.text, blocks: first.body.blocks },
      response_url: chat.responseUrl,
      actions: [{ type: 'button', action_id: assign.action_id, block_id: 'actions', value: assign.value, text: { type: 'plain_text', text: 'Assign to me' }, action_ts: `${Math.floor(Date.now() / 1000)}.000100` }],
    });
    expect(press.status).toBe(200);

    const answer = await until('the answer to the press', () => chat.posts.find((p) => p.kind === 'slack-response'));
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer.body.text).toContain('TKT-1');

    // The change comes back as a ticket event, threaded under the first message.
    const threaded = await until('the threaded update', () => chat.posts.find((p: ReceivedPost) => p.kind === 'slack-api' && p.threadTs === first.ts));
    expect(JSON.stringify(threaded.body)).toContain(ALEX.email);

    const shown = await run(process.execPath, [bin, 'show', 'TKT-1', '--json', '--data', join(dir, 'data')], { cwd: root, env });
    const shownTicket = JSON.parse(shown.stdout) as { priority: string; ticket: { assignee: string }; events: { actor: string; kind: string; why: string }[] };
    expect(shownTicket).toMatchObject({ priority: 'P1', ticket: { assignee: ALEX.email } });
    expect(shownTicket.events.at(-1)).toMatchObject({ actor: ALEX.email, kind: 'assignee', why: `#assign me from ${ALEX.email} via Slack` });

    // Teams asked only for new tickets and incidents: the assignment is not posted there.
    expect(chat.posts.filter((p) => p.kind === 'teams')).toHaveLength(1);
    expect(chat.rejected).toEqual([]);
  });
});
