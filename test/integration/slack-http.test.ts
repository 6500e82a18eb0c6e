/**
 * Slack's buttons and the /ticket command against the HTTP app on 127.0.0.1 (the same app the
 * Lambda runs), on a local stack, with a stand-in for Slack (test/support/fake-chat.ts) that
 * answers users.info and takes the response_url posts. Requests are built as Slack builds them:
 * form-encoded, `payload=` JSON for block_actions, the slash command's fields, signed v0 with the
 * app's signing secret. Every answer's blocks are checked against Slack's own Block Kit types.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priorityWords } from '../../src/chat/event-words.js';
import { SLACK_ACTIONS } from '../../src/chat/slack-actions.js';
import { parseConfig, type Config } from '../../src/config.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { createHttpApp } from '../../src/http/app.js';
import { checkResponseUrl } from '../../src/http/slack/response-url.js';
import { deliverAsSes } from '../../src/local/ingest.js';
import { socketAddress, startHttpServer, type HttpServer } from '../../src/local/http-server.js';
import { validateSlackMessage } from '../support/chat-schemas.js';
import { startFakeChat, type FakeChat } from '../support/fake-chat.js';
import { manualClock, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const SIGNING_SECRET = 'slack-signing-secret-for-the-tests-0123';
const ALEX = 'alex.kim@northwind.example';
const PRIYA = 'priya.nair@northwind.example';
const DANA = 'dana.berg@it.northwind.example';
const USERS = { alex: 'U0ALEXKIM1', priya: 'U0PRIYANA1', dana: 'U0DANABER1', eve: 'U0EVEOUT01', hidden: 'U0NOEMAIL1', sam: 'W0SAMLEE01' } as const;

let fx: StackFixture;
let chat: FakeChat;
let http: HttpServer;
let web: string;
let config: Config;
let p: Awaited<ReturnType<typeof pipelineOn>>;
const clock = manualClock('2026-12-06T09:00:00Z');
const logged: string[] = [];

beforeAll(async () => {
  fx = await withLocalStack({ config: northwindConfig });
  chat = await startFakeChat();
  chat.users.set(USERS.alex, { email: ALEX, realName: 'Alex Kim' });
  chat.users.set(USERS.priya, { email: PRIYA, realName: 'Priya Nair' });
  chat.users.set(USERS.dana, { email: DANA, realName: 'Dana Berg' });
  chat.users.set(USERS.eve, { email: 'eve@contoso.example', realName: 'Eve Outsider' });
  chat.users.set(USERS.hidden, { email: null, realName: 'No Email' });
  chat.users.set(USERS.sam, { email: 'Sam.Lee@IT.northwind.example', realName: 'Sam Lee' });
  http = await startHttpServer(0);
  web = `http://127.0.0.1:${http.port}`;
  const cfg = parseConfig({
    ...northwindConfig,
    web: { baseUrl: web, linkKeys: ['a key of at least thirty-two characters for tests'] },
    chat: { slack: { botToken: chat.botToken, channel: 'C0TICKETS01', signingSecret: SIGNING_SECRET, apiUrl: chat.slackApiUrl } },
  });
  p = await pipelineOn(fx, clock, cfg);
  config = p.config;
  http.mount(createHttpApp({ config, ports: p.deps, apiKeys: p.deps.apiKeys, sessions: p.deps.consoleSessions, downloads: p.deps.blobs, clientAddress: socketAddress, plainHttp: true, log: (line) => logged.push(line) }));
});

afterAll(async () => {
  await http?.close();
  await chat?.close();
  await fx?.cleanup();
});

let mails = 0;
/** A new ticket from a requester of its own (so no duplicate rule joins it to another). */
async function newTicket(subject: string): Promise<Ticket> {
  const n = ++mails;
  const raw = Buffer.from(
    [
      `From: Requester ${n} <requester${n}@northwind.example>`,
      'To: support@northwind.example',
      `Subject: ${subject}`,
      `Message-ID: <slack-http-${n}@mail.northwind.example>`,
      `Date: ${clock.now().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `${subject}: it started this morning (report ${n}).`,
      '',
    ].join('\r\n'),
  );
  const [created] = await deliverAsSes(raw, {}, p.deps);
  expect(created).toMatchObject({ outcome: 'created' });
  return (await p.store.getTicketById(Number(created!.ticket!.slice('TKT-'.length))))!;
}

/** Slack signs with the real time (the pipeline's clock is the test's own). */
const seconds = () => Math.floor(Date.now() / 1000);

/** POSTs a form body signed as Slack signs it (v0), or as `sign` says. */
async function slackPost(path: '/slack/actions' | '/slack/commands', body: string, sign: { secret?: string; timestamp?: number; signature?: string | null } = {}): Promise<Response> {
  const timestamp = String(sign.timestamp ?? seconds());
  const signature = sign.signature === undefined ? `v0=${createHmac('sha256', sign.secret ?? SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}` : sign.signature;
  return fetch(`${web}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': timestamp,
      ...(signature === null ? {} : { 'x-slack-signature': signature }),
    },
    body,
  });
}

let presses = 0;
/** A block_actions payload as Slack sends it for a press on our message in the channel. */
function pressPayload(slackUser: string, action: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const ts = `${seconds()}.${String(++presses).padStart(6, '0')}`;
  return {
    type: 'block_actions',
    user: { id: slackUser, username: 'someone', name: 'someone', team_id: 'T0NORTHWND' },
    api_app_id: 'A0TICKETS1',
    token: 'legacyverificationtoken',
    container: { type: 'message', message_ts: '1765011600.000100', channel_id: 'C0TICKETS01', is_ephemeral: false },
    trigger_id: `${presses}.1765011600.abcdef0123456789`,
    team: { id: 'T0NORTHWND', domain: 'northwind' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: 'C0TICKETS01', name: 'it-tickets' },
    message: { type: 'message', subtype: 'bot_message', text: 'New ticket', ts: '1765011600.000100', bot_id: 'B0FAKEBOT' },
    state: { values: {} },
    response_url: chat.responseUrl,
    actions: [{ block_id: 'ticket_actions', action_ts: ts, ...action }],
    ...extra,
  };
}

const button = (actionId: string, ticketId: string, text: string) => ({ type: 'button', action_id: actionId, text: { type: 'plain_text', text, emoji: true }, value: ticketId });
const assignMe = (ticket: Ticket) => button(SLACK_ACTIONS.assignMe, ticket.id, 'Assign to me');
const resolve = (ticket: Ticket) => button(SLACK_ACTIONS.resolve, ticket.id, 'Resolve');
const priority = (ticket: Ticket, value: string) => ({
  type: 'static_select',
  action_id: SLACK_ACTIONS.priority,
  selected_option: { text: { type: 'plain_text', text: value, emoji: true }, value: `${ticket.id}:${value}` },
  placeholder: { type: 'plain_text', text: 'Set priority', emoji: true },
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** Presses as Slack does; returns the HTTP status and the ephemeral message posted to response_url. */
async function press(payload: Record<string, unknown>): Promise<{ status: number; told: { text: string; response_type: string; replace_original: boolean } | null }> {
  const before = chat.posts.length;
  const response = await slackPost('/slack/actions', form({ payload: JSON.stringify(payload) }));
  const told = chat.posts.slice(before).filter((post) => post.kind === 'slack-response');
  expect(told.length).toBeLessThanOrEqual(1);
  return { status: response.status, told: told[0]?.body ?? null };
}

/** /ticket as Slack sends it; returns the JSON answer (checked against Block Kit). */
async function slash(slackUser: string, text: string): Promise<{ response_type: string; text: string; blocks?: any[] }> {
  const since = chat.posts.length;
  const response = await slackPost(
    '/slack/commands',
    form({
      token: 'legacyverificationtoken',
      team_id: 'T0NORTHWND',
      team_domain: 'northwind',
      channel_id: 'C0TICKETS01',
      channel_name: 'it-tickets',
      user_id: slackUser,
      user_name: 'someone',
      command: '/ticket',
      text,
      api_app_id: 'A0TICKETS1',
      is_enterprise_install: 'false',
      response_url: chat.responseUrl,
      trigger_id: `${++presses}.1765011600.fedcba9876543210`,
    }),
  );
  expect(response.status).toBe(200);
  // An answer later than Slack waits for (a very busy machine) goes to response_url instead.
  const late = !/^application\/json/.test(response.headers.get('content-type') ?? '');
  const answer = (late ? chat.posts.slice(since).find((p) => p.kind === 'slack-response')!.body : await response.json()) as { response_type: string; text: string; blocks?: any[] };
  expect(validateSlackMessage(answer)).toEqual([]);
  expect(answer.response_type).toBe('ephemeral');
  return answer;
}

/** What a ticket is now, and its history. */
async function now(ticket: Ticket) {
  const after = (await p.store.getTicketById(ticket.number))!;
  return { ticket: after, events: await p.store.listEvents(ticket.key), messages: await p.store.listMessages(ticket.key) };
}

describe('buttons on a ticket message', () => {
  it('Assign to me: assigns the staff member Slack says pressed it, says so in the history and only to them', async () => {
    const ticket = await newTicket('Printer on floor 3 jams');
    const { status, told } = await press(pressPayload(USERS.alex, assignMe(ticket)));
    expect(status).toBe(200);
    expect(told).toEqual({ response_type: 'ephemeral', replace_original: false, text: `${ticket.id}: Assigned to ${ALEX} (it was unassigned).` });
    const after = await now(ticket);
    expect(after.ticket.assignee).toBe(ALEX);
    expect(after.events.filter((e) => e.kind === 'assignee')).toEqual([expect.objectContaining({ actor: ALEX, from: null, to: ALEX, why: `#assign me from ${ALEX} via Slack` })]);
    // The press is a staff mail on the ticket; its result went to Slack, not by mail.
    const pressed = after.messages.filter((m) => m.direction === 'inbound' && m.from === ALEX);
    expect(pressed).toHaveLength(1);
    expect(pressed[0]!.reason).toContain(`by ${ALEX} via Slack`);
    expect(after.messages.map((m) => m.role)).not.toContain('command-result');
    expect(chat.rejected).toEqual([]);
  });

  it('Resolve: resolves the ticket, as #resolve would', async () => {
    const ticket = await newTicket('Cannot open the shared calendar');
    const { told } = await press(pressPayload(USERS.priya, resolve(ticket)));
    expect(told!.text).toBe(`${ticket.id}: Status changed from open to resolved.`);
    const after = await now(ticket);
    expect(after.ticket.status).toBe('resolved');
    expect(after.events.find((e) => e.kind === 'status' && e.to === 'resolved')).toMatchObject({ actor: PRIYA, why: `#resolve from ${PRIYA} via Slack` });
  });

  it('Set priority: sets the priority chosen in the select, for the ticket its value names', async () => {
    const ticket = await newTicket('Monitor flickers now and then');
    const { told } = await press(pressPayload(USERS.dana, priority(ticket, 'P1')));
    const after = await now(ticket);
    expect(after.ticket.priority).toBe('P1');
    expect(told!.text).toBe(`${ticket.id}: ${ticket.priority ? `Priority changed from ${ticket.priority} to P1` : 'Priority set to P1 (it had none)'}.`);
    expect(after.events.find((e) => e.kind === 'priority')).toMatchObject({ actor: DANA, to: 'P1', why: `#priority P1 from ${DANA} via Slack` });
  });

  it('the same press delivered twice is one change', async () => {
    const ticket = await newTicket('Keyboard missing keys');
    const payload = pressPayload(USERS.alex, priority(ticket, 'P2'));
    const first = await press(payload);
    const again = await press(payload);
    expect(first.told!.text).toMatch(new RegExp(`^${ticket.id}: Priority (changed from P\\d|set) `));
    expect(again.told!.text).toBe(`${ticket.id}: Slack sent this press twice; it was done once.`);
    const after = await now(ticket);
    expect(after.events.filter((e) => e.kind === 'priority')).toHaveLength(1);
    expect(after.messages.filter((m) => m.from === ALEX)).toHaveLength(1);
  });

  it('a ticket that does not exist is said in words, and nothing is done', async () => {
    const { status, told } = await press(pressPayload(USERS.alex, { ...assignMe({ id: 'TKT-999' } as Ticket) }));
    expect(status).toBe(200);
    expect(told!.text).toBe('There is no ticket TKT-999, so nothing was done.');
  });

  it('a rejected command is said in words', async () => {
    const ticket = await newTicket('Laptop battery swells');
    await press(pressPayload(USERS.alex, resolve(ticket)));
    const { told } = await press(pressPayload(USERS.alex, resolve(ticket)));
    expect(told!.text).toBe(`${ticket.id}: Status was already resolved, so nothing changed.`);
  });
});

describe('who pressed', () => {
  it('refuses a Slack user whose profile email is not on the staff list, and changes nothing', async () => {
    const ticket = await newTicket('Mouse double-clicks');
    const before = await now(ticket);
    const { status, told } = await press(pressPayload(USERS.eve, assignMe(ticket)));
    expect(status).toBe(200);
    expect(told!.text).toBe("Your Slack account's email, eve@contoso.example, is not on the IT staff list, so nothing was done.");
    expect(await now(ticket)).toEqual(before);
  });

  it('refuses a user whose email Slack did not share (the users:read.email scope)', async () => {
    const ticket = await newTicket('Docking station not charging');
    const before = await now(ticket);
    const { told } = await press(pressPayload(USERS.hidden, resolve(ticket)));
    expect(told!.text).toBe('Slack did not share your email address: the app needs the users:read.email scope, so nothing was done.');
    expect(await now(ticket)).toEqual(before);
  });

  it('ignores names and emails written in the payload: only Slack says who a user id is', async () => {
    const ticket = await newTicket('Scanner sends blank pages');
    const before = await now(ticket);
    const forged = pressPayload(USERS.eve, assignMe(ticket), {
      user: { id: USERS.eve, username: 'alex.kim', name: 'alex.kim', email: ALEX, profile: { email: ALEX }, team_id: 'T0NORTHWND' },
      email: ALEX,
      staff: ALEX,
    });
    const { told } = await press(forged);
    expect(told!.text).toBe("Your Slack account's email, eve@contoso.example, is not on the IT staff list, so nothing was done.");
    expect(await now(ticket)).toEqual(before);
    // A user id Slack does not know is nobody.
    const unknown = await press(pressPayload('U0NOBODY01', assignMe(ticket), { user: { id: 'U0NOBODY01', email: ALEX } }));
    expect(unknown.told!.text).toBe('Slack did not find your account, so nothing was done.');
    expect(await now(ticket)).toEqual(before);
  });

  it("asks Slack once per user for a few minutes, and says so when Slack cannot be asked", async () => {
    const ticket = await newTicket('Headset crackles in calls');
    // Slack is down for the first lookup of this user: nothing is done, and the person hears why.
    chat.failNext('slack-api', [{ status: 503 }]);
    const down = await press(pressPayload(USERS.sam, assignMe(ticket)));
    expect(down.told!.text).toBe('Slack could not tell us who you are just now, so nothing was done. Please try again in a minute.');
    expect((await now(ticket)).ticket.assignee).toBeNull();
    expect(logged.at(-1)).toMatch(/users\.info answered 503/);
    // The next press asks again; the address Slack gives is compared in lower case.
    const up = await press(pressPayload(USERS.sam, assignMe(ticket)));
    expect(up.told!.text).toBe(`${ticket.id}: Assigned to sam.lee@it.northwind.example (it was unassigned).`);
    // A third press is answered from what Slack said: one request, the response_url post.
    const requests = chat.requests;
    await press(pressPayload(USERS.sam, priority(ticket, 'P4')));
    expect(chat.requests - requests).toBe(1);
  });
});

describe("Slack's signature", () => {
  it('refuses a bad signature, another secret, an unsigned request and a replayed one (401), and changes nothing', async () => {
    const ticket = await newTicket('Projector in room B has no signal');
    const before = await now(ticket);
    const body = form({ payload: JSON.stringify(pressPayload(USERS.alex, assignMe(ticket))) });
    const posts = chat.posts.length;

    const bad = await slackPost('/slack/actions', body, { signature: `v0=${'0'.repeat(64)}` });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toBe('Not a request from Slack: the signature does not match (signed with another secret, or the body was changed on the way).');
    expect((await slackPost('/slack/actions', body, { secret: 'another-apps-signing-secret-000000' })).status).toBe(401);
    const unsigned = await slackPost('/slack/actions', body, { signature: null });
    expect([unsigned.status, await unsigned.text()]).toEqual([401, 'Not a request from Slack: the request has no X-Slack-Signature header.']);
    // Signed correctly, six minutes ago (a captured request played again) or six minutes ahead.
    const old = await slackPost('/slack/actions', body, { timestamp: seconds() - 360 });
    expect(old.status).toBe(401);
    // 360, or 361 when a second ends between signing and checking.
    expect(await old.text()).toMatch(/^Not a request from Slack: the request was signed 36[01] seconds ago, more than 5 minutes from our clock \(a replayed request, or a clock that is off\)\.$/);
    expect((await slackPost('/slack/actions', body, { timestamp: seconds() + 360 })).status).toBe(401);
    // The body changed after signing: one byte.
    const at = seconds();
    const signedFor = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${at}:${body}`).digest('hex')}`;
    expect((await slackPost('/slack/actions', body.replace('U0ALEXKIM1', 'U0ALEXKIM2'), { timestamp: at, signature: signedFor })).status).toBe(401);

    expect(chat.posts.length).toBe(posts);
    expect(await now(ticket)).toEqual(before);
    expect(logged.filter((l) => l.startsWith('slack: refused /slack/actions')).length).toBeGreaterThanOrEqual(6);
    expect(logged.join('\n')).not.toContain(SIGNING_SECRET);
    expect(logged.join('\n')).not.toContain(chat.botToken);
    // The same bytes with the signature made for them are taken.
    expect((await slackPost('/slack/actions', body, { timestamp: at, signature: signedFor })).status).toBe(200);
    expect((await now(ticket)).ticket.assignee).toBe(ALEX);
  });

  it('refuses the slash command unsigned too, and answers its signed certificate check', async () => {
    const response = await slackPost('/slack/commands', form({ command: '/ticket', text: 'mine', user_id: USERS.alex }), { signature: 'v0=nope' });
    expect(response.status).toBe(401);
    const check = await slackPost('/slack/commands', form({ ssl_check: '1', token: 'legacyverificationtoken' }));
    expect([check.status, await check.text()]).toEqual([200, '']);
  });
});

describe('requests Slack would not send', () => {
  it('answers 400 in words for bad JSON, a missing payload, an unknown payload type, unknown actions and missing fields', async () => {
    const cases: [string, string][] = [
      [form({ payload: '{"type": "block_actions",' }), 'The request could not be read: the payload is not JSON.'],
      [form({ something: 'else' }), 'The request could not be read: the request has no payload field.'],
      [form({ payload: JSON.stringify({ type: 'view_submission', user: { id: USERS.alex } }) }), 'The request could not be read: payloads of type "view_submission" are not handled here; only presses of the ticket buttons (block_actions).'],
      [form({ payload: JSON.stringify({ ...pressPayload(USERS.alex, button('delete_everything', 'TKT-1', 'Delete')) }) }), 'The request could not be read: the action "delete_everything" is not one of ours.'],
      [form({ payload: JSON.stringify({ ...pressPayload(USERS.alex, button(SLACK_ACTIONS.resolve, 'not-a-ticket', 'Resolve')) }) }), 'The request could not be read: the button\'s value is not a ticket id like TKT-42.'],
      [form({ payload: JSON.stringify({ ...pressPayload(USERS.alex, { ...priority({ id: 'TKT-1' } as Ticket, 'P9') }) }) }), 'The request could not be read: the chosen priority is not a value like TKT-42:P1.'],
      [form({ payload: JSON.stringify({ type: 'block_actions', user: { id: USERS.alex }, actions: [] }) }), 'The request could not be read: the block_actions payload is missing or has a wrong actions.'],
      [form({ payload: JSON.stringify({ type: 'block_actions', actions: [{ action_id: SLACK_ACTIONS.resolve, value: 'TKT-1', action_ts: '1' }] }) }), 'The request could not be read: the block_actions payload is missing or has a wrong user.'],
    ];
    for (const [body, said] of cases) {
      const response = await slackPost('/slack/actions', body);
      expect([response.status, await response.text()]).toEqual([400, said]);
    }
    const noUser = await slackPost('/slack/commands', form({ command: '/ticket', text: 'mine' }));
    expect([noUser.status, await noUser.text()]).toEqual([400, 'The request could not be read: the request has no user_id field.']);
  });

  it('acts but posts nothing where a response_url is not Slack\'s, and logs it', async () => {
    const ticket = await newTicket('Wi-Fi drops in the canteen');
    const posts = chat.posts.length;
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'https://hooks.slack.com.evil.example/x', 'https://evil.example/hooks.slack.com/']) {
      const { status } = await press(pressPayload(USERS.alex, assignMe(ticket), { response_url: url }));
      expect(status).toBe(200);
    }
    expect(chat.posts.length).toBe(posts);
    expect((await now(ticket)).ticket.assignee).toBe(ALEX);
    expect(logged.filter((l) => /was not told the result: its response_url is not on https:\/\/hooks\.slack\.com\//.test(l))).toHaveLength(3);
  });
});

describe('/ticket', () => {
  it('shows a ticket by its id or number, with the buttons, only to the one who asked', async () => {
    const ticket = await newTicket('Outlook asks for the password again and again');
    const answer = await slash(USERS.priya, ticket.id);
    expect(answer.text).toBe(`${ticket.id} · Open · ${priorityWords(ticket.priority)}: Outlook asks for the password again and again`);
    expect(answer.blocks![0]).toEqual({ type: 'header', text: { type: 'plain_text', text: `${ticket.id}: Outlook asks for the password again and again`, emoji: true } });
    const fields = answer.blocks![1].fields.map((f: { text: string }) => f.text);
    expect(fields).toEqual([
      '*Status*\nOpen',
      `*Priority*\n${priorityWords(ticket.priority)}`,
      `*Category*\n${ticket.category ?? 'Not set'}`,
      `*Requester*\nRequester ${ticket.requester.match(/\d+/)![0]} &lt;${ticket.requester}&gt;`,
      '*Assignee*\nNobody yet',
      expect.stringMatching(/^\*Last activity\*\n<!date\^\d+\^\{date_short_pretty\} \{time\}\|2026-12-\d\d \d\d:\d\d UTC>$/),
    ]);
    const actions = answer.blocks!.find((b) => b.type === 'actions');
    expect(actions.elements.map((e: { action_id: string }) => e.action_id)).toEqual([SLACK_ACTIONS.assignMe, SLACK_ACTIONS.resolve, SLACK_ACTIONS.priority]);
    expect(actions.elements[0].value).toBe(ticket.id);
    expect(actions.elements[2].options.map((o: { value: string }) => o.value)).toEqual(['P1', 'P2', 'P3', 'P4'].map((x) => `${ticket.id}:${x}`));
    expect(answer.blocks!.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: `<${web}/console/tickets/${ticket.id}|Open ${ticket.id} in the staff console>` }] });
    expect(await slash(USERS.priya, String(ticket.number))).toEqual(answer);
    expect(await slash(USERS.priya, ` ${ticket.id.toLowerCase()} `)).toEqual(answer);

    // A button on the answer works like one on a channel message.
    const { told } = await press(pressPayload(USERS.priya, { ...actions.elements[0], text: { type: 'plain_text', text: 'Assign to me', emoji: true } }));
    expect(told!.text).toBe(`${ticket.id}: Assigned to ${PRIYA} (it was unassigned).`);
    expect((await slash(USERS.priya, 'TKT-999')).text).toBe('There is no ticket TKT-999.');
  });

  it('escapes what a requester wrote, so a subject cannot mention the channel or make a link', async () => {
    const ticket = await newTicket('<!channel> please click <https://evil.example|here> & *see*');
    const answer = await slash(USERS.alex, ticket.id);
    expect(answer.blocks![0].text.text).toBe(`${ticket.id}: &lt;!channel&gt; please click &lt;https://evil.example|here&gt; &amp; *see*`);
    await press(pressPayload(USERS.alex, assignMe(ticket)));
    const mine = await slash(USERS.alex, 'mine');
    expect(mine.blocks!.map((b) => b.text?.text ?? '').join('\n')).toContain('&lt;!channel&gt; please click &lt;https://evil.example|here&gt; &amp; ∗see∗');
    for (const said of [answer, mine]) {
      expect(JSON.stringify(said)).not.toContain('<!channel>');
      expect(JSON.stringify(said)).not.toContain('<https://evil.example');
    }
  });

  it('mine: the open tickets assigned to the one who asks', async () => {
    const first = await newTicket('VPN disconnects every hour');
    const second = await newTicket('Teams camera is black');
    await press(pressPayload(USERS.dana, assignMe(first)));
    await press(pressPayload(USERS.dana, assignMe(second)));
    const answer = await slash(USERS.dana, 'mine');
    expect(answer.text).toBe('Your open tickets: 2');
    const listed = answer.blocks!.slice(1).map((b) => b.text.text as string);
    expect(listed).toHaveLength(2);
    expect(listed.join('\n')).toContain(`<${web}/console/tickets/${first.id}|${first.id}>`);
    expect(listed.join('\n')).toContain(`<${web}/console/tickets/${second.id}|${second.id}>`);
    expect(listed.every((line) => line.includes(`assigned to ${DANA}`))).toBe(true);
    expect((await slash(USERS.alex, 'mine')).text).not.toContain(first.id);
    // Resolved: no longer on the list.
    await press(pressPayload(USERS.dana, resolve(first)));
    expect((await slash(USERS.dana, 'mine')).text).toBe('Your open tickets: 1');
  });

  it('help, nothing, or words it does not know: the usage', async () => {
    const help = await slash(USERS.alex, 'help');
    expect(help.text).toContain('/ticket TKT-42 (or /ticket 42): the ticket, with buttons to assign it to yourself, resolve it or set its priority');
    expect(help.text).toContain('/ticket mine: the open tickets assigned to you');
    expect(help.text).toContain('/ticket stale: the tickets that have waited too long, longest idle first');
    expect(await slash(USERS.alex, '')).toEqual(help);
    // Usage asks nothing of Slack: even someone who is not staff sees it.
    expect(await slash(USERS.eve, 'help')).toEqual(help);
    const unknown = await slash(USERS.alex, 'reboot everything');
    expect(unknown.text).toMatch(/^"reboot everything" is not something \/ticket knows\.\n\n\/ticket shows help desk tickets/);
  });

  it('shows nothing to someone who is not staff, or whose email Slack does not share', async () => {
    const ticket = await newTicket('Badge reader at the back door');
    expect((await slash(USERS.eve, ticket.id)).text).toBe("Your Slack account's email, eve@contoso.example, is not on the IT staff list, so no tickets are shown to you.");
    expect((await slash(USERS.hidden, 'mine')).text).toBe('Slack did not share your email address: the app needs the users:read.email scope, so no tickets are shown to you.');
    expect(JSON.stringify(await slash(USERS.eve, 'stale'))).not.toContain('TKT-');
  });

  it('stale: the tickets idle past their limit, longest idle first, at most 15 and the rest counted', async () => {
    const oldest = await newTicket('Old ticket nobody answered');
    clock.advance(3600_000);
    for (let i = 0; i < 16; i++) await newTicket(`Stale candidate number ${i}`);
    clock.advance(8 * 24 * 3600_000);
    const answer = await slash(USERS.alex, 'stale');
    const open = (await p.store.openTickets()).length;
    expect(answer.text).toBe(`Stale tickets, longest idle first: ${open} (the first 15 shown, and ${open - 15} more)`);
    expect(answer.blocks![0].text.text).toBe(`*Stale tickets, longest idle first* (${open})`);
    const lines = answer.blocks!.filter((b) => b.type === 'section').slice(1).map((b) => b.text.text as string);
    expect(lines).toHaveLength(15);
    const ids = lines.map((l) => /\|(TKT-\d+)>/.exec(l)![1]!);
    // Tickets opened earlier have been quiet longer: they come first.
    const numbers = ids.map((id) => Number(id.slice(4)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(ids).toContain(oldest.id);
    expect(lines[0]).toMatch(/quiet for \d+ days$/);
    expect(answer.blocks!.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: `and ${open - 15} more: the staff console lists them all` }] });
  });
});

describe('everything posted to Slack', () => {
  it('passed the checks Slack makes of a message', () => {
    expect(chat.posts.filter((post) => post.kind === 'slack-response').length).toBeGreaterThan(10);
    expect(chat.rejected).toEqual([]);
  });
});

describe('response_url', () => {
  it("is Slack's own https://hooks.slack.com/ only, or loopback when Slack's API is a local stand-in", () => {
    const slackApi = 'https://slack.com/api';
    expect(checkResponseUrl('https://hooks.slack.com/actions/T0/1/abc', slackApi)).toEqual({ ok: true, url: 'https://hooks.slack.com/actions/T0/1/abc' });
    for (const url of ['http://hooks.slack.com/actions/T0/1/abc', 'https://hooks.slack.com:8443/x', 'https://user:pw@hooks.slack.com/x', 'https://hooks.slack.com.evil.example/x', 'http://127.0.0.1:9/x', 'not a url']) {
      expect(checkResponseUrl(url, slackApi).ok, url).toBe(false);
    }
    expect(checkResponseUrl(null, slackApi)).toEqual({ ok: false, why: 'the payload has no response_url' });
    expect(checkResponseUrl('http://127.0.0.1:9/x', 'http://127.0.0.1:8/api').ok).toBe(true);
    expect(checkResponseUrl('http://10.0.0.1/x', 'http://127.0.0.1:8/api').ok).toBe(false);
  });
});

describe('without a signing secret', () => {
  it('has no Slack routes at all', async () => {
    const cfg = parseConfig({ ...northwindConfig, web: { linkKeys: ['a key of at least thirty-two characters for tests'] }, chat: { slack: { webhookUrl: chat.slackWebhookUrl } } });
    const app = createHttpApp({ config: cfg, ports: p.deps, apiKeys: p.deps.apiKeys, sessions: p.deps.consoleSessions, downloads: p.deps.blobs, clientAddress: () => '192.0.2.1', plainHttp: true, log: () => undefined });
    expect((await app.request('/slack/actions', { method: 'POST', body: 'payload=%7B%7D', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(404);
    expect((await app.request('/slack/commands', { method: 'POST', body: 'command=%2Fticket', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(404);
  });
});
