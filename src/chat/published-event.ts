/**
 * A published event read back from the topic (an SNS record's Message): checked for the fields
 * the chat adapter relies on, so a foreign or garbled message is named and dropped, not posted.
 */
import * as z from 'zod';
import type { PublishedEvent } from '../pipeline/ticket-events.js';

const common = { id: z.string().min(1), why: z.string(), at: z.string() };
const ticketEvent = z.object({
  ...common,
  type: z.enum(['ticket.created', 'ticket.updated', 'ticket.stale']),
  ticketId: z.string().min(1),
  subject: z.string(),
  status: z.string(),
  priority: z.string().nullable(),
  category: z.string().nullable(),
  requester: z.string(),
  assignee: z.string().nullable(),
});
const incidentEvent = z.object({
  ...common,
  type: z.enum(['incident.opened', 'incident.updated']),
  incidentId: z.string().min(1),
  title: z.string(),
  tickets: z.array(z.string()),
  reporters: z.number().int().min(0),
  ticketId: z.string(),
});
const digestEvent = z.object({
  ...common,
  type: z.literal('digest.sent'),
  subject: z.string(),
  stale: z.number().int().min(0),
  unreachable: z.number().int().min(0),
  undelivered: z.number().int().min(0),
  openIncidents: z.number().int().min(0),
  top: z.array(z.object({ ticketId: z.string(), subject: z.string(), priority: z.string().nullable(), idleHours: z.number() })),
});
// Fields are only ever added to the contract: unknown ones pass through (loose objects).
const publishedEventSchema = z.discriminatedUnion('type', [ticketEvent.loose(), incidentEvent.loose(), digestEvent.loose()]);

export function publishedEventOf(message: string): { ok: true; event: PublishedEvent } | { ok: false; why: string } {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { ok: false, why: 'not JSON' };
  }
  const parsed = publishedEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, why: `${issue.path.join('.') || 'the message'}: ${issue.message}` };
  }
  return { ok: true, event: parsed.data as PublishedEvent };
}
