/**
 * A published event as a Microsoft Teams message: an Adaptive Card (version 1.4) in the envelope
 * a Teams Workflows "When a Teams webhook request is received" trigger posts with "Post card in
 * a chat or channel" (https://learn.microsoft.com/en-us/connectors/teams/#microsoft-teams-webhook).
 * Pure.
 *
 * Only Action.OpenUrl: a Workflows webhook cannot send a button press back to us. TextBlock text
 * is a CommonMark subset (https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/text-features):
 * text that came from mail is escaped so that it cannot link, format or turn into a date function.
 */
import type { DigestEventMessage, IncidentEventMessage, PublishedEvent, TicketEventMessage } from '../pipeline/ticket-events.js';
import {
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
  updateSummary,
} from './event-words.js';
import type { ChatView } from './view.js';

export type AdaptiveCardElement = Record<string, unknown> & { type: string };

export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.4';
  /** What a client that cannot show the card shows instead. */
  fallbackText: string;
  body: AdaptiveCardElement[];
  actions?: AdaptiveCardElement[];
}

export interface TeamsMessage {
  type: 'message';
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: AdaptiveCardJson }];
}

/** How much of the requester's text a new-ticket card shows. */
const EXCERPT_CHARS = 500;
const LISTED_TICKETS = 15;

export function teamsMessage(event: PublishedEvent, view: ChatView): TeamsMessage {
  const content: AdaptiveCardJson = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    fallbackText: summaryLine(event),
    ...cardParts(event, view),
  };
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }] };
}

function cardParts(event: PublishedEvent, view: ChatView): Pick<AdaptiveCardJson, 'body' | 'actions'> {
  switch (event.type) {
    case 'ticket.created':
    case 'ticket.updated':
    case 'ticket.stale':
      return ticketCard(event, view);
    case 'incident.opened':
    case 'incident.updated':
      return incidentCard(event, view);
    case 'digest.sent':
      return digestCard(event, view);
  }
}

function ticketCard(event: TicketEventMessage, view: ChatView): Pick<AdaptiveCardJson, 'body' | 'actions'> {
  const urgent = event.priority === 'P1' && event.type !== 'ticket.stale';
  const kind = event.type === 'ticket.stale' ? `No activity for ${idleWords(event.idleHours ?? 0)}` : eventHeading(event);
  const emoji = urgent ? '🚨' : { 'ticket.created': '🎫', 'ticket.updated': '✏️', 'ticket.stale': '⏳' }[event.type];
  const body: AdaptiveCardElement[] = [
    textBlock(`${emoji} ${kind} · ${event.ticketId}`, { weight: 'bolder', color: urgent ? 'attention' : event.type === 'ticket.stale' ? 'warning' : 'accent', spacing: 'none' }),
    textBlock(cardText(cut(oneLine(event.subject) || '(no subject)', 300)), { size: 'large', weight: 'bolder', spacing: 'small' }),
  ];
  if (event.type === 'ticket.updated') {
    const { who, lines } = updateSummary(event);
    if (who) body.push(textBlock(cardText(cut(who, 500)), { weight: 'bolder', spacing: 'small' }));
    body.push(...bulleted(lines.map((line) => cardText(cut(oneLine(line), 500)))));
  }
  body.push({
    type: 'FactSet',
    facts: [
      fact('Priority', priorityWords(event.priority)),
      fact('Category', categoryWords(event.category)),
      fact('Requester', event.requester),
      fact('Status', statusWords(event.status)),
      fact('Assignee', assigneeWords(event.assignee)),
    ],
  });
  const excerpt = oneLine(event.excerpt ?? '');
  if (event.type === 'ticket.created' && excerpt) {
    body.push({ type: 'Container', style: 'emphasis', spacing: 'medium', items: [textBlock(cardText(`“${cut(excerpt, EXCERPT_CHARS)}”`), { isSubtle: true })] });
  }
  const link = ticketLink(view, event.ticketId);
  const action = link.kind === 'console' ? openUrl(`Open ${event.ticketId} in the console`, link.url) : openUrl(`Reply by mail to ${link.address}`, link.url);
  return { body, actions: [action] };
}

function incidentCard(event: IncidentEventMessage, view: ChatView): Pick<AdaptiveCardJson, 'body' | 'actions'> {
  const shown = event.tickets.slice(0, LISTED_TICKETS);
  const more = event.tickets.length - shown.length;
  const body: AdaptiveCardElement[] = [
    textBlock(`🔥 ${eventHeading(event)} · ${event.incidentId}`, { weight: 'bolder', color: 'attention', spacing: 'none' }),
    textBlock(cardText(cut(oneLine(event.title) || '(no title)', 300)), { size: 'large', weight: 'bolder', spacing: 'small' }),
    {
      type: 'FactSet',
      facts: [
        fact('Reports', reportWords(event)),
        ...(event.ticketId ? [fact('Latest report', event.ticketId)] : []),
      ],
    },
    textBlock(`Tickets: ${shown.length ? shown.map((id) => ticketRef(id, view)).join(', ') + (more > 0 ? ` and ${more} more` : '') : 'none yet'}`, { spacing: 'small' }),
  ];
  if (event.why.trim()) body.push(textBlock(cardText(cut(oneLine(event.why), 1000)), { isSubtle: true, size: 'small' }));
  const url = view.incidentUrl(event.incidentId);
  const actions = url ? [openUrl(`Open ${event.incidentId} in the console`, url)] : event.ticketId ? [latestReportAction(event.ticketId, view)] : [];
  return { body, ...(actions.length ? { actions } : {}) };
}

function latestReportAction(ticketId: string, view: ChatView): AdaptiveCardElement {
  const link = ticketLink(view, ticketId);
  return link.kind === 'console' ? openUrl(`Open ${ticketId} in the console`, link.url) : openUrl(`Reply on ${ticketId} by mail`, link.url);
}

function digestCard(event: DigestEventMessage, view: ChatView): Pick<AdaptiveCardJson, 'body' | 'actions'> {
  const body: AdaptiveCardElement[] = [
    textBlock('📋 Daily digest', { weight: 'bolder', size: 'large', spacing: 'none' }),
    { type: 'FactSet', facts: digestCounts(event).map(([label, n]) => fact(label, String(n))) },
  ];
  if (event.top.length) {
    body.push(textBlock('Idle longest', { weight: 'bolder', spacing: 'medium' }));
    body.push(...bulleted(event.top.map((t) => `${ticketRef(t.ticketId, view)} · ${priorityWords(t.priority)} · idle ${idleWords(t.idleHours)} · ${cardText(cut(oneLine(t.subject) || '(no subject)', 120))}`)));
  }
  body.push(textBlock(cardText(`The full digest went to IT by mail: “${cut(oneLine(event.subject), 300)}”`), { isSubtle: true, size: 'small', spacing: 'medium' }));
  return { body };
}

/** A ticket id, as a markdown link to its console page when the console is on (our own URL). */
function ticketRef(id: string, view: ChatView): string {
  const url = view.consoleUrl(id);
  return url ? `[${cardText(id)}](${url})` : cardText(id);
}

/**
 * Lines as a bulleted list: a TextBlock each, starting with "•" (not a markdown list, whose
 * indentation hosts draw differently), or the line alone when there is one.
 */
function bulleted(lines: string[]): AdaptiveCardElement[] {
  if (lines.length === 1) return [textBlock(lines[0]!, { spacing: 'small' })];
  return lines.map((line, i) => textBlock(`•\u00a0${line}`, { spacing: i === 0 ? 'small' : 'none' }));
}

function textBlock(text: string, style: Record<string, string | boolean> = {}): AdaptiveCardElement {
  return { type: 'TextBlock', text, wrap: true, ...style };
}

/** A fact whose value may have come from mail: escaped like any card text. */
function fact(title: string, value: string): { title: string; value: string } {
  return { title, value: cardText(cut(oneLine(value), 500)) };
}

function openUrl(title: string, url: string): AdaptiveCardElement {
  return { type: 'Action.OpenUrl', title: cut(title, 100), url };
}

/**
 * Text for a TextBlock or fact: CommonMark's backslash escape before every mark the card's
 * markdown subset (bold, italic, lists, links) or a renderer might act on, a zero-width space
 * between `]` and `(` so no renderer can read a link even without escapes, and `{{` broken so
 * `{{DATE(…)}}` stays text. One line in, so no line starts a list except the first.
 */
export function cardText(text: string): string {
  return text
    .replace(/[\\`*_~[\]<>#|]/g, '\\$&')
    .replace(/\]\(/g, ']\u200b(')
    .replace(/\{\{/g, '{\u200b{')
    .replace(/^(\s*)([-+])(?=\s)/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s)/, '$1\\$2');
}
