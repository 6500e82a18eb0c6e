/**
 * The REST API's contract: every route with the zod schemas of what it takes and answers. The
 * same schemas check each request (unknown fields refused by name) and make the OpenAPI
 * document (`/api/openapi.json`); api.ts carries the routes out.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { TICKET_STATUSES } from '../domain/ticket.js';
import { PRIORITIES } from '../domain/triage/schema.js';
import { problemSchema } from './problem.js';
import { ticketRequestSchema } from './ticket-request.js';

/** What a request carries once its API key is checked. */
export type ApiEnv = { Variables: { apiKeyName: string } };

const STATUSES = TICKET_STATUSES;

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
    /** The incident it is part of (`INC-4`): an outage several people reported. */
    incident: z.string().nullable(),
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
    cursor: z.string().max(400).optional().openapi({ description: 'The `next` of the page before.' }),
  })
  .strict();

const commandsSchema = z.object({ applied: z.array(z.string()), rejected: z.array(z.string()) });

export const API_ROUTES = {
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
    summary: 'List tickets, latest activity first',
    description: 'Each page reads a bounded part of the index of tickets by last activity, so a filter that matches few tickets can give a page shorter than `limit` (even empty) with a `next`: follow `next` until it is null to see them all.',
    request: { query: listQuery },
    responses: {
      200: { content: { 'application/json': { schema: z.object({ tickets: z.array(ticketSchema), next: z.string().nullable() }) } }, description: 'A page of tickets; `next` is the cursor of the following page, null when no ticket is left to look at.' },
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

