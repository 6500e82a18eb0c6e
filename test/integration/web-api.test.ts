/**
 * The REST API through real HTTP against `ticketing serve`: API keys made with the CLI, every
 * route of the OpenAPI document exercised (and the document validated by an OpenAPI validator),
 * each answer checked against the statuses and media types the document declares for it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config.js';
import { serve, type Serving } from '../../src/local/serve.js';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..');
const bin = join(repoRoot, 'src/bin/ticketing.mjs');
const config = loadConfigFile(join(repoRoot, 'fixtures', 'northwind.config.json'));

let serving: Serving;
let data: string;
let key: string;
let openapi: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
/** `METHOD /path/template` → the statuses seen. */
const exercised = new Map<string, Set<number>>();

async function ticketing(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const out = await run(process.execPath, [bin, ...args, '--data', data], { cwd: repoRoot, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    return { code: 0, stdout: out.stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

/** Calls the API and checks the answer against what the document declares for the route. */
async function api(method: string, path: string, init: { body?: unknown; key?: string | null; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? key}` }), ...init.headers };
  if (init.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${serving.webUrl}${path}`, { method, headers, ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}) });
  const text = await response.text();
  const template = path.split('?')[0]!.replace(/\/TKT-\d+/, '/{id}');
  const route = openapi.paths[template]?.[method.toLowerCase()];
  expect(route, `${method} ${template} is in the OpenAPI document`).toBeDefined();
  const declared = route!.responses[String(response.status)];
  expect(declared, `${method} ${template} declares ${response.status}`).toBeDefined();
  const type = response.headers.get('content-type')?.split(';')[0];
  expect(Object.keys(declared!.content ?? {}), `${method} ${template} ${response.status} as ${type}`).toContain(type);
  const seen = exercised.get(`${method} ${template}`) ?? new Set<number>();
  exercised.set(`${method} ${template}`, seen.add(response.status));
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'ticketing-web-api-'));
  serving = await serve({ data, config, smtpPort: 0, httpPort: 0, print: () => undefined });
  openapi = (await (await fetch(`${serving.webUrl}/api/openapi.json`)).json()) as typeof openapi;
  const made = await ticketing('api-key', 'create', '--name', 'monitoring', '--json');
  expect(made.code).toBe(0);
  key = JSON.parse(made.stdout).key;
});

afterAll(async () => {
  await serving?.close();
  await rm(data, { recursive: true, force: true });
});

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document describing the key scheme', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(openapi) as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(Object.keys(openapi.paths).sort()).toEqual(['/api/v1/tickets', '/api/v1/tickets/{id}', '/api/v1/tickets/{id}/notes']);
  });
});

describe('API keys', () => {
  it('are printed once, listed without the key, refused when unknown, missing or revoked', async () => {
    expect((await api('GET', '/api/v1/tickets', { key: null })).status).toBe(401);
    const unknown = await api('GET', '/api/v1/tickets', { key: 'tkt_' + 'x'.repeat(43) });
    expect(unknown).toMatchObject({ status: 401, body: { title: 'Unauthorized', detail: 'That API key is unknown or has been revoked.' } });
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer realm="tickets"');

    const made = await ticketing('api-key', 'create', '--name', 'short-lived');
    const shortLived = /(tkt_[\w-]{43})/.exec(made.stdout)![1]!;
    expect(made.stdout).toContain('It is shown this once');
    expect((await api('GET', '/api/v1/tickets', { key: shortLived })).status).toBe(200);
    const list = await ticketing('api-key', 'list');
    // The hint is the key's own first characters; base64url, they may hold "-" (a pattern of \w missed it
    // one run in ten), and none of its letters means anything in a regular expression.
    const hint = shortLived.slice(0, 'tkt_'.length + 6);
    expect(list.stdout).toMatch(new RegExp(`short-lived\\s+${hint}…\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+active`));
    expect(list.stdout).not.toContain(shortLived);
    expect((await ticketing('api-key', 'create', '--name', 'short-lived')).code).toBe(1);
    expect((await ticketing('api-key', 'revoke', '--name', 'short-lived')).code).toBe(0);
    expect((await api('GET', '/api/v1/tickets', { key: shortLived })).status).toBe(401);
    expect((await ticketing('api-key', 'list')).stdout).toMatch(/short-lived .* revoked/);
    expect((await ticketing('api-key', 'create', '--name', 'Bad Name!')).code).toBe(2);
  });
});

describe('tickets through the API', () => {
  it('opens a ticket through the pipeline; a retry with the same Idempotency-Key makes no second one', async () => {
    const request = { name: 'Zabbix', email: 'zabbix@ops.example.org', subject: 'Disk /data on fs01 is 95% full', description: 'Trigger: free space on /data < 5%.\nHost: fs01' };
    const created = await api('POST', '/api/v1/tickets', { body: request, headers: { 'idempotency-key': 'zbx-4711' } });
    expect(created).toMatchObject({ status: 201, body: { ticket: expect.stringMatching(/^TKT-\d+$/), outcome: 'created', details: { requester: 'zabbix@ops.example.org', status: 'open', unverified: true } } });
    const again = await api('POST', '/api/v1/tickets', { body: request, headers: { 'idempotency-key': 'zbx-4711' } });
    expect(again).toMatchObject({ status: 200, body: { ticket: created.body.ticket, outcome: 'redelivered' } });
    const ticket = (await serving.store.getTicketById(Number(created.body.ticket.slice(4))))!;
    const messages = await serving.store.listMessages(ticket.key);
    expect(messages.filter((m) => m.role === 'ack')).toHaveLength(1);
    expect(messages.filter((m) => m.role === 'staff-notification')).toHaveLength(1);
  });

  it('rejects unknown and wrong fields by name, a body that is not JSON, and a support address as requester', async () => {
    const unknownField = await api('POST', '/api/v1/tickets', { body: { name: 'A', email: 'a@example.org', subject: 's', description: 'd', colour: 'red' } });
    expect(unknownField).toMatchObject({ status: 400, body: { errors: [{ field: 'colour', message: 'unknown field' }] } });
    const wrong = await api('POST', '/api/v1/tickets', { body: { name: '', email: 'nope', subject: 's' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['description', 'email', 'name']);
    const broken = await api('POST', '/api/v1/tickets', { body: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(broken).toMatchObject({ status: 400, body: { type: 'about:blank', status: 400 } });
    const ours = await api('POST', '/api/v1/tickets', { body: { name: 'x', email: 'support@northwind.example', subject: 's', description: 'd' } });
    expect(ours).toMatchObject({ status: 400, body: { errors: [{ field: 'email' }] } });
    const form = await fetch(`${serving.webUrl}/api/v1/tickets`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x' });
    expect(form.status).toBe(415);
    expect(form.headers.get('content-type')).toBe('application/problem+json');
  });

  it('changes status, priority, category and assignee as the staff commands do: same rules, same history', async () => {
    const { body } = await api('POST', '/api/v1/tickets', { body: { name: 'Grafana', email: 'grafana@ops.example.org', subject: 'Wi-Fi in building B drops', description: 'Access points in building B reboot every hour.' } });
    const id = body.ticket as string;
    expect(body.details.category).toBe('network');
    const changed = await api('PATCH', `/api/v1/tickets/${id}`, { body: { priority: 'P2', category: 'hardware', assignee: 'priya.nair@northwind.example' } });
    expect(changed).toMatchObject({ status: 200, body: { rejected: [], details: { priority: 'P2', category: 'hardware', assignee: 'priya.nair@northwind.example' } } });
    expect(changed.body.applied).toHaveLength(3);
    const resolved = await api('PATCH', `/api/v1/tickets/${id}`, { body: { status: 'resolved' } });
    expect(resolved.body.details.status).toBe('resolved');
    // The lifecycle refuses resolved → awaiting-info, as it does by mail.
    const refused = await api('PATCH', `/api/v1/tickets/${id}`, { body: { status: 'awaiting-info' } });
    expect(refused).toMatchObject({ status: 422, body: { rejected: [expect.stringContaining('from resolved it can only move to open or closed')] } });
    const notStaff = await api('PATCH', `/api/v1/tickets/${id}`, { body: { assignee: 'mallory@evil.test' } });
    expect(notStaff).toMatchObject({ status: 422, body: { rejected: [expect.stringContaining('not a staff address')] } });
    expect((await api('PATCH', `/api/v1/tickets/${id}`, { body: {} })).status).toBe(400);
    expect((await api('PATCH', `/api/v1/tickets/${id}`, { body: { status: 'done' } })).body.errors[0].field).toBe('status');
    expect((await api('PATCH', '/api/v1/tickets/TKT-99999', { body: { status: 'open' } })).status).toBe(404);

    const { body: full } = await api('GET', `/api/v1/tickets/${id}`);
    const byKey = full.history.filter((e: { actor: string }) => e.actor === 'monitoring@api-key.invalid');
    expect(byKey.map((e: { kind: string; to: string }) => `${e.kind} ${e.to}`)).toEqual(['priority P2', 'category hardware', 'assignee priya.nair@northwind.example', 'status resolved']);
    // No command-result mail goes to the key's address: the answer was the response.
    expect(full.messages.filter((m: { to: string[] }) => m.to.some((t) => t.endsWith('.invalid')))).toEqual([]);
  });

  it('adds an internal note that staff hear of and the requester never gets', async () => {
    const { body } = await api('POST', '/api/v1/tickets', { body: { name: 'Kim', email: 'kim@example.org', subject: 'Monitor flickers', description: 'My second monitor flickers.' } });
    const noted = await api('POST', `/api/v1/tickets/${body.ticket}/notes`, { body: { text: 'Cable swap scheduled for Tuesday.' } });
    expect(noted).toMatchObject({ status: 201, body: { ticket: body.ticket, outcome: 'appended' } });
    const { body: full } = await api('GET', `/api/v1/tickets/${body.ticket}`);
    expect(full.messages.find((m: { role: string }) => m.role === 'note')).toMatchObject({ text: 'Cable swap scheduled for Tuesday.' });
    const toRequester = full.messages.filter((m: { direction: string; to: string[] }) => m.direction === 'outbound' && m.to.includes('kim@example.org'));
    // Only the first answer to the request (an ack, or the ask for missing details); nothing of the note.
    expect(toRequester).toHaveLength(1);
    expect(toRequester[0].text).not.toContain('Cable swap');
    expect(full.messages.filter((m: { role: string }) => m.role === 'note-notification')).toHaveLength(1);
    expect((await api('POST', `/api/v1/tickets/${body.ticket}/notes`, { body: { text: '  ' } })).status).toBe(400);
    expect((await api('POST', '/api/v1/tickets/TKT-99999/notes', { body: { text: 'x' } })).status).toBe(404);
  });

  it('lists tickets latest activity first, filtered, a page at a time by cursor', async () => {
    for (const n of [1, 2, 3]) await api('POST', '/api/v1/tickets', { body: { name: 'Lister', email: 'lister@example.org', subject: `Request ${n} about the VPN`, description: `VPN request number ${n}` } });
    const first = await api('GET', '/api/v1/tickets?requester=lister@example.org&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.tickets.map((t: { subject: string }) => t.subject)).toEqual(['Request 3 about the VPN', 'Request 2 about the VPN']);
    const second = await api('GET', `/api/v1/tickets?requester=lister@example.org&limit=2&cursor=${first.body.next}`);
    expect(second.body).toMatchObject({ tickets: [{ subject: 'Request 1 about the VPN' }], next: null });
    const resolved = await api('GET', '/api/v1/tickets?status=resolved');
    expect(resolved.body.tickets.every((t: { status: string }) => t.status === 'resolved')).toBe(true);
    expect(resolved.body.tickets.length).toBeGreaterThan(0);
    expect((await api('GET', '/api/v1/tickets?stale=true')).body.tickets).toEqual([]);
    expect((await api('GET', '/api/v1/tickets?colour=red')).body.errors).toEqual([{ field: 'colour', message: 'unknown field' }]);
    expect((await api('GET', '/api/v1/tickets?cursor=bogus')).status).toBe(400);
    expect((await api('GET', '/api/v1/tickets/TKT-99999')).status).toBe(404);
  });

  it('answers unknown paths with problem+json', async () => {
    const response = await fetch(`${serving.webUrl}/api/v1/nothing`, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('has exercised every route the document names', () => {
    const routes = Object.entries(openapi.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect([...exercised.keys()].sort()).toEqual(routes.sort());
  });
});
