/**
 * A requester's status page: where the ticket stands, who is on it (a first name), what we still
 * need, and the conversation as they saw it (their mail and our people's answers to them; never
 * internal notes or mail between staff), with a box to answer and a "this is solved" button.
 */
import { html } from 'hono/html';
import type { Config } from '../../config.js';
import { isStaffAddress } from '../../domain/addresses.js';
import { asksFor } from '../../domain/missing-info.js';
import type { Ticket, ThreadMessage, TicketStatus } from '../../domain/ticket.js';
import { addressBook } from '../../pipeline/inbound.js';
import { page, type Html } from './layout.js';

const STATUS_WORDS: Record<TicketStatus, string> = {
  open: "Open: we're working on it",
  'awaiting-info': 'Waiting for a few details from you',
  'waiting-on-requester': 'Waiting for your reply',
  resolved: 'Solved',
  closed: 'Closed',
};

const PRIORITY_WORDS: Record<string, string> = { P1: 'P1, urgent', P2: 'P2, high', P3: 'P3, normal', P4: 'P4, low' };

/** Roles of inbound messages the requester sent; `staff-reply` is staff's answer, relayed to them. */
const REQUESTER_ROLES = new Set(['request', 'reply', 'duplicate']);

/** What the page says after an answer from it: on the ticket, solved, or a new ticket that follows on. */
export const FLASHES = ['reply', 'solved', 'new'] as const;
export type Flash = (typeof FLASHES)[number] | null;

export interface StatusView {
  ticket: Ticket;
  messages: ThreadMessage[];
  /** Where this page's forms post (the token's own path). */
  action: string;
  formToken: string;
  flash: Flash;
  /**
   * The ticket is one report of an open incident (an outage several people reported): the page
   * says the problem is known, and nothing of the other reports or the people behind them.
   */
  knownProblem: boolean;
}

/** "priya.shah@northwind.example" → "Priya": who is on it, without handing out a staff address. */
export function firstName(address: string): string {
  const word = address.split('@')[0]!.split(/[._+-]/)[0] ?? '';
  return word ? word[0]!.toUpperCase() + word.slice(1).toLowerCase() : 'Someone';
}

/** The messages the requester saw: theirs, and staff answers that were not internal. */
export function conversation(ticket: Ticket, messages: ThreadMessage[], config: Config): ThreadMessage[] {
  const book = addressBook(config);
  return messages.filter(
    (m) =>
      m.direction === 'inbound' &&
      m.visibleText.trim() !== '' &&
      ((REQUESTER_ROLES.has(m.role) && m.from === ticket.requester) || (m.role === 'staff-reply' && isStaffAddress(m.from, book))),
  );
}

export function statusPage(config: Config, v: StatusView): Html {
  const { ticket } = v;
  const asks = ticket.status === 'awaiting-info' ? asksFor(ticket.missing, ticket.category ?? 'other', config.missingInfo) : [];
  const thread = conversation(ticket, v.messages, config);
  const finished = ticket.status === 'resolved' || ticket.status === 'closed';
  return page({
    title: `${ticket.id} status`,
    teamName: config.teamName,
    body: html`${
      v.flash === 'reply'
        ? html`<div class="alert ok" role="status">Thanks, your message is on the ticket. We'll get back to you by email.</div>`
        : v.flash === 'solved'
          ? html`<div class="alert ok" role="status">Thanks for letting us know. If it comes back, just answer below or reply to any of our emails.</div>`
          : v.flash === 'new'
            ? html`<div class="alert ok" role="status">Thanks. As this ticket was closed, your message started a new ticket that follows on from it. We've emailed you about it.</div>`
            : ''
    }
<div class="card">
<p><span class="badge">${ticket.id}</span></p>
<h1>${ticket.subject}</h1>
${v.knownProblem && !finished ? html`<p class="known">This is a known problem: other people have reported it too, and ${config.teamName} is working on it.</p>
` : ''}<dl class="facts">
<dt>Status</dt><dd>${STATUS_WORDS[ticket.status]}</dd>
${ticket.priority ? html`<dt>Priority</dt><dd>${PRIORITY_WORDS[ticket.priority] ?? ticket.priority}</dd>` : ''}
<dt>Who's on it</dt><dd>${ticket.assignee ? firstName(ticket.assignee) : `${config.teamName} (not assigned to one person yet)`}</dd>
<dt>Opened</dt><dd>${when(ticket.createdAt)}</dd>
</dl>
${asks.length ? html`<h2 class="asks">What we still need from you</h2><ul class="asks">${asks.map((a) => html`<li>${a}</li>`)}</ul>` : ''}
</div>
<div class="card">
<h2>Conversation</h2>
${
  thread.length
    ? html`<ol class="thread">${thread.map((m) => {
        const ours = m.role === 'staff-reply';
        return html`<li class="${ours ? 'from-us' : 'from-you'}"><span class="who">${ours ? `${firstName(m.from)} (${config.teamName})` : 'You'}</span> <span class="when">${when(m.receivedAt)}</span><p class="text">${m.visibleText}</p></li>`;
      })}</ol>`
    : html`<p>Nothing here yet.</p>`
}
</div>
<div class="card">
<h2><label for="text">Answer us</label></h2>
${finished ? html`<p class="hint">This ticket is ${ticket.status}. Writing here ${ticket.status === 'resolved' ? 'opens it again' : 'starts a new ticket that follows on from it'}, unless you only want to say thanks.</p>` : ''}
<form method="post" action="${v.action}/reply">
<input type="hidden" name="token" value="${v.formToken}">
<div class="field"><textarea id="text" name="text" required maxlength="${config.web.form.maxDescriptionChars}"></textarea></div>
<div class="actions"><button type="submit">Send</button></div>
</form>
${
  finished
    ? ''
    : html`<form method="post" action="${v.action}/solved" class="solved">
<input type="hidden" name="token" value="${v.formToken}">
<p class="hint">Sorted out on your side? Let us know and we'll close the ticket.</p>
<div class="actions"><button type="submit" class="secondary">This is solved</button></div>
</form>`
}
</div>`,
  });
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })} UTC`;
}
