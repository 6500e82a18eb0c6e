/**
 * The HTTP app through the Lambda adapter: API Gateway HTTP API events (payload format 2.0, as
 * fixtures/events/apigw-v2-*.json) in, Lambda proxy responses out, against the local stack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpHandler } from '../../src/aws/http-handler.js';
import { parseConfig, type Config } from '../../src/config.js';
import { newApiKey } from '../../src/http/api-keys.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { fixturesDir, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

type Event = Record<string, unknown> & { headers: Record<string, string>; requestContext: { http: Record<string, string> }; cookies?: string[] };
type Result = { statusCode: number; headers: Record<string, string>; body: string; cookies?: string[]; isBase64Encoded: boolean };

const HOST = 'k3v9q2x1ab.execute-api.eu-west-1.amazonaws.com';
const event = (name: string): Event => JSON.parse(readFileSync(new URL(`events/${name}`, fixturesDir), 'utf8'));
const context = { functionName: 'http', awsRequestId: 'test' } as Context;

let fx: StackFixture;
let invoke: (e: Event) => Promise<Result>;
let store: Awaited<ReturnType<typeof pipelineOn>>['store'];
let apiKeys: Awaited<ReturnType<typeof pipelineOn>>['deps']['apiKeys'];
const logged: string[] = [];

beforeAll(async () => {
  fx = await withLocalStack({ config: northwindConfig });
  const config: Config = parseConfig({ ...northwindConfig, web: { baseUrl: `https://${HOST}`, linkKeys: ['a key of at least thirty-two characters for tests'] } });
  const p = await pipelineOn(fx, { now: () => new Date(), advance: () => undefined }, config);
  store = p.store;
  apiKeys = p.deps.apiKeys;
  const handle = httpHandler(p.config, p.deps, (line) => logged.push(line));
  invoke = (e) => handle(e as never, context as never) as Promise<Result>;
});

afterAll(async () => {
  await fx?.cleanup();
});

/** A follow-up request in the same browser: its path, method, cookies and body. */
function next(base: Event, method: string, path: string, init: { cookies?: string[]; body?: Buffer; contentType?: string; query?: string } = {}): Event {
  const e = structuredClone(base);
  e.rawPath = path;
  e.rawQueryString = init.query ?? '';
  e.requestContext.http.method = method;
  e.requestContext.http.path = path;
  if (init.cookies) e.cookies = init.cookies;
  if (init.body) {
    e.body = init.body.toString('base64');
    e.isBase64Encoded = true;
    e.headers['content-type'] = init.contentType!;
    e.headers['content-length'] = String(init.body.length);
    e.headers.origin = `https://${HOST}`;
  }
  return e;
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

    const ticket = (await store.getTicketById(Number(id!.slice(4))))!;
    const ack = (await store.listMessages(ticket.key)).find((m) => m.direction === 'outbound' && m.to.includes('helena.vogel@northwind.example'));
    const link = new RegExp(`https://${HOST.replace(/\./g, '\\.')}(/s/[\\w.-]+)`).exec(ack?.visibleText ?? '')?.[1];
    expect(link).toBeDefined();
    const status = await invoke(next(get, 'GET', link!));
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('Teams camera not found');
  });

  it('answers the REST API, with the client from the request context', async () => {
    const { key, record } = newApiKey('zabbix', new Date());
    await apiKeys.createApiKey(record);
    const e = event('apigw-v2-post-api-ticket.json');
    e.headers.authorization = `Bearer ${key}`;
    const response = await invoke(e);
    expect(response.statusCode, response.body).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ ticket: expect.stringMatching(/^TKT-\d+$/), details: { requester: 'zabbix@ops.example.org', unverified: true } });

    const missing = await invoke(event('apigw-v2-post-api-ticket.json'));
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['content-type']).toBe('application/problem+json');
  });

  it('signs a staff member in to the console with the mailed link, over https cookies, and shows the queue', async () => {
    const get = event('apigw-v2-get-form.json');
    const jar = new Map<string, string>();
    const keep = (r: Result) => {
      for (const c of r.cookies ?? []) {
        const [pair] = c.split(';');
        const at = pair!.indexOf('=');
        if (/Max-Age=0/.test(c)) jar.delete(pair!.slice(0, at));
        else jar.set(pair!.slice(0, at), pair!.slice(at + 1));
      }
      return r;
    };
    const cookies = () => [...jar].map(([k, v]) => `${k}=${v}`);
    const tokenOf = (body: string) => /name="token" value="([^"]+)"/.exec(body)![1]!;
    const form = (fields: Record<string, string>) => Buffer.from(new URLSearchParams(fields).toString());
    const urlencoded = 'application/x-www-form-urlencoded';

    const signInPage = keep(await invoke(next(get, 'GET', '/console')));
    expect(signInPage.body).toContain('Staff sign-in');
    const asked = keep(await invoke(next(get, 'POST', '/console/sign-in', { cookies: cookies(), body: form({ token: tokenOf(signInPage.body), email: 'alex.kim@northwind.example' }), contentType: urlencoded })));
    expect(asked.statusCode).toBe(200);
    expect([...jar.keys()]).toContain('__Host-tkt_signin');

    const mails = (await readOutbox(join(fx.dataDir, 'outbox'))).filter((e) => e.destinations.includes('alex.kim@northwind.example'));
    const text = (await simpleParser(readFileSync(mails.at(-1)!.rawPath))).text ?? '';
    const path = new URL(new RegExp(`https://${HOST.replace(/\./g, '\\.')}/console/sign-in/[\\w-]+`).exec(text)![0]).pathname;
    const landing = keep(await invoke(next(get, 'GET', path, { cookies: cookies() })));
    const signed = keep(await invoke(next(get, 'POST', path, { cookies: cookies(), body: form({ token: tokenOf(landing.body) }), contentType: urlencoded })));
    expect(signed.statusCode).toBe(303);
    expect((signed.cookies ?? []).find((c) => c.startsWith('__Host-tkt_session='))).toMatch(/HttpOnly; Secure; SameSite=Lax/);

    const queue = await invoke(next(get, 'GET', '/console', { cookies: cookies() }));
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('alex.kim@northwind.example');
    expect(queue.body).toMatch(/Open <span class="count">\d+<\/span>/);
  });
});

