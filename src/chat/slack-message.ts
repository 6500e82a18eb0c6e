/**
 * A published event as a Slack message (Block Kit): what an incoming webhook or chat.postMessage
 * takes. Pure.
 *
 * Text that came from mail (subjects, excerpts, addresses, incident titles) cannot ping, link or
 * format: it is escaped as Slack's "Escaping text" asks (&, <, > as entities, in every text
 * object: https://docs.slack.dev/messaging/formatting-message-text#escaping), free text goes in
 * plain_text objects (no formatting at all), and mrkdwn objects that carry any of it are
 * `verbatim` (no auto-linked URLs, channel names or mentions). Lengths are cut to Block Kit's
 * limits with an ellipsis.
 */
import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, MrkdwnElement, PlainTextElement, PlainTextOption, SectionBlock, StaticSelect } from '@slack/types';
import type { DigestEventMessage, IncidentEventMessage, PublishedEvent, TicketEventMessage } from '../pipeline/ticket-events.js';
import {
  PRIORITIES,
  assigneeWords,
  categoryWords,
  cut,
  digestCounts,
  eventHeading,
  idleWords,
  oneLine,
  priorityWords,
  reportWords,
  statusWords,
  summaryLine,
  ticketLink,
  updateLines,
  updateSummary,
} from './event-words.js';
import { SLACK_ACTIONS } from './slack-actions.js';
import type { ChatView } from './view.js';

export interface SlackMessage {
  /** The one-line fallback notifications and screen readers show. */
  text: string;
  blocks: KnownBlock[];
}

/** Block Kit's limits (https://docs.slack.dev/reference/block-kit/blocks and …/block-elements). */
const LIMIT = { header: 150, sectionText: 3000, field: 2000, contextText: 3000, buttonText: 75, optionText: 75 } as const;
/** How much of the requester's text a new-ticket message shows. */
const EXCERPT_CHARS = 500;
/** How many of an incident's tickets are listed by id. */
const LISTED_TICKETS = 15;

export function slackMessage(event: PublishedEvent, view: ChatView, placement: { inThread: boolean }): SlackMessage {
  const text = fitted(summaryLine(event), 3000, escapeSlack);
  switch (event.type) {
    case 'ticket.created':
      return { text, blocks: ticketCard(event, view) };
    case 'ticket.updated':
    case 'ticket.stale':
      return { text, blocks: placement.inThread ? ticketReply(event) : ticketCard(event, view) };
    case 'incident.opened':
    case 'incident.updated':
      return { text, blocks: placement.inThread ? incidentReply(event, view) : incidentCard(event, view) };
    case 'digest.sent':
      return { text, blocks: digestCard(event, view) };
  }
}

/** The full message about a ticket: what happened, its facts, the requester's words, a link, the buttons. */
function ticketCard(event: TicketEventMessage, view: ChatView): KnownBlock[] {
  const blocks: KnownBlock[] = [header(`${ticketEmoji(event)} ${event.ticketId} · ${oneLine(event.subject) || '(no subject)'}`), context(mrkdwn(ticketLead(event)))];
  if (event.type === 'ticket.updated') blocks.push(section(mrkdwn(changesText(event))));
  blocks.push({
    type: 'section',
    fields: [
      mrkdwn(`*Priority*\n${escapeSlack(priorityWords(event.priority))}`),
      mrkdwn(`*Category*\n${fitted(categoryWords(event.category), 200, mrkdwnText)}`),
      mrkdwn(`*Requester*\n${fitted(event.requester, 300, mrkdwnText)}`),
      mrkdwn(`*Status*\n${escapeSlack(statusWords(event.status))}`),
      mrkdwn(`*Assignee*\n${fitted(assigneeWords(event.assignee), 300, mrkdwnText)}`),
    ],
  } satisfies SectionBlock);
  const excerpt = oneLine(event.excerpt ?? '');
  if (event.type === 'ticket.created' && excerpt) blocks.push(section(plain(`“${cut(excerpt, EXCERPT_CHARS)}”`)));
  blocks.push(context(mrkdwn(ticketLinkText(event.ticketId, view))));
  if (view.interactive) blocks.push(ticketActions({ id: event.ticketId, status: event.status, priority: event.priority, assignee: event.assignee }));
  return blocks;
}

function ticketEmoji(event: TicketEventMessage): string {
  if (event.priority === 'P1' && event.type !== 'ticket.stale') return '🚨';
  return { 'ticket.created': '🎫', 'ticket.updated': '✏️', 'ticket.stale': '⏳' }[event.type];
}

/** The line under the header: what happened (the facts below say the rest). */
function ticketLead(event: TicketEventMessage): string {
  switch (event.type) {
    case 'ticket.created':
      return event.priority === 'P1' ? '*Urgent new ticket* (P1)' : '*New ticket*';
    case 'ticket.updated':
      return '*Ticket updated*';
    case 'ticket.stale':
      return `*No activity for ${idleWords(event.idleHours ?? 0)}*`;
  }
}

/** A short reply under the ticket's first message: just what changed. */
function ticketReply(event: TicketEventMessage): KnownBlock[] {
  if (event.type === 'ticket.stale') {
    const who = event.assignee ? `assigned to ${fitted(event.assignee, 300, mrkdwnText)}` : 'nobody is assigned';
    return [section(mrkdwn(`⏳ No activity on ${event.ticketId} for ${idleWords(event.idleHours ?? 0)}. Status: ${escapeSlack(statusWords(event.status))}, ${who}.`))];
  }
  return [section(mrkdwn(`✏️ ${changesText(event)}`))];
}

/** "*Changed by lee@…*" and the changes, one per line. */
function changesText(event: TicketEventMessage): string {
  const { who, lines } = updateSummary(event);
  const escaped = lines.map((line) => mrkdwnText(oneLine(line)));
  const list = escaped.length === 1 && !who ? escaped[0]! : escaped.map((line) => `• ${line}`).join('\n');
  return fitted(who ? `*${mrkdwnText(who)}*\n${list}` : list, LIMIT.sectionText - 10, (s) => s);
}

function ticketLinkText(ticketId: string, view: ChatView): string {
  const link = ticketLink(view, ticketId);
  if (link.kind === 'console') return `<${slackUrl(link.url)}|Open ${ticketId} in the console>`;
  return `Reply on ${ticketId} by writing to <${slackUrl(link.url)}|${escapeSlack(link.address)}>`;
}

/**
 * Assign to me, Resolve (asks first; not on a ticket resolved or closed), Set priority: each a
 * staff command when pressed. Values: the ticket id; the select's `TKT-42:P1`.
 */
export function ticketActions(ticket: { id: string; status: string; priority: string | null; assignee: string | null }): ActionsBlock {
  const { id } = ticket;
  const elements: (Button | StaticSelect)[] = [
    { type: 'button', action_id: SLACK_ACTIONS.assignMe, text: plain('Assign to me'), value: id, ...(ticket.assignee ? {} : { style: 'primary' as const }) },
  ];
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') {
    elements.push({
      type: 'button',
      action_id: SLACK_ACTIONS.resolve,
      text: plain('Resolve'),
      value: id,
      confirm: {
        title: plain(cut(`Resolve ${id}?`, 100)),
        text: plain(`${id} will be marked resolved. If the requester writes back soon after, it opens again.`),
        confirm: plain('Resolve'),
        deny: plain('Cancel'),
      },
    });
  }
  const options: PlainTextOption[] = PRIORITIES.map((p) => ({ text: plain(priorityWords(p)), value: `${id}:${p}` }));
  const current = options.find((o) => o.value === `${id}:${ticket.priority}`);
  elements.push({ type: 'static_select', action_id: SLACK_ACTIONS.priority, placeholder: plain('Set priority'), options, ...(current ? { initial_option: current } : {}) });
  return { type: 'actions', block_id: cut(`ticket_actions:${id}`, 255), elements };
}

function incidentCard(event: IncidentEventMessage, view: ChatView): KnownBlock[] {
  const blocks: KnownBlock[] = [
    header(`🔥 ${event.incidentId} · ${oneLine(event.title) || '(no title)'}`),
    context(mrkdwn(`*${eventHeading(event)}* · ${reportWords(event)}`)),
    section(mrkdwn(`*Reports:* ${ticketList(event.tickets, view)}`)),
  ];
  if (event.why.trim()) blocks.push(context(mrkdwn(fitted(oneLine(event.why), LIMIT.contextText, mrkdwnText))));
  blocks.push(context(mrkdwn(incidentLinkText(event, view))));
  return blocks;
}

function incidentReply(event: IncidentEventMessage, view: ChatView): KnownBlock[] {
  const latest = event.ticketId ? ` Latest: ${ticketRef(event.ticketId, view)}.` : '';
  return [section(mrkdwn(`🔥 ${event.incidentId} now has ${reportWords(event)}.${latest}\n${fitted(oneLine(event.why), 1000, mrkdwnText)}`))];
}

function incidentLinkText(event: IncidentEventMessage, view: ChatView): string {
  const url = view.incidentUrl(event.incidentId);
  if (url) return `<${slackUrl(url)}|Open ${event.incidentId} in the console>`;
  return event.ticketId ? ticketLinkText(event.ticketId, view) : `${event.incidentId} is tracked by mail`;
}

/** Ticket ids, each linked to its console page when there is one; long lists end "and 12 more". */
function ticketList(ids: string[], view: ChatView): string {
  if (ids.length === 0) return 'none yet';
  const shown = ids.slice(0, LISTED_TICKETS).map((id) => ticketRef(id, view));
  const more = ids.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

function ticketRef(id: string, view: ChatView): string {
  const url = view.consoleUrl(id);
  return url ? `<${slackUrl(url)}|${escapeSlack(id)}>` : escapeSlack(id);
}

function digestCard(event: DigestEventMessage, view: ChatView): KnownBlock[] {
  const blocks: KnownBlock[] = [
    header('📋 Daily digest'),
    { type: 'section', fields: digestCounts(event).map(([label, n]) => mrkdwn(`*${label}*\n${n}`)) } satisfies SectionBlock,
  ];
  if (event.top.length) {
    const lines = event.top.map((t) => `• ${ticketRef(t.ticketId, view)} · ${escapeSlack(priorityWords(t.priority))} · idle ${idleWords(t.idleHours)} · ${mrkdwnText(cut(oneLine(t.subject) || '(no subject)', 120))}`);
    blocks.push(section(mrkdwn(fitted(`*Idle longest*\n${lines.join('\n')}`, LIMIT.sectionText, (s) => s))));
  }
  blocks.push(context(mrkdwn(`The full digest went to IT by mail: “${fitted(oneLine(event.subject), 300, mrkdwnText)}”`)));
  return blocks;
}

// Block builders: text objects with received text are verbatim (nothing auto-linked or mentioned).

function header(text: string): HeaderBlock {
  return { type: 'header', text: plain(fitted(text, LIMIT.header, escapeSlack), true) };
}

function section(text: MrkdwnElement | PlainTextElement): SectionBlock {
  return { type: 'section', text };
}

function context(element: MrkdwnElement): ContextBlock {
  return { type: 'context', elements: [element] };
}

/** Already escaped mrkdwn. */
export function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** plain_text; `escaped` when the caller already escaped it. */
export function plain(text: string, escaped = false): PlainTextElement {
  return { type: 'plain_text', text: escaped ? text : escapeSlack(text), emoji: true };
}

/** &, < and > as entities: Slack's control characters, in every text object. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Received text inside mrkdwn: escaped, and its formatting marks swapped for look-alikes, since
 * mrkdwn has no way to escape them and a subject `*Pay now*` should not turn bold in our message.
 * An underscore only formats at a word's edge, so addresses like first_last@ keep theirs.
 */
export function mrkdwnText(text: string): string {
  return escapeSlack(text).replace(/\*/g, '∗').replace(/~/g, '∼').replace(/`/g, 'ˋ').replace(/(^|[\s(])_/g, '$1ˍ').replace(/_(?=$|[\s).,!?])/g, 'ˍ');
}

/** A URL inside `<url|label>`: entities for Slack's control characters, `|` percent-encoded. */
function slackUrl(url: string): string {
  return escapeSlack(url.replace(/\|/g, '%7C'));
}

/** Raw text cut so that, once escaped, it is at most `max` characters. */
function fitted(raw: string, max: number, escape: (s: string) => string): string {
  let budget = max;
  for (;;) {
    const out = escape(cut(raw, budget));
    if (out.length <= max || budget <= 1) return out;
    budget -= out.length - max;
  }
}
