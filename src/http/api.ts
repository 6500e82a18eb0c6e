/**
 * The REST API (`/api/v1`), for monitoring tools and scripts: JSON in and out, an API key as a
 * bearer token, errors as RFC 9457 problem details, every input checked by its zod schema, which
 * is also the OpenAPI document (`/api/openapi.json`). What changes a ticket is written as a mail
 * and goes through the pipeline: a new ticket as a web-typed request, a change as the staff
 * commands a mail would carry (#status, #priority, #category, #assign, #note), so lifecycle rules,
 * history and notifications are the ones mail gets.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { apiKeyActor } from '../domain/receipt.js';
import { parseTicketId, type Ticket, type TicketStatus } from '../domain/ticket.js';
import type { TicketEvent } from '../domain/lifecycle.js';
import type { InboundResult } from '../pipeline/inbound.js';
import { hashApiKey, looksLikeApiKey } from './api-keys.js';
import type { WebDeps } from './deps.js';
import { fieldErrors, problem, problemSchema } from './problem.js';
import { overLimit, secondsToNextHour } from './rate-limits.js';
import { requestProblems, ticketRequestSchema } from './ticket-request.js';
import { deliverWebMail } from './web-mail.js';

type Env = { Variables: { apiKeyName: string } };

const STATUSES = ['open', 'awaiting-info', 'waiting-on-requester', 'resolved', 'closed'] as const satisfies readonly TicketStatus[];
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;

const ticketSchema = z
  .object({
    ticket: z.string().openapi({ example: 'TKT-42' }),
    subject: z.string(),
    status: z.enum(STATUSES),
    priority: z.string().nullable(),
    category: z.string().nullable(),
    requester: z.string(),
    requesterName: z.string(),
    assignee: z.string().nullable(),
    /** Opened from the web or the API, and the requester has not yet opened the link we mailed them. */
    unverified: z.boolean(),
    stale: z.boolean(),
    missing: z.array(z.string()),
    triageReasons: z.array(z.string()),
    linkedTo: z.string().nullable(),
    createdAt: z.string(),
    lastActivityAt: z.string(),
  })
  .openapi('Ticket');

const messageSchema = z
  .object({
    at: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    from: z.string(),
    to: z.array(z.string()),
    role: z.string().openapi({ description: 'request, reply, staff-reply, note, ack, relay, …' }),
    subject: z.string(),
    text: z.string().openapi({ description: 'What was written, without quotes and signature (a long text is cut; the whole is kept).' }),
    attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), size: z.number() })),
  })
  .openapi('Message');

const eventSchema = z
  .object({ at: z.string(), actor: z.string(), kind: z.string(), from: z.string().nullable(), to: z.string().nullable(), why: z.string() })
  .openapi('HistoryEntry');

const ticketIdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'TKT-42' }) });
const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { in: 'header' }, description: 'The same key sent again (a retry) makes no second ticket or change: the first one is answered.' }),
});

const problemResponse = (description: string) => ({ content: { 'application/problem+json': { schema: problemSchema } }, description });
const ERRORS = {
  400: problemResponse('The request is malformed, or a field is wrong or unknown (each is named in `errors`).'),
  401: problemResponse('No API key, or one that is unknown or revoked.'),
  429: problemResponse("The key's hourly request limit is reached; Retry-After says when it starts again."),
};

const changeSchema = z
  .object({
    status: z.enum(STATUSES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    category: z.string().min(1).max(60).regex(/^[\w-]+$/, 'expected a category name such as network').optional(),
    assignee: z.email().max(254).optional().openapi({ description: 'A staff address.' }),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'give at least one of status, priority, category, assignee' })
  .openapi('TicketChange');

const noteSchema = z.object({ text: z.string().trim().min(1, 'the note is empty').max(20_000) }).strict().openapi('Note');

const listQuery = z
  .object({
    status: z.enum(STATUSES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    category: z.string().max(60).optional(),
    requester: z.string().max(254).optional().openapi({ description: "The requester's address." }),
    stale: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional().openapi({ description: 'Tickets per page, 50 unless given.' }),
    cursor: z.string().max(40).optional().openapi({ description: 'The `next` of the page before.' }),
  })
  .strict();

const commandsSchema = z.object({ applied: z.array(z.string()), rejected: z.array(z.string()) });

const routes = {
  create: createRoute({
    method: 'post',
    path: '/api/v1/tickets',
    summary: 'Open a ticket, as if the requester had written to the support address',
    description: 'The request goes through the mail pipeline: triage, missing-information asks, the acknowledgement (with the status link) and the staff notice. The address is not proven: the ticket is marked unverified until its requester opens the link in the acknowledgement.',
    request: { body: { content: { 'application/json': { schema: ticketRequestSchema.openapi('TicketRequest') } }, required: true }, headers: idempotencyHeader },
    responses: {
      201: { content: { 'application/json': { schema: z.object({ ticket: z.string(), outcome: z.string(), reason: z.string(), details: ticketSchema }) } }, description: 'The ticket was opened.' },
      200: { content: { 'application/json': { schema: z.object({ ticket: z.string(), outcome: z.string(), reason: z.string(), details: ticketSchema }) } }, description: 'The same Idempotency-Key opened this ticket before.' },
      202: { content: { 'application/json': { schema: z.object({ ticket: z.null(), outcome: z.string(), reason: z.string() }) } }, description: 'Taken, but no ticket yet: held for a person to look at (the reason says why).' },
      ...ERRORS,
    },
  }),
  list: createRoute({
    method: 'get',
    path: '/api/v1/tickets',
    summary: 'List tickets, newest first',
    request: { query: listQuery },
    responses: {
      200: { content: { 'application/json': { schema: z.object({ tickets: z.array(ticketSchema), next: z.string().nullable() }) } }, description: 'A page of tickets; `next` is the cursor of the following page, null on the last.' },
      ...ERRORS,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/tickets/{id}',
    summary: 'One ticket: its details, its messages and its history',
    request: { params: ticketIdParam },
    responses: {
      200: { content: { 'application/json': { schema: z.object({ details: ticketSchema, messages: z.array(messageSchema), history: z.array(eventSchema) }) } }, description: 'The ticket.' },
      404: problemResponse('No such ticket.'),
      ...ERRORS,
    },
  }),
  change: createRoute({
    method: 'patch',
    path: '/api/v1/tickets/{id}',
    summary: "Change a ticket's status, priority, category or assignee",
    description: 'Applied as the staff commands #status, #priority, #category and #assign by the API key, with the same lifecycle rules and history entries. What the rules refuse is listed in `rejected`; when nothing could be applied the answer is 422.',
    request: { params: ticketIdParam, body: { content: { 'application/json': { schema: changeSchema } }, required: true }, headers: idempotencyHeader },
    responses: {
      200: { content: { 'application/json': { schema: commandsSchema.extend({ details: ticketSchema }) } }, description: 'What was applied (and anything refused).' },
      404: problemResponse('No such ticket.'),
      422: problemResponse('Nothing was applied: the lifecycle or the values refused every change (each reason in `rejected`).'),
      ...ERRORS,
    },
  }),
  note: createRoute({
    method: 'post',
    path: '/api/v1/tickets/{id}/notes',
    summary: 'Add an internal note (staff see it; the requester never does)',
    request: { params: ticketIdParam, body: { content: { 'application/json': { schema: noteSchema } }, required: true }, headers: idempotencyHeader },
    responses: {
      201: { content: { 'application/json': { schema: z.object({ ticket: z.string(), outcome: z.string(), details: ticketSchema }) } }, description: 'The note is on the ticket, and staff were told.' },
      404: problemResponse('No such ticket.'),
      ...ERRORS,
    },
  }),
};

export function apiRoutes(deps: WebDeps): OpenAPIHono<Env> {
  const { config } = deps;
  const app = new OpenAPIHono<Env>({
    defaultHook: (result, c) => {
      if (!result.success) return problem(c, 400, 'The request has fields that are wrong or unknown.', { errors: fieldErrors(result.error.issues) });
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: 'A key made with `ticketing api-key create --name NAME`.' });

  app.use('/api/v1/*', requireApiKey(deps));
  app.use('/api/v1/*', async (c, next) => {
    if (c.req.method !== 'GET' && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(c.req.header('content-type') ?? '')) return problem(c, 415, 'Send the body as JSON, with Content-Type: application/json.');
    return next();
  });

  app.openapi({ ...routes.create, security: [{ apiKey: [] }] }, async (c) => {
    const request = c.req.valid('json');
    const problems = requestProblems(request, config);
    if (problems.length) return problem(c, 400, 'The request has fields that are wrong.', { errors: problems }) as never;
    const key = c.req.valid('header')['idempotency-key'];
    const result = await deliverWebMail(
      {
        source: 'api',
        proof: { kind: 'typed' },
        from: { name: request.name, address: request.email },
        subject: request.subject,
        text: request.description,
        ...(key ? { sameAs: `create/${c.get('apiKeyName')}/${key}` } : {}),
      },
      deps.ports,
      config,
    );
    deps.log(`API key ${c.get('apiKeyName')}: new request: ${result.ticket ? `${result.ticket} ` : ''}${result.outcome}: ${result.reason}`);
    const ticket = await ticketOfResult(result, deps);
    if (!ticket) return c.json({ ticket: null, outcome: result.outcome, reason: result.reason }, 202);
    return c.json({ ticket: ticket.id, outcome: result.outcome, reason: result.reason, details: ticketView(ticket) }, result.outcome === 'created' ? 201 : 200);
  });

  app.openapi({ ...routes.list, security: [{ apiKey: [] }] }, async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor === undefined ? null : cursorNumber(q.cursor);
    if (q.cursor !== undefined && after === null) return problem(c, 400, 'The cursor is not one this API gave out.', { errors: [{ field: 'cursor', message: 'unknown cursor' }] }) as never;
    const limit = q.limit ?? 50;
    const requester = q.requester?.trim().toLowerCase();
    const matching = (await deps.ports.store.listTickets())
      .filter(
        (t) =>
          (!q.status || t.status === q.status) &&
          (!q.priority || t.priority === q.priority) &&
          (!q.category || t.category === q.category) &&
          (!requester || t.requester === requester) &&
          (q.stale === undefined || t.stale === (q.stale === 'true')) &&
          (after === null || t.number < after),
      )
      .sort((a, b) => b.number - a.number);
    const page = matching.slice(0, limit);
    const next = matching.length > limit ? cursorOf(page[page.length - 1]!.number) : null;
    return c.json({ tickets: page.map(ticketView), next }, 200);
  });

  app.openapi({ ...routes.get, security: [{ apiKey: [] }] }, async (c) => {
    const ticket = await ticketById(c.req.valid('param').id, deps);
    if (!ticket) return notFound(c, c.req.valid('param').id) as never;
    const [messages, events] = await Promise.all([deps.ports.store.listMessages(ticket.key), deps.ports.store.listEvents(ticket.key)]);
    return c.json(
      {
        details: ticketView(ticket),
        messages: messages.map((m) => ({ at: m.receivedAt, direction: m.direction, from: m.from, to: m.to, role: m.role, subject: m.subject, text: m.visibleText, attachments: m.attachments.map(({ filename, contentType, size }) => ({ filename, contentType, size })) })),
        history: events.map(eventView),
      },
      200,
    );
  });

  app.openapi({ ...routes.change, security: [{ apiKey: [] }] }, async (c) => {
    const ticket = await ticketById(c.req.valid('param').id, deps);
    if (!ticket) return notFound(c, c.req.valid('param').id) as never;
    const change = c.req.valid('json');
    const lines = [
      change.status ? `#status ${change.status}` : null,
      change.priority ? `#priority ${change.priority}` : null,
      change.category ? `#category ${change.category}` : null,
      change.assignee ? `#assign ${change.assignee}` : null,
    ].filter((l): l is string => l !== null);
    const result = await staffMail(c, ticket, lines.join('\n'), deps);
    const commands = result.commands ?? { applied: [], rejected: [] };
    const after = (await ticketOfResult(result, deps)) ?? ticket;
    if (!commands.applied.length && commands.rejected.length) {
      return problem(c, 422, `Nothing was changed on ${ticket.id}: ${commands.rejected.join('; ')}`, { rejected: commands.rejected }) as never;
    }
    return c.json({ applied: commands.applied, rejected: commands.rejected, details: ticketView(after) }, 200);
  });

  app.openapi({ ...routes.note, security: [{ apiKey: [] }] }, async (c) => {
    const ticket = await ticketById(c.req.valid('param').id, deps);
    if (!ticket) return notFound(c, c.req.valid('param').id) as never;
    const result = await staffMail(c, ticket, `#note\n${c.req.valid('json').text}`, deps);
    const after = (await ticketOfResult(result, deps)) ?? ticket;
    return c.json({ ticket: after.id, outcome: result.outcome, details: ticketView(after) }, 201);
  });

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: `${config.teamName} tickets API`,
      version: '1.0.0',
      description: 'Open, list, read and update tickets. Every change goes through the same pipeline and rules as mail.',
    },
    servers: [{ url: config.web.baseUrl }],
  });
  return app;
}

/** A change by API key: the commands as a staff mail on the ticket's thread, from the key. */
function staffMail(c: Context<Env>, ticket: Ticket, text: string, deps: WebDeps): Promise<InboundResult> {
  const name = c.get('apiKeyName');
  const key = c.req.header('idempotency-key');
  return deliverWebMail(
    {
      source: 'api',
      proof: { kind: 'api-key', name },
      from: { name: `API key ${name}`, address: apiKeyActor(name) },
      subject: `Re: [${ticket.id}] ${ticket.subject}`,
      text,
      inReplyTo: ticket.originMessageId,
      ...(key ? { sameAs: `${c.req.method} ${c.req.path}/${name}/${key}` } : {}),
    },
    deps.ports,
    deps.config,
  ).then((result) => {
    deps.log(`API key ${name} on ${ticket.id}: ${result.outcome}: ${result.reason}`);
    return result;
  });
}

/** Bearer API keys: the store keeps hashes only; a revoked key is refused like an unknown one. */
function requireApiKey(deps: WebDeps): MiddlewareHandler<Env> {
  return async (c, next) => {
    const challenge = { 'WWW-Authenticate': 'Bearer realm="tickets"' };
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return problem(c, 401, 'Send an API key: Authorization: Bearer <key>.', {}, challenge);
    const key = match[1]!;
    const record = looksLikeApiKey(key) ? await deps.apiKeys.apiKeyByHash(hashApiKey(key)) : null;
    if (!record || record.revokedAt) return problem(c, 401, 'That API key is unknown or has been revoked.', {}, challenge);
    const now = deps.ports.clock.now();
    if (await overLimit(deps.ports.store, [{ scope: `api-key#${record.name}`, max: deps.config.web.apiPerKeyPerHour }], now)) {
      return problem(c, 429, `API key ${record.name} has made ${deps.config.web.apiPerKeyPerHour} requests this hour.`, {}, { 'Retry-After': String(secondsToNextHour(now)) });
    }
    c.set('apiKeyName', record.name);
    return next();
  };
}

export function ticketView(t: Ticket) {
  return {
    ticket: t.id,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    category: t.category,
    requester: t.requester,
    requesterName: t.requesterName,
    assignee: t.assignee,
    unverified: t.unverified === true,
    stale: t.stale,
    missing: t.missing,
    triageReasons: t.triageReasons,
    linkedTo: t.linkedTo,
    createdAt: t.createdAt,
    lastActivityAt: t.lastActivityAt,
  };
}

function eventView(e: TicketEvent) {
  return { at: e.at, actor: e.actor, kind: e.kind, from: e.from, to: e.to, why: e.why };
}

async function ticketById(id: string, deps: WebDeps): Promise<Ticket | null> {
  const number = parseTicketId(deps.config.ticketPrefix, id);
  return number === null ? null : deps.ports.store.getTicketById(number);
}

async function ticketOfResult(result: InboundResult, deps: WebDeps): Promise<Ticket | null> {
  return result.ticket ? ticketById(result.ticket, deps) : null;
}

function notFound(c: Context, id: string): Response {
  return problem(c, 404, `There is no ticket ${id}.`);
}

function cursorOf(number: number): string {
  return Buffer.from(`n:${number}`).toString('base64url');
}

function cursorNumber(cursor: string): number | null {
  const match = /^n:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? Number(match[1]) : null;
}
