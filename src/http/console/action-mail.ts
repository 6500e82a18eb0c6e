/**
 * What a console form asks for, as the text of a staff mail: the answer, the note (#note), or
 * the staff commands for the fields that changed (#status, #priority, #category, #assign, #merge).
 * Each value is checked against its known words first, so nothing typed becomes a command line.
 */
import type { Config } from '../../config.js';
import { formatTicketId, parseTicketId, TICKET_STATUSES, type Ticket } from '../../domain/ticket.js';
import { PRIORITIES } from '../../domain/triage/schema.js';

const STATUSES = new Set<string>(TICKET_STATUSES);
const PRIORITY_SET = new Set<string>(PRIORITIES);

export function actionMail(body: Record<string, unknown>, ticket: Ticket, staff: string, config: Config): { text: string } | { refused: string } {
  const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  const action = field('action');
  if (action === 'reply' || action === 'note') {
    const text = field('text');
    if (!text) return { refused: action === 'reply' ? 'write the answer first' : 'write the note first' };
    return { text: action === 'note' ? `#note\n${text}` : text };
  }
  if (action !== 'change') return { refused: 'the form did not say what to do' };
  const categories = new Set([...config.triage.categories.map((c) => c.name), config.triage.fallbackCategory]);
  const staffAddresses = new Set([staff, ...config.staff.addresses]);
  const lines: string[] = [];
  const status = field('status');
  if (status && status !== ticket.status) {
    if (!STATUSES.has(status)) return { refused: `"${status}" is not a status` };
    lines.push(`#status ${status}`);
  }
  const priority = field('priority');
  if (priority && priority !== ticket.priority) {
    if (!PRIORITY_SET.has(priority)) return { refused: `"${priority}" is not a priority` };
    lines.push(`#priority ${priority}`);
  }
  const category = field('category');
  if (category && category !== ticket.category) {
    if (!categories.has(category)) return { refused: `"${category}" is not a category` };
    lines.push(`#category ${category}`);
  }
  const assignee = field('assignee').toLowerCase();
  if (assignee && assignee !== ticket.assignee) {
    if (!staffAddresses.has(assignee)) return { refused: `${assignee} is not a staff address` };
    lines.push(assignee === staff ? '#assign me' : `#assign ${assignee}`);
  }
  const merge = field('merge');
  if (merge) {
    const number = parseTicketId(config.ticketPrefix, merge) ?? (/^\d{1,9}$/.test(merge) ? Number(merge) : null);
    if (number === null) return { refused: `"${merge}" is not a ticket id like ${config.ticketPrefix}-7` };
    lines.push(`#merge ${formatTicketId(config.ticketPrefix, number)}`);
  }
  if (!lines.length) return { refused: 'nothing was changed in the form' };
  return { text: lines.join('\n') };
}
