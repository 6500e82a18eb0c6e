/**
 * Realistic published events of every kind, and chat views, for the message tests and the README
 * screenshots (chat-screenshots.ts). Hostile text is in `hostileTicket`.
 */
import type { DigestEventMessage, IncidentEventMessage, PublishedEvent, TicketEventMessage } from '../../src/pipeline/ticket-events.js';
import type { ChatView } from '../../src/chat/view.js';

export function chatViewFor(options: { console: boolean; interactive: boolean }): ChatView {
  const base = 'https://help.northwind.example';
  return {
    teamName: 'Northwind IT',
    consoleUrl: (id) => (options.console ? `${base}/console/tickets/${encodeURIComponent(id)}` : null),
    incidentUrl: (id) => (options.console ? `${base}/console/incidents/${encodeURIComponent(id)}` : null),
    replyAddress: (id) => `support+${id.toLowerCase()}@northwind.example`,
    interactive: options.interactive,
  };
}

const at = '2026-12-07T09:12:00.000Z';

export const newP1Ticket: TicketEventMessage = {
  id: 'evt-1',
  type: 'ticket.created',
  ticketId: 'TKT-42',
  subject: 'VPN down for the whole Leeds office',
  status: 'open',
  priority: 'P1',
  category: 'Network',
  requester: 'ana.silva@northwind.example',
  assignee: null,
  why: 'new ticket from ana.silva@northwind.example',
  at,
  excerpt:
    'Since about 9:05 nobody in the Leeds office can connect to the VPN. The client says "authentication server not reachable". We have a customer demo at 11, please help!',
};

export const newP3Ticket: TicketEventMessage = {
  ...newP1Ticket,
  id: 'evt-2',
  ticketId: 'TKT-57',
  subject: 'Second monitor flickers after docking',
  priority: 'P3',
  category: 'Hardware',
  requester: 'li.wei@northwind.example',
  excerpt: 'When I dock my laptop in the morning the second screen flickers for a minute or so, then it settles. Not urgent.',
};

export const priorityRaised: TicketEventMessage = {
  ...newP1Ticket,
  id: 'evt-3',
  type: 'ticket.updated',
  ticketId: 'TKT-57',
  subject: 'Second monitor flickers after docking',
  priority: 'P2',
  category: 'Hardware',
  requester: 'li.wei@northwind.example',
  assignee: 'lee.park@northwind.example',
  why: 'priority P3 → P2 by lee.park@northwind.example; assigned to lee.park@northwind.example',
  excerpt: undefined,
  changes: [
    { field: 'priority', from: 'P3', to: 'P2', by: 'lee.park@northwind.example' },
    { field: 'assignee', from: null, to: 'lee.park@northwind.example', by: 'lee.park@northwind.example' },
  ],
};

export const staleTicket: TicketEventMessage = {
  ...newP3Ticket,
  id: 'evt-4',
  type: 'ticket.stale',
  ticketId: 'TKT-31',
  subject: 'Request: access to the Finance shared drive',
  status: 'waiting-on-requester',
  priority: 'P2',
  category: 'Access',
  requester: 'sam.okafor@northwind.example',
  assignee: 'lee.park@northwind.example',
  why: 'no activity for 74 hours',
  excerpt: undefined,
  idleHours: 74,
};

export const incidentOpened: IncidentEventMessage = {
  id: 'evt-5',
  type: 'incident.opened',
  incidentId: 'INC-3',
  title: 'VPN not connecting',
  tickets: ['TKT-42', 'TKT-43', 'TKT-45', 'TKT-46', 'TKT-49'],
  reporters: 4,
  ticketId: 'TKT-49',
  why: '5 reports of the VPN not connecting within 20 minutes',
  at,
};

export const incidentUpdated: IncidentEventMessage = {
  ...incidentOpened,
  id: 'evt-6',
  type: 'incident.updated',
  tickets: [...incidentOpened.tickets, 'TKT-51'],
  reporters: 5,
  ticketId: 'TKT-51',
  why: 'TKT-51 reports the same outage',
};

export const digestSent: DigestEventMessage = {
  id: 'evt-7',
  type: 'digest.sent',
  subject: 'IT digest for Monday 7 December: 3 stale tickets, 1 open incident',
  stale: 3,
  unreachable: 1,
  undelivered: 0,
  openIncidents: 1,
  top: [
    { ticketId: 'TKT-31', subject: 'Request: access to the Finance shared drive', priority: 'P2', idleHours: 74 },
    { ticketId: 'TKT-28', subject: 'Printer on floor 2 jams on duplex', priority: 'P3', idleHours: 52 },
    { ticketId: 'TKT-19', subject: 'New starter laptop for Jo (starts Jan 4)', priority: null, idleHours: 49 },
  ],
  why: 'the daily digest',
  at,
};

/** One event of each kind, named for the screenshots (docs/images/chat-<kind>-…). */
export const EXAMPLES: { kind: string; event: PublishedEvent; inThread: boolean }[] = [
  { kind: 'new-ticket', event: newP1Ticket, inThread: false },
  { kind: 'update', event: priorityRaised, inThread: true },
  { kind: 'stale', event: staleTicket, inThread: false },
  { kind: 'incident', event: incidentOpened, inThread: false },
  { kind: 'digest', event: digestSent, inThread: false },
];

/** Everything a mail can put in a subject or excerpt that must not ping, link or format. */
export const HOSTILE_TEXTS = [
  '<!channel> server room on fire',
  '<!here|here> please look',
  '<@U024BE7LH> <#C024BE7LR|general>',
  'Click <https://evil.example/login|your invoice>',
  '[Reset your password](https://evil.example/reset) now',
  '*bold* _italic_ ~strike~ `code` **very bold**',
  '> quoted & <b>html</b> &amp; entities',
  '{{DATE(2017-02-14T06:00:00Z, SHORT)}} and ${templating}',
  '- list item\n1. numbered\n# heading',
  '🔥🔥 Printer 🖨️ is 👨‍👩‍👧‍👦 broken',
  'الطابعة لا تعمل في الطابق الثاني',
  'שלום \u202egnp.exe\u202c please',
  'x'.repeat(5000),
];

export function hostileTicket(text: string, type: TicketEventMessage['type'] = 'ticket.created'): TicketEventMessage {
  return {
    ...newP1Ticket,
    type,
    subject: text,
    excerpt: text,
    category: '',
    assignee: null,
    requester: 'odd&name<x>@northwind.example',
    why: `subject changed to ${text}`,
    ...(type === 'ticket.updated' ? { changes: [{ field: 'category' as const, from: null, to: text, by: 'lee@northwind.example' }] } : {}),
    ...(type === 'ticket.stale' ? { idleHours: 30 } : {}),
  };
}

export function hostileIncident(text: string): IncidentEventMessage {
  return { ...incidentOpened, title: text, why: text };
}

export function hostileDigest(text: string): DigestEventMessage {
  return { ...digestSent, subject: text, top: Array.from({ length: 10 }, (_, i) => ({ ticketId: `TKT-${i + 1}`, subject: text, priority: 'P1', idleHours: 100 + i })) };
}

let fresh = 0;
/** A ticket event no test has used yet (its own event id and ticket), like the new P1 unless `more` says otherwise. */
export function freshTicketEvent(type: TicketEventMessage['type'] = 'ticket.created', more: Partial<TicketEventMessage> = {}): TicketEventMessage {
  fresh++;
  return { ...newP1Ticket, id: `mail:fresh-${process.pid}-${fresh}/event`, type, ticketId: `TKT-${1000 + fresh}`, ...more };
}
