/**
 * What /ticket answers with, as Slack Block Kit: one ticket's summary with the buttons (Assign to
 * me, Resolve, Set priority: the action ids of src/chat/slack-actions.ts), a short list of
 * tickets, the usage. The words and the escaping are the channel messages' own
 * (src/chat/event-words.ts, slack-message.ts): text from mail cannot ping, link or format.
 */
import type { KnownBlock } from '@slack/types';
import { assigneeWords, categoryWords, cut, idleWords, oneLine, PRIORITIES, priorityWords, statusWords, ticketLink } from '../../chat/event-words.js';
import { escapeSlack, mrkdwn, mrkdwnText, plain, ticketActions } from '../../chat/slack-message.js';
import type { ChatView } from '../../chat/view.js';
import { idleHours } from '../../domain/stale.js';
import { isOpen, type Ticket } from '../../domain/ticket.js';

/** A Slack message body for a slash command's answer or a response_url post. */
export interface SlackAnswer {
  response_type: 'ephemeral';
  text: string;
  blocks?: SlackBlock[];
}

// Block Kit is checked against Slack's own types in the tests (test/support/chat-schemas.ts).
export type SlackBlock = KnownBlock;

/** The most tickets a list shows; the rest are counted. */
export const LIST_MAX = 15;
const SUBJECT_CHARS = 120;
const HEADER_CHARS = 150;

/** Mail text on one line, cut so that, once escaped (for plain_text, or mrkdwnText for mrkdwn), it fits in `max` characters. */
function fit(text: string, max: number, escape: (s: string) => string): string {
  let raw = cut(oneLine(text), max);
  while (escape(raw).length > max) raw = cut(raw, raw.length - 1);
  return escape(raw);
}

// Text objects that carry mail text are verbatim: nothing in them is auto-linked or mentioned.
/** ticket-blocks escapes its own text first. */
const plainEscaped = (escapedText: string) => plain(escapedText, true);

function subjectOf(ticket: Ticket): string {
  return ticket.subject.trim() ? ticket.subject : '(no subject)';
}

/** The ticket's id, as a link to its console page when the console is on. */
function idLink(ticket: Ticket, view: ChatView): string {
  const link = ticketLink(view, ticket.id);
  return link.kind === 'console' ? `<${escapeSlack(link.url.replace(/\|/g, '%7C'))}|${ticket.id}>` : ticket.id;
}

/** Where the rest of the ticket is: its console page, or the address that writes on it. */
function whereToSee(ticket: Ticket, view: ChatView): string {
  const link = ticketLink(view, ticket.id);
  const url = escapeSlack(link.url.replace(/\|/g, '%7C'));
  return link.kind === 'console' ? `<${url}|Open ${ticket.id} in the staff console>` : `Write on ${ticket.id} by mailing <${url}|${escapeSlack(link.address)}>`;
}

/** A time Slack shows in each reader's own time zone, with a UTC fallback. */
function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${iso.slice(0, 16).replace('T', ' ')} UTC>`;
}

function quiet(ticket: Ticket, now: Date): string {
  const hours = idleHours(ticket, now);
  return hours < 1 ? 'active in the last hour' : `quiet for ${idleWords(hours)}`;
}

/** One ticket: its facts, the buttons while it is open, where to see the rest. */
export function ticketSummary(ticket: Ticket, view: ChatView): SlackAnswer {
  const field = (label: string, value: string) => mrkdwn(`*${label}*\n${value}`);
  const requester = ticket.requesterName ? `${ticket.requesterName} <${ticket.requester}>` : ticket.requester;
  const blocks: SlackBlock[] = [
    { type: 'header', text: plainEscaped(fit(`${ticket.id}: ${subjectOf(ticket)}`, HEADER_CHARS, escapeSlack)) },
    {
      type: 'section',
      fields: [
        field('Status', statusWords(ticket.status)),
        field('Priority', priorityWords(ticket.priority)),
        field('Category', fit(categoryWords(ticket.category), 200, mrkdwnText)),
        field('Requester', fit(requester, 500, mrkdwnText)),
        field('Assignee', fit(assigneeWords(ticket.assignee), 500, mrkdwnText)),
        field('Last activity', slackDate(ticket.lastActivityAt)),
      ],
    },
    ...(isOpen(ticket.status) ? [ticketActions(ticket)] : []),
    { type: 'context', elements: [mrkdwn(whereToSee(ticket, view))] },
  ];
  const text = `${ticket.id} · ${statusWords(ticket.status)} · ${priorityWords(ticket.priority)}: ${fit(subjectOf(ticket), SUBJECT_CHARS, escapeSlack)}`;
  return { response_type: 'ephemeral', text, blocks };
}

/** A list of tickets, at most LIST_MAX of them, the rest counted. `empty`: what to say when there are none. */
export function ticketList(title: string, tickets: Ticket[], view: ChatView, now: Date, empty: string): SlackAnswer {
  if (!tickets.length) return { response_type: 'ephemeral', text: empty, blocks: [{ type: 'section', text: mrkdwn(empty) }] };
  const shown = tickets.slice(0, LIST_MAX);
  const more = tickets.length - shown.length;
  const line = (t: Ticket) =>
    [
      `*${idLink(t, view)}* · ${priorityWords(t.priority)} · ${statusWords(t.status)} · ${fit(subjectOf(t), SUBJECT_CHARS, mrkdwnText)}`,
      `${fit(t.requester, 300, mrkdwnText)} · ${t.assignee ? `assigned to ${fit(t.assignee, 300, mrkdwnText)}` : 'unassigned'} · ${quiet(t, now)}`,
    ].join('\n');
  const blocks: SlackBlock[] = [
    { type: 'section', text: mrkdwn(`*${title}* (${tickets.length})`) },
    ...shown.map((t) => ({ type: 'section' as const, text: mrkdwn(line(t)) })),
    ...(more > 0 ? [{ type: 'context' as const, elements: [mrkdwn(`and ${more} more: the staff console lists them all`)] }] : []),
  ];
  return { response_type: 'ephemeral', text: `${title}: ${tickets.length}${more > 0 ? ` (the first ${shown.length} shown, and ${more} more)` : ''}`, blocks };
}

/** What the slash command does; `unknown`: what was typed that it did not understand. */
export function usage(typed: string, ticketPrefix: string, unknown?: string): SlackAnswer {
  const command = escapeSlack(oneLine(typed));
  const lines = [
    ...(unknown !== undefined ? [`"${fit(unknown, 100, mrkdwnText)}" is not something ${command} knows.`, ''] : []),
    `*${command}* shows help desk tickets; only you see the answer.`,
    `• \`${command} ${ticketPrefix}-42\` (or \`${command} 42\`): the ticket, with buttons to assign it to yourself, resolve it or set its priority`,
    `• \`${command} mine\`: the open tickets assigned to you`,
    `• \`${command} stale\`: the tickets that have waited too long, longest idle first`,
    `• \`${command} help\`: this text`,
  ];
  return { response_type: 'ephemeral', text: lines.join('\n').replace(/[*`]/g, ''), blocks: [{ type: 'section', text: mrkdwn(lines.join('\n')) }] };
}

/** A short answer in words, for a result or a refusal (escaped: it may quote what a mail said). */
export function sayEphemeral(text: string): SlackAnswer {
  return { response_type: 'ephemeral', text: escapeSlack(text) };
}
