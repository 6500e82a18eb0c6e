/**
 * The REST API (`/api/v1`), for monitoring tools and scripts: JSON in and out, an API key as a
 * bearer token, errors as RFC 9457 problem details, every input checked by its zod schema, which
 * is also the OpenAPI document (`/api/openapi.json`). What changes a ticket is written as a mail
 * and goes through the pipeline: a new ticket as a web-typed request, a change as the staff
 * commands a mail would carry (#status, #priority, #category, #assign, #note), so lifecycle rules,
 * history and notifications are the ones mail gets.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { apiKeyActor } from '../domain/receipt.js';
import { parseTicketId, type Ticket } from '../domain/ticket.js';
import type { TicketEvent } from '../domain/lifecycle.js';
import { cursorToPosition, findTickets, positionToCursor } from '../pipeline/find-tickets.js';
import type { InboundResult } from '../pipeline/inbound.js';
import { requireApiKey } from './api-auth.js';
import { API_ROUTES as routes, type ApiEnv as Env } from './api-routes.js';
import type { WebDeps } from './deps.js';
import { fieldErrors, problem } from './problem.js';
import { requestProblems } from './ticket-request.js';
import { deliverWebMail } from './web-mail.js';

/** Index reads per page of the listing: a filter that matches little returns a short page and a `next`. */
const LIST_READS = 4;

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
        proof: { kind: 'typed', apiKey: c.get('apiKeyName') },
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
    const from = q.cursor === undefined ? null : cursorToPosition(q.cursor);
    if (q.cursor !== undefined && from === null) return problem(c, 400, 'The cursor is not one this API gave out.', { errors: [{ field: 'cursor', message: 'unknown cursor' }] }) as never;
    const requester = q.requester?.trim().toLowerCase();
    const found = await findTickets(deps.ports.store, {
      matches: (t) =>
        (!q.status || t.status === q.status) &&
        (!q.priority || t.priority === q.priority) &&
        (!q.category || t.category === q.category) &&
        (!requester || t.requester === requester) &&
        (q.stale === undefined || t.stale === (q.stale === 'true')),
      from,
      want: q.limit ?? 50,
      maxReads: LIST_READS,
    });
    const [page, next] = [found.tickets, found.next ? positionToCursor(found.next) : null];
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
    incident: t.incident ?? null,
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

