/**
 * The staff console's pages: sign-in, the queue (open incidents above it), a ticket and an
 * incident, server-rendered like the rest of
 * the site (no script), one column on a phone. Every received string is escaped by hono/html.
 */
import { html } from 'hono/html';
import type { Config } from '../../config.js';
import type { IncidentMember, IncidentStatus, IncidentSummary } from '../../domain/incidents/incident.js';
import type { TicketEvent } from '../../domain/lifecycle.js';
import { TICKET_STATUSES, type Ticket, type ThreadMessage } from '../../domain/ticket.js';
import { PRIORITIES } from '../../domain/triage/schema.js';
import { isFiltered, QUEUE_SORTS, type QueueQuery } from '../console/queue-query.js';
import { page, type Html } from './layout.js';

export interface QueueView {
  id: string;
  label: string;
  /** Null for a view that is not counted (all tickets: that would read them all). */
  count: number | null;
}

/**
 * How a queue page goes on: numbered pages of a view read whole, or "All tickets" read back
 * from a position (`next`), which says how far back it looked when it stopped short.
 */
export type QueuePaging =
  | { kind: 'numbered'; page: number; pages: number }
  | { kind: 'further'; fromStart: boolean; next: string | null; lookedBackTo: string | null };

function consolePage(config: Config, title: string, staff: string | null, token: string | null, body: Html): Html {
  return page({
    title,
    teamName: config.teamName,
    body: html`${
      staff
        ? html`<nav class="console" aria-label="Console"><a href="/console">Queue</a><span class="who">${staff}</span><form method="post" action="/console/sign-out"><input type="hidden" name="token" value="${token ?? ''}"><button type="submit" class="secondary small">Sign out</button></form></nav>`
        : ''
    }${body}`,
  });
}

export function signInPage(config: Config, p: { token: string; error?: string; email?: string }): Html {
  return consolePage(
    config,
    'Staff sign-in',
    null,
    null,
    html`<div class="card">
<h1>Staff sign-in</h1>
<p class="lead">Enter your work email address. If it belongs to the ${config.teamName} team, we'll email you a link to sign in: no password needed.</p>
${p.error ? html`<div class="alert bad" role="alert">${p.error}</div>` : ''}
<form method="post" action="/console/sign-in">
<input type="hidden" name="token" value="${p.token}">
<div class="field"><label for="email">Work email address</label><input id="email" name="email" type="email" autocomplete="email" required value="${p.email ?? ''}"></div>
<div class="actions"><button type="submit">Email me a sign-in link</button></div>
</form>
</div>`,
  );
}

/** The same page for every address: it never says whether the address is a staff one. */
export function signInSentPage(config: Config, email: string): Html {
  return consolePage(
    config,
    'Check your email',
    null,
    null,
    html`<div class="card">
<h1>Check your email</h1>
<p>If <strong>${email}</strong> belongs to the ${config.teamName} team, a sign-in link is on its way. It works once, for ${String(config.web.console.signInMinutes)} minutes, in this browser.</p>
<p><a href="/console">Use another address</a></p>
</div>`,
  );
}

/** The link's landing page: a button, so a mail scanner that opens links signs no one in. */
export function confirmSignInPage(config: Config, p: { action: string; token: string }): Html {
  return consolePage(
    config,
    'Sign in',
    null,
    null,
    html`<div class="card">
<h1>Sign in to the staff console</h1>
<form method="post" action="${p.action}">
<input type="hidden" name="token" value="${p.token}">
<div class="actions"><button type="submit">Sign in</button></div>
</form>
</div>`,
  );
}

const STATUS_WORDS: Record<string, string> = { open: 'open', 'awaiting-info': 'awaiting details', 'waiting-on-requester': 'waiting on requester', resolved: 'resolved', closed: 'closed' };

export function queuePage(
  config: Config,
  p: {
    staff: string;
    token: string;
    views: QueueView[];
    view: string;
    tickets: Ticket[];
    sort: string | null;
    paging: QueuePaging;
    now: Date;
    query: QueueQuery;
    kept: string;
    /** Open incidents, shown above the queue in every view. */
    incidents: IncidentSummary[];
  },
): Html {
  const current = p.views.find((v) => v.id === p.view)!;
  const q = p.query;
  const link = (view: string, more = '') => `/console?view=${view}${p.kept ? `&${p.kept}` : ''}${more}`;
  const categories = [...config.triage.categories.map((c) => c.name), config.triage.fallbackCategory];
  return consolePage(
    config,
    `${current.label} · Queue`,
    p.staff,
    p.token,
    html`${incidentsCard(p.incidents, p.now)}<form method="get" action="/console" class="search" role="search">
<input type="hidden" name="view" value="${p.view}">
<div class="field"><label for="q">Search tickets</label><input id="q" name="q" type="search" value="${q.words.join(' ')}" placeholder="${config.ticketPrefix}-42, vpn, maria@…"></div>
<details${isFiltered({ ...q, words: [] }) ? html` open` : ''}><summary>Filters</summary>
<div class="grid">
<div class="field"><label for="priority">Priority</label><select id="priority" name="priority">${option('', 'any', q.priority)}${PRIORITIES.map((x) => option(x, x, q.priority))}</select></div>
<div class="field"><label for="category">Category</label><select id="category" name="category">${option('', 'any', q.category)}${categories.map((x) => option(x, x, q.category))}</select></div>
<div class="field"><label for="assignee">Assignee</label><select id="assignee" name="assignee">${option('', 'anyone', q.assignee)}${option('none', 'nobody', q.assignee)}${[...new Set([p.staff, ...config.staff.addresses])].map((x) => option(x, x, q.assignee))}</select></div>
<div class="field"><label for="requester">Requester</label><input id="requester" name="requester" type="text" value="${q.requester}" autocomplete="off"></div>
<div class="field"><label for="idle">Quiet for at least (days)</label><input id="idle" name="idle" type="number" min="1" inputmode="numeric" value="${q.idleDays === null ? '' : String(q.idleDays)}"></div>
</div>
</details>
${
  p.sort === null
    ? html`<p class="meta">Newest activity first.</p>`
    : html`<div class="field"><label for="sort">Order</label><select id="sort" name="sort">${QUEUE_SORTS.map((x) => option(x.id, x.label, p.sort ?? ''))}</select></div>`
}
<div class="actions"><button type="submit">Search</button>${isFiltered(q) ? html`<a href="/console?view=${p.view}">Clear</a>` : ''}</div>
</form>
<nav class="views" aria-label="Views"><ul>${p.views.map(
      (v) => html`<li><a href="${link(v.id)}"${v.id === p.view ? html` aria-current="page"` : ''}>${v.label}${v.count === null ? '' : html` <span class="count">${String(v.count)}</span>`}</a></li>`,
    )}</ul></nav>
<div class="card">
<h1>${current.label}</h1>
${
  p.tickets.length
    ? html`<ol class="queue">${p.tickets.map(
        (t) => html`<li><a href="/console/tickets/${t.id}"><span class="badge">${t.id}</span> <strong>${t.subject}</strong></a>
<p class="meta">${[t.priority ?? 'no priority', t.category ?? 'no category', STATUS_WORDS[t.status] ?? t.status, t.assignee ? `assigned to ${t.assignee}` : 'unassigned', t.stale ? 'stale' : null, t.incident ? `part of ${t.incident}` : null].filter(Boolean).join(' · ')}</p>
<p class="meta">${t.requesterName ? `${t.requesterName} <${t.requester}>` : t.requester}${t.unverified ? ' (not confirmed)' : ''} · last activity ${age(t.lastActivityAt, p.now)}</p></li>`,
      )}</ol>`
    : html`<p>No tickets here.</p>`
}
${pagingNav(p.paging, (more) => link(p.view, more))}
</div>`,
  );
}

function pagingNav(paging: QueuePaging, link: (more: string) => string): Html | string {
  if (paging.kind === 'numbered') {
    const { page: at, pages } = paging;
    if (pages <= 1) return '';
    return html`<nav class="pages" aria-label="Pages">${at > 1 ? html`<a href="${link(`&page=${at - 1}`)}">Previous</a>` : ''} <span>Page ${String(at)} of ${String(pages)}</span> ${at < pages ? html`<a href="${link(`&page=${at + 1}`)}">Next</a>` : ''}</nav>`;
  }
  if (!paging.next && paging.fromStart) return '';
  const further = paging.next ? html`<a href="${link(`&from=${paging.next}`)}">${paging.lookedBackTo ? 'Search further back' : 'Older tickets'}</a>` : '';
  return html`${paging.lookedBackTo ? html`<p class="meta">Searched the tickets active since ${paging.lookedBackTo.slice(0, 10)}; older ones may match too.</p>` : ''}<nav class="pages" aria-label="Pages">${paging.fromStart ? '' : html`<a href="${link('')}">Back to the newest</a>`} ${further}</nav>`;
}

/** The open incidents, first thing on the queue: an outage outranks any one ticket. */
function incidentsCard(incidents: IncidentSummary[], now: Date): Html | string {
  if (!incidents.length) return '';
  return html`<section class="card incidents" aria-labelledby="incidents-heading">
<h2 id="incidents-heading">Incidents</h2>
<ul class="incidents">${incidents.map(
    (i) => html`<li><a href="/console/incidents/${i.id}"><span class="badge bad">${i.id}</span> <strong>${i.title}</strong></a>
<p class="meta">${reportsFrom(i)} · since ${since(i.firstReport, now)}</p></li>`,
  )}</ul>
</section>`;
}

/** One ticket of an incident as stored: null when the ticket is gone (erased on request). */
export interface IncidentTicket {
  member: IncidentMember;
  ticket: Ticket | null;
}

export function incidentPage(config: Config, p: { staff: string; token: string; incident: IncidentSummary; members: IncidentTicket[]; now: Date }): Html {
  const i = p.incident;
  const members = [...p.members].sort((a, b) => a.member.at.localeCompare(b.member.at) || a.member.ticketId.localeCompare(b.member.ticketId, 'en', { numeric: true }));
  const open = members.filter((m) => m.ticket && m.ticket.status !== 'resolved' && m.ticket.status !== 'closed').length;
  return consolePage(
    config,
    `${i.id} ${i.title}`,
    p.staff,
    p.token,
    html`<div class="card">
<p><span class="badge bad">${i.id}</span></p>
<h1>${i.title}</h1>
<dl class="facts">
<dt>Status</dt><dd>${i.status === 'open' ? 'open' : html`resolved${i.resolvedAt ? html` ${when(i.resolvedAt)}` : ''}`}</dd>
<dt>Reports</dt><dd>${reportsFrom(i)}</dd>
<dt>First report</dt><dd>${when(i.firstReport)}</dd>
<dt>Latest report</dt><dd>${when(i.lastReport)}</dd>
${i.places.length ? html`<dt>Where</dt><dd>${i.places.join('; ')}</dd>` : ''}
</dl>
${
  i.status === 'open'
    ? html`<p class="hint">To answer everyone at once, reply to the incident's notice mail (its subject starts with [${i.id}]): each person gets your text on their own ticket, and #resolve at the top of your reply resolves them all.</p>`
    : ''
}
</div>
<div class="card">
<h2>Tickets</h2>
<p class="meta count">${String(members.length)} ${members.length === 1 ? 'ticket' : 'tickets'}, ${String(open)} still open; in the order they were reported.</p>
${
  members.length
    ? html`<ol class="queue">${members.map(({ member: m, ticket: t }) => {
        const status = t ? (STATUS_WORDS[t.status] ?? t.status) : 'no longer kept';
        return html`<li>${t ? html`<a href="/console/tickets/${m.ticketId}"><span class="badge">${m.ticketId}</span> <strong>${t.subject}</strong></a>` : html`<span class="badge">${m.ticketId}</span>`}
<p class="meta">${[status, t ? (t.priority ?? 'no priority') : null, t ? (t.assignee ? `assigned to ${t.assignee}` : 'unassigned') : null].filter(Boolean).join(' · ')}</p>
<p class="meta">${m.requesterName ? `${m.requesterName} · ` : ''}${breakable(m.requester)} · reported ${since(m.at, p.now)}${m.place ? ` · ${m.place}` : ''}</p>
${m.excerpt ? html`<p class="excerpt">${m.excerpt}</p>` : ''}</li>`;
      })}</ol>`
    : html`<p>No tickets are left in this incident.</p>`
}
</div>`,
  );
}

/** "5 reports from 4 people": one person may report twice. */
function reportsFrom(i: IncidentSummary): string {
  const people = i.requesters.length;
  return `${i.tickets.length} ${i.tickets.length === 1 ? 'report' : 'reports'} from ${people === 1 ? '1 person' : `${people} people`}`;
}

/** "07:41 UTC" today, "5 Dec 07:41 UTC" before. */
function since(iso: string, now: Date): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = `${d.toISOString().slice(11, 16)} UTC`;
  return d.toISOString().slice(0, 10) === now.toISOString().slice(0, 10) ? time : `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })} ${time}`;
}

/** What an action on the ticket page came to, said on the page that follows it. */
export interface ActionOutcome {
  done: string[];
  refused: string[];
}


/** Said first on the page after an action, so a phone shows it without scrolling. */
function outcome(o: ActionOutcome | undefined): Html | string {
  if (!o) return '';
  return html`${o.done.length ? html`<div class="alert ok" role="status"><ul class="plain">${o.done.map((d) => html`<li>${d}</li>`)}</ul></div>` : ''}${
    o.refused.length ? html`<div class="alert bad" role="alert"><p>Not done:</p><ul class="plain">${o.refused.map((d) => html`<li>${d}</li>`)}</ul></div>` : ''
  }`;
}

export function ticketPage(
  config: Config,
  p: {
    staff: string;
    token: string;
    ticket: Ticket;
    messages: ThreadMessage[];
    events: TicketEvent[];
    /** The incident the ticket is part of; title and status null when it cannot be read. */
    incident: { id: string; title: string | null; status: IncidentStatus | null } | null;
    submission: string;
    outcome?: ActionOutcome;
  },
): Html {
  const t = p.ticket;
  const action = `/console/tickets/${t.id}/act`;
  const categories = [...config.triage.categories.map((c) => c.name), config.triage.fallbackCategory];
  const staff = [...new Set([p.staff, ...config.staff.addresses])];
  const acting = html`<div class="card">
<h2>Act on it</h2>
<form method="post" action="${action}">
<input type="hidden" name="token" value="${p.token}"><input type="hidden" name="submission" value="${p.submission}">
<div class="field"><label for="text">Answer or note</label>
<p class="hint" id="text-hint">"Send to the requester" mails it to ${t.requester} from the support address, as a reply by mail would; "Save as a note" keeps it for staff.</p>
<textarea id="text" name="text" aria-describedby="text-hint"></textarea></div>
<div class="actions"><button type="submit" name="action" value="reply">Send to the requester</button><button type="submit" name="action" value="note" class="secondary">Save as a note</button></div>
</form>
<form method="post" action="${action}" class="change">
<input type="hidden" name="token" value="${p.token}"><input type="hidden" name="submission" value="${p.submission}">
<div class="grid">
<div class="field"><label for="status">Status</label><select id="status" name="status">${TICKET_STATUSES.map((s) => option(s, STATUS_WORDS[s]!, t.status))}</select></div>
<div class="field"><label for="priority">Priority</label><select id="priority" name="priority">${option('', 'none', t.priority)}${PRIORITIES.map((s) => option(s, s, t.priority))}</select></div>
<div class="field"><label for="category">Category</label><select id="category" name="category">${option('', 'none', t.category)}${categories.map((c) => option(c, c, t.category))}</select></div>
<div class="field"><label for="assignee">Assignee</label><select id="assignee" name="assignee">${option('', 'nobody', t.assignee)}${staff.map((a) => option(a, a === p.staff ? `me (${a})` : a, t.assignee))}</select></div>
<div class="field"><label for="merge">Merge into ticket</label><input id="merge" name="merge" type="text" inputmode="text" placeholder="${config.ticketPrefix}-7" autocomplete="off"></div>
</div>
<div class="actions"><button type="submit" name="action" value="change">Apply changes</button></div>
</form>
</div>`;
  return consolePage(
    config,
    `${t.id} ${t.subject}`,
    p.staff,
    p.token,
    html`${outcome(p.outcome)}<div class="card">
<p><span class="badge">${t.id}</span></p>
<h1>${t.subject}</h1>
${partOf(p.incident)}<dl class="facts">
<dt>Status</dt><dd>${STATUS_WORDS[t.status] ?? t.status}${t.stale ? ' (stale)' : ''}</dd>
<dt>Priority</dt><dd>${t.priority ?? 'none'}</dd>
<dt>Category</dt><dd>${t.category ?? 'none'}</dd>
<dt>Requester</dt><dd>${breakable(t.requesterName ? `${t.requesterName} <${t.requester}>` : t.requester)}${t.unverified ? ' (typed into the web form: not confirmed yet)' : ''}</dd>
<dt>Assignee</dt><dd>${t.assignee ? breakable(t.assignee) : 'nobody yet'}</dd>
<dt>Opened</dt><dd>${when(t.createdAt)}</dd>
</dl>
${t.triageReasons.length ? html`<h2 class="asks">Why this priority and category</h2><ul class="asks">${t.triageReasons.map((r) => html`<li>${r}</li>`)}</ul>` : ''}
</div>
${acting}
<div class="card">
<h2>Thread</h2>
<p class="hint">What people wrote, and one line for each mail we sent (their words are the answers above them).</p>
<ol class="thread">${p.messages.map(
      (m) => html`<li class="${m.role === 'note' ? 'note' : m.direction === 'outbound' ? 'from-us' : 'from-you'}"><span class="who">${m.role === 'note' ? html`Internal note by ${breakable(m.from)}` : m.direction === 'outbound' ? html`${ROLE_WORDS[m.role] ?? m.role} to ${addresses(m.to)}` : breakable(m.from)}</span> <span class="when">${when(m.receivedAt)}</span>
${m.direction === 'inbound' ? (m.visibleText.trim() ? html`<p class="text">${m.visibleText}</p>` : html`<p class="meta">No text of its own${m.role === 'staff-reply' ? ': commands only (see the history)' : ''}.</p>`) : ''}${
        m.attachments.length
          ? html`<p class="meta">Attachments: ${m.attachments.map((a, i) => (a.blobKey ? html`<a href="/console/tickets/${t.id}/messages/${m.key}/attachments/${String(i)}">${a.filename}</a> ` : html`${a.filename} (not kept) `))}</p>`
          : ''
      }${m.direction === 'inbound' && m.rawBlobKey ? html`<p class="meta"><a href="/console/tickets/${t.id}/messages/${m.key}/original">The original mail</a></p>` : ''}</li>`,
    )}</ol>
</div>
<div class="card">
<h2>History</h2>
<ol class="history">${p.events.map((e) => html`<li><span class="when">${when(e.at)}</span> <strong>${eventHeadline(e)}</strong>${e.actor === 'system' ? ' (automatic)' : html` by ${breakable(e.actor)}`}<br><span class="meta">${e.why}</span></li>`)}</ol>
</div>`,
  );
}

/** "Part of incident INC-4: Wi-Fi down", linking to the incident. */
function partOf(incident: { id: string; title: string | null; status: IncidentStatus | null } | null): Html | string {
  if (!incident) return '';
  const link = html`<a href="/console/incidents/${incident.id}">${incident.id}</a>`;
  return html`<p class="part-of">Part of incident ${link}${incident.title ? html`: ${incident.title}` : ''}${incident.status === 'resolved' ? ' (resolved)' : ''}</p>
`;
}

/** What an event did, said from its data (its `why` follows on a line of its own). */
function eventHeadline(e: TicketEvent): string {
  const changed = (field: string) => (e.from ? `${field} changed from ${e.from} to ${e.to ?? 'none'}` : `${field} set to ${e.to ?? 'none'}`);
  switch (e.kind) {
    case 'created':
      return 'Opened';
    case 'status':
      return changed('Status');
    case 'priority':
      return changed('Priority');
    case 'category':
      return changed('Category');
    case 'assignee':
      return e.to ? `Assigned to ${e.to}` : 'Unassigned';
    case 'merged':
      return `${e.from ?? 'A ticket'} merged into this one`;
    case 'merged-into':
      return `Merged into ${e.to ?? 'another ticket'}`;
    case 'linked':
      return `Linked to ${e.to ?? e.from ?? 'another ticket'}`;
    case 'verified':
      return 'Requester address confirmed';
    case 'note':
      return 'Noted';
    case 'incident':
      return e.to ? `Part of incident ${e.to}` : `Taken out of incident ${e.from ?? ''}`.trim();
  }
}

const ROLE_WORDS: Record<string, string> = {
  ack: 'Acknowledgement',
  'missing-info': 'Asked for details',
  relay: 'Answer relayed',
  'staff-notification': 'Staff notice',
  'note-notification': 'Note sent to staff',
  'command-result': 'Command result',
  'duplicate-notice': 'Duplicate notice',
  nudge: 'Reminder',
  'auto-closed': 'Closing notice',
  'staff-warning': 'Warning to staff',
};

/** One choice of a select, chosen when it is the current value. */
function option(value: string, label: string, current: string | null): Html {
  return html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`;
}

/** A list of addresses, each breakable. */
function addresses(list: string[]): Html {
  return html`${list.map((a, i) => html`${i ? ', ' : ''}${breakable(a)}`)}`;
}

/** An address that may wrap after its @ rather than mid-word on a narrow screen (received text stays escaped). */
function breakable(text: string): Html {
  const at = text.indexOf('@');
  return at < 0 ? html`${text}` : html`${text.slice(0, at + 1)}<wbr>${text.slice(at + 1)}`;
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function age(iso: string, now: Date): string {
  const hours = (now.getTime() - Date.parse(iso)) / 3600_000;
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min ago`;
  if (hours < 48) return `${Math.round(hours)} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}
