/**
 * The HTTP app through the Lambda adapter: API Gateway HTTP API events (payload format 2.0, as
 * fixtures/events/apigw-v2-*.json) in, Lambda proxy responses out, against the local stack. The
 * staff console the same way: sign-in by the mailed link, the queue, a ticket and its download,
 * acting on it (the relay and the note read back from the local SES outbox), what is refused,
 * sign-out and an idle session's end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpHandler } from '../../src/aws/http-handler.js';
import { parseConfig, type Config } from '../../src/config.js';
import { newApiKey } from '../../src/http/api-keys.js';
import { sessionIdOf } from '../../src/http/console/sessions.js';
import { deliverAsSesTo } from '../../src/local/serve.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { ApiGatewayBrowser, formTokenIn, nextEvent as next, type ApiGatewayEvent as Event, type LambdaResult as Result } from '../support/api-gateway-browser.js';
import { expectOneRelayOnThread, outboxCount, sentMails, signInLinks } from '../support/outbox.js';
import { fixtureMail, fixturesDir, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const HOST = 'k3v9q2x1ab.execute-api.eu-west-1.amazonaws.com';
const event = (name: string): Event => JSON.parse(readFileSync(new URL(`events/${name}`, fixturesDir), 'utf8'));
const context = { functionName: 'http', awsRequestId: 'test' } as Context;

/** The system clock from where the test has moved it: the idle-session test jumps ahead. */
function runningClock() {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms: number) {
      offset += ms;
    },
  };
}

let fx: StackFixture;
let invoke: (e: Event) => Promise<Result>;
let p: Awaited<ReturnType<typeof pipelineOn>>;
const logged: string[] = [];

beforeAll(async () => {
  fx = await withLocalStack({ config: northwindConfig });
  const config: Config = parseConfig({ ...northwindConfig, web: { baseUrl: `https://${HOST}`, linkKeys: ['a key of at least thirty-two characters for tests'] } });
  p = await pipelineOn(fx, runningClock(), config);
  const handle = httpHandler(p.config, p.deps, (line) => logged.push(line));
  invoke = (e) => handle(e as never, context as never) as Promise<Result>;
});

afterAll(async () => {
  await fx?.cleanup();
});

const outbox = () => join(fx.dataDir, 'outbox');
const browser = () => new ApiGatewayBrowser(event('apigw-v2-get-form.json'), invoke);

/** A browser with a console session for `address`, signed in by the link the outbox holds. */
async function signedIn(address: string): Promise<ApiGatewayBrowser> {
  const b = browser();
  const asked = await b.post('/console/sign-in', { token: formTokenIn((await b.get('/console')).body), email: address });
  expect(asked.statusCode).toBe(200);
  const link = (await signInLinks(outbox(), address)).at(-1)!;
  const signed = await b.post(link.pathname, { token: formTokenIn((await b.get(link.pathname)).body) });
  expect(signed.statusCode).toBe(303);
  return b;
}

describe('the HTTP app behind API Gateway (payload format 2.0)', () => {
  it('serves the form over https: a Secure __Host- cookie, HSTS, the strict CSP', async () => {
    const response = await invoke(event('apigw-v2-get-form.json'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('<form method="post" action="/"');
    const cookie = (response.cookies ?? []).find((c) => c.startsWith('__Host-tkt_form='));
    expect(cookie).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Strict/);
    expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('takes the form from a phone: the ticket, its acknowledgement with a link to this API, the status page', async () => {
    const get = event('apigw-v2-get-form.json');
    const page = await invoke(get);
    const cookies = (page.cookies ?? []).map((c) => c.split(';')[0]!);
    const token = /name="token" value="([^"]+)"/.exec(page.body)![1]!;
    const form = new FormData();
    for (const [k, v] of Object.entries({ token, name: 'Helena Vogel', email: 'helena.vogel@northwind.example', subject: 'Teams camera not found', description: 'Since the update Teams says no camera found.' })) form.set(k, v);
    const request = new Response(form);
    const posted = await invoke(next(get, 'POST', '/', { cookies, body: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! }));
    expect(posted.statusCode, posted.body.slice(0, 300)).toBe(200);
    const id = /class="badge">(TKT-\d+)</.exec(posted.body)?.[1];
    expect(id).toMatch(/^TKT-\d+$/);
    // The client is who API Gateway saw, not what X-Forwarded-For says.
    expect(logged.some((l) => l.includes('web form from client 198.51.100.7'))).toBe(true);

    const ticket = (await p.store.getTicketById(Number(id!.slice(4))))!;
    const ack = (await p.store.listMessages(ticket.key)).find((m) => m.direction === 'outbound' && m.to.includes('helena.vogel@northwind.example'));
    const link = new RegExp(`https://${HOST.replace(/\./g, '\\.')}(/s/[\\w.-]+)`).exec(ack?.visibleText ?? '')?.[1];
    expect(link).toBeDefined();
    const status = await invoke(next(get, 'GET', link!));
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('Teams camera not found');
  });

  it('answers the REST API, with the client from the request context', async () => {
    const { key, record } = newApiKey('zabbix', new Date());
    await p.deps.apiKeys.createApiKey(record);
    const e = event('apigw-v2-post-api-ticket.json');
    e.headers.authorization = `Bearer ${key}`;
    const response = await invoke(e);
    expect(response.statusCode, response.body).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ ticket: expect.stringMatching(/^TKT-\d+$/), details: { requester: 'zabbix@ops.example.org', unverified: true } });

    const missing = await invoke(event('apigw-v2-post-api-ticket.json'));
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['content-type']).toBe('application/problem+json');
  });
});

describe('the staff console behind API Gateway', () => {
  const STAFF = 'alex.kim@northwind.example';
  const LARS = 'lars.nilsson@northwind.example';
  /** Lars's Wi-Fi problem, with his log attached (fixtures/mail/05), and Maria's VPN outage (01). */
  let wifi: Ticket;
  let vpn: Ticket;
  let staff: ApiGatewayBrowser;

  beforeAll(async () => {
    const arrive = async (name: string) => {
      const [result] = await deliverAsSesTo(fixtureMail(name), ['support@northwind.example'], p.deps);
      expect(result?.outcome, result?.reason).toBe('created');
      return (await p.store.getTicketById(Number(result!.ticket!.slice(4))))!;
    };
    wifi = await arrive('05-thunderbird-new-wifi-log.eml');
    vpn = await arrive('01-outlook-new-vpn-down.eml');
  });

  /** A console action from the ticket's page, as its form posts it. */
  async function act(b: ApiGatewayBrowser, ticket: Ticket, fields: Record<string, string>): Promise<Result> {
    const page = await b.get(`/console/tickets/${ticket.id}`);
    const submission = /name="submission" value="([^"]+)"/.exec(page.body)![1]!;
    return b.post(`/console/tickets/${ticket.id}/act`, { token: formTokenIn(page.body), submission, ...fields });
  }

  /** The text of the page's alerts (what was done, what was not), tags dropped. */
  const said = (html: string, role: 'status' | 'alert') =>
    [...html.matchAll(new RegExp(`<div class="alert \\w+" role="${role}">([\\s\\S]*?)</div>`, 'g'))].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()).join(' | ');

  it('signs a staff member in with the mailed link, over https cookies, and shows the queue', async () => {
    const b = browser();
    const signInPage = await b.get('/console');
    expect(signInPage.body).toContain('Staff sign-in');
    const asked = await b.post('/console/sign-in', { token: formTokenIn(signInPage.body), email: STAFF });
    expect(asked.statusCode).toBe(200);
    expect(b.cookie('__Host-tkt_signin')).toBeDefined();

    const link = (await signInLinks(outbox(), STAFF)).at(-1)!;
    expect(link.origin).toBe(`https://${HOST}`);
    const landing = await b.get(link.pathname);
    const signed = await b.post(link.pathname, { token: formTokenIn(landing.body) });
    expect(signed.statusCode).toBe(303);
    expect((signed.cookies ?? []).find((c) => c.startsWith('__Host-tkt_session='))).toMatch(/HttpOnly; Secure; SameSite=Lax/);

    const queue = await b.get('/console');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(STAFF);
    expect(queue.body).toMatch(/Open <span class="count">\d+<\/span>/);
    staff = b;
  });

  it('shows a view of the queue with a search kept across the views, and a ticket with its facts and attachment', async () => {
    const found = await staff.get('/console', 'view=unassigned&q=wi-fi+log');
    expect(found.statusCode).toBe(200);
    expect(found.headers['cache-control']).toBe('no-store');
    expect(found.body).toContain(`<span class="badge">${wifi.id}</span>`);
    expect(found.body).not.toContain(`<span class="badge">${vpn.id}</span>`);
    expect(found.body).toMatch(/href="\/console\?view=unassigned&amp;q=wi-fi\+log[^"]*" aria-current="page"/);
    expect(found.body).toMatch(/href="\/console\?view=open&amp;q=wi-fi\+log/);
    expect((await staff.get('/console', 'view=open&q=no-such-words-anywhere')).body).toContain('No tickets here.');
    const byId = await staff.get('/console', `q=${wifi.id.toLowerCase()}`);
    expect(byId.statusCode).toBe(303);
    expect(byId.headers.location).toBe(`/console/tickets/${wifi.id}`);

    const page = await staff.get(`/console/tickets/${wifi.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain(`<h1>${wifi.subject}</h1>`);
    expect(page.body).toContain(`<dt>Priority</dt><dd>${wifi.priority}</dd>`);
    expect(page.body).toContain('Why this priority and category');
    expect(page.body).toMatch(new RegExp(`href="/console/tickets/${wifi.id}/messages/[0-9a-f]+/attachments/0">nm-wifi\\.log</a>`));
    expect((await staff.get('/console/tickets/TKT-99999')).statusCode).toBe(404);
  });

  it('answers a download with a redirect to a presigned S3 link that works for five minutes, for a session only', async () => {
    const page = await staff.get(`/console/tickets/${wifi.id}`);
    const path = new RegExp(`href="(/console/tickets/${wifi.id}/messages/[0-9a-f]+/attachments/0)"`).exec(page.body)![1]!;

    const stranger = await browser().get(path);
    expect(stranger.statusCode).toBe(303);
    expect(stranger.headers.location).toBe('/console');

    const redirected = await staff.get(path);
    expect(redirected.statusCode).toBe(303);
    const link = new URL(redirected.headers.location!);
    expect(link.origin).toBe(new URL(fx.endpoints.s3).origin);
    expect(link.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(link.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(link.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(link.searchParams.get('response-content-disposition')).toMatch(/^attachment; filename="nm-wifi\.log"/);

    const original = (await simpleParser(fixtureMail('05-thunderbird-new-wifi-log.eml'))).attachments.find((a) => a.filename === 'nm-wifi.log')!;
    const fetched = await fetch(link);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(original.content)).toBe(true);
  });

  it('answers the requester: the relay goes to him on his own thread, and the ticket waits on him', async () => {
    const seen = await outboxCount(outbox());
    const answered = await act(staff, wifi, { action: 'reply', text: 'Please forget the network and join it again, then tell us if it still drops.' });
    expect(answered.statusCode).toBe(200);
    expect(said(answered.body, 'status')).toContain(LARS);

    const sent = await sentMails(outbox(), seen);
    const relay = expectOneRelayOnThread(sent, LARS, wifi);
    expect(relay.text).toContain('forget the network and join it again');
    expect((await p.store.getTicketById(wifi.number))!.status).toBe('waiting-on-requester');
  });

  it('saves a note: the staff list is told, the requester is not', async () => {
    const seen = await outboxCount(outbox());
    const noted = await act(staff, wifi, { action: 'note', text: 'The access point on the 4th floor was replaced last week.' });
    expect(noted.statusCode).toBe(200);
    expect(noted.body).toContain(`Internal note by ${STAFF.replace('@', '@<wbr>')}`);

    const sent = await sentMails(outbox(), seen);
    expect(sent.filter((m) => m.to.includes(LARS))).toEqual([]);
    const notice = sent.find((m) => m.kind === 'note-notification');
    expect(notice?.to).toContain('it-team@northwind.example');
    expect(notice?.mail.text).toContain('The access point on the 4th floor was replaced last week.');
    const messages = await p.store.listMessages(wifi.key);
    expect(messages.filter((m) => m.role === 'note').map((m) => m.visibleText)).toEqual(['The access point on the 4th floor was replaced last week.']);
    expect(messages.filter((m) => m.role === 'relay')).toHaveLength(1);
  });

  it('refuses a form without its token, with a wrong one, or from another site (403), and does nothing', async () => {
    const page = await staff.get(`/console/tickets/${wifi.id}`);
    const submission = /name="submission" value="([^"]+)"/.exec(page.body)![1]!;
    const reply = { submission, action: 'reply', text: 'This must never reach Lars.' };
    const messagesBefore = (await p.store.listMessages(wifi.key)).length;
    const seen = await outboxCount(outbox());

    const path = `/console/tickets/${wifi.id}/act`;
    expect((await staff.post(path, reply)).statusCode).toBe(403);
    expect((await staff.post(path, { ...reply, token: 'wrong' })).statusCode).toBe(403);
    // Another browser's token is no use either: a token is bound to its browser's form cookie.
    expect((await staff.post(path, { ...reply, token: formTokenIn((await browser().get('/console')).body) })).statusCode).toBe(403);
    expect((await staff.post(path, { ...reply, token: formTokenIn(page.body) }, 'https://evil.example')).statusCode).toBe(403);

    expect(await p.store.listMessages(wifi.key)).toHaveLength(messagesBefore);
    expect(await outboxCount(outbox())).toBe(seen);
    expect((await p.store.getTicketById(wifi.number))!.status).toBe('waiting-on-requester');
  });

  it('says on the page (422) why the lifecycle refuses a change, and changes nothing', async () => {
    const resolved = await act(staff, wifi, { action: 'change', status: 'resolved' });
    expect(resolved.statusCode).toBe(200);
    expect((await p.store.getTicketById(wifi.number))!.status).toBe('resolved');

    const seen = await outboxCount(outbox());
    const refused = await act(staff, wifi, { action: 'change', status: 'waiting-on-requester' });
    expect(refused.statusCode).toBe(422);
    const why = said(refused.body, 'alert');
    expect(why).toMatch(/resolved/);
    expect(why).toMatch(/waiting-on-requester/);
    expect((await p.store.getTicketById(wifi.number))!.status).toBe('resolved');
    // The page said it: no command-result mail.
    expect((await sentMails(outbox(), seen)).map((m) => m.kind)).toEqual([]);
  });

  it('signs out: the session item goes, and its cookie opens nothing any more', async () => {
    const b = await signedIn('dana.berg@it.northwind.example');
    const cookie = b.cookie('__Host-tkt_session')!;
    const id = sessionIdOf(cookie, p.config.web.linkKeys)!;
    expect(await p.deps.consoleSessions.getSession(id)).not.toBeNull();

    const out = await b.post('/console/sign-out', { token: formTokenIn((await b.get('/console')).body) });
    expect(out.statusCode).toBe(303);
    expect(b.cookie('__Host-tkt_session')).toBeUndefined();
    expect(await p.deps.consoleSessions.getSession(id)).toBeNull();
    const replay = await invoke(next(event('apigw-v2-get-form.json'), 'GET', `/console/tickets/${vpn.id}`, { cookies: [`__Host-tkt_session=${cookie}`] }));
    expect(replay.statusCode).toBe(303);
    expect(replay.headers.location).toBe('/console');
  });

  it('ends a session left idle for longer than idleMinutes', async () => {
    const b = await signedIn('sam.lee@it.northwind.example');
    const id = sessionIdOf(b.cookie('__Host-tkt_session'), p.config.web.linkKeys)!;
    expect((await b.get('/console')).body).toContain('Sign out');
    p.clock.advance((p.config.web.console.idleMinutes + 1) * 60_000);
    const after = await b.get('/console');
    expect(after.body).toContain('Staff sign-in');
    expect(after.body).not.toContain('Sign out');
    expect(await p.deps.consoleSessions.getSession(id)).toBeNull();
    expect((await b.get(`/console/tickets/${vpn.id}`)).statusCode).toBe(303);
  });
});
