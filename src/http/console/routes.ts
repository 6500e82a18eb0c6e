/**
 * The staff console (`/console`): sign-in by a mailed one-time link (sessions.ts), the queue with
 * the open incidents above it, each ticket and each incident. Nothing but the sign-in pages answers without a session; every form carries the
 * CSRF token; signing in is limited per address and per client, in the store.
 */
import { Hono, type Context } from 'hono';
import { csrf } from 'hono/csrf';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { emailSchema, isStaffAddress } from '../../domain/addresses.js';
import { parseIncidentId, summarise } from '../../domain/incidents/incident.js';
import { parseTicketId, type Ticket, type ThreadMessage } from '../../domain/ticket.js';
import { addressBook } from '../../pipeline/inbound.js';
import type { WebDeps } from '../deps.js';
import { formToken, formTokenValid } from '../form-token.js';
import { confirmSignInPage, incidentPage, queuePage, signInPage, signInSentPage, ticketPage, type ActionOutcome, type QueuePaging, type QueueView } from '../pages/console.js';
import { notice } from '../pages/layout.js';
import { overLimit } from '../rate-limits.js';
import { randomToken, sessionCookieValue, sessionEnded, sessionIdOf, sha256 } from './sessions.js';
import { deliverWebMail } from '../web-mail.js';
import { matchesQuery, QUERY_FIELDS, QUEUE_SORTS, queueQuery } from './queue-query.js';
import { cursorToPosition, positionToCursor } from '../../pipeline/find-tickets.js';
import { PAGE_SIZE, readQueue, searchAllTickets } from './queue-reads.js';
import { actionMail } from './action-mail.js';
import { mailSignInLink } from './sign-in-mail.js';

/** How long a download link works: enough to start the download, too short to pass around. */
const DOWNLOAD_SECONDS = 300;
/** A session's last-seen time is written at most this often: one read per request, not a write too. */
const TOUCH_EVERY_MS = 60_000;

/** Where a view's tickets come from: the open index, the last week's activity, or every ticket. */
type Source = 'open' | 'week' | 'all';

interface View {
  id: string;
  label: string;
  source: Source;
  holds(t: Ticket, me: string, now: Date): boolean;
}

const VIEWS: View[] = [
  { id: 'open', label: 'Open', source: 'open', holds: () => true },
  { id: 'unassigned', label: 'Unassigned', source: 'open', holds: (t) => !t.assignee },
  { id: 'mine', label: 'Mine', source: 'open', holds: (t, me) => t.assignee === me },
  { id: 'urgent', label: 'P1 and P2', source: 'open', holds: (t) => t.priority === 'P1' || t.priority === 'P2' },
  { id: 'waiting', label: 'Waiting on requester', source: 'open', holds: (t) => t.status === 'waiting-on-requester' || t.status === 'awaiting-info' },
  { id: 'stale', label: 'Stale', source: 'open', holds: (t) => t.stale },
  { id: 'resolved', label: 'Resolved this week', source: 'week', holds: () => true },
  { id: 'all', label: 'All tickets', source: 'all', holds: () => true },
];


export function consoleRoutes(deps: WebDeps): Hono {
  const { config, sessions } = deps;
  const { linkKeys, console: settings } = config.web;
  const book = addressBook(config);
  const app = new Hono();
  const names = deps.plainHttp ? { session: 'tkt_session', signIn: 'tkt_signin' } : { session: '__Host-tkt_session', signIn: '__Host-tkt_signin' };
  const cookie = { httpOnly: true, secure: !deps.plainHttp, path: '/' } as const;
  const token = (c: Context) => formToken(c, linkKeys, deps.plainHttp);
  const tokenOk = async (c: Context) => formTokenValid(c, (await c.req.parseBody()).token, linkKeys, deps.plainHttp);
  const refused = (c: Context) => c.html(notice(config.teamName, 'Nothing was done', ['The page had been open too long (or your browser blocked our cookie). Please go back, reload it and try again.']), 403);

  /** The signed-in staff address, or null (an ended session is deleted on the way). */
  const signedIn = async (c: Context): Promise<string | null> => {
    const id = sessionIdOf(getCookie(c, names.session), linkKeys);
    if (!id) return null;
    const session = await sessions.getSession(id);
    const now = deps.ports.clock.now();
    // An address taken off the staff list loses its sessions at once.
    if (!session || sessionEnded(session, now, settings) || !isStaffAddress(session.address, book)) {
      if (session) await sessions.deleteSession(id);
      return null;
    }
    if (now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) await sessions.touchSession(id, now.toISOString());
    return session.address;
  };

  app.get('/console', async (c) => {
    c.header('Cache-Control', 'no-store');
    const staff = await signedIn(c);
    if (!staff) return c.html(signInPage(config, { token: token(c) }));
    const now = deps.ports.clock.now();
    const query = queueQuery((name) => c.req.query(name));
    // A ticket id typed into the search box opens that ticket.
    const asked = query.words.length === 1 ? parseTicketId(config.ticketPrefix, query.words[0]!) : null;
    if (asked !== null) return c.redirect(`/console/tickets/${config.ticketPrefix}-${asked}`, 303);
    const matches = (t: Ticket) => matchesQuery(t, query, now);
    const view = VIEWS.find((v) => v.id === c.req.query('view')) ?? VIEWS[0]!;
    // The counts and a page of All tickets are read at once: one round trip more at most.
    const from = cursorToPosition(c.req.query('from') ?? '');
    const [queue, found] = await Promise.all([readQueue(deps.ports.store, now), view.source === 'all' ? searchAllTickets(deps.ports.store, matches, from) : null]);
    const [openMatching, week] = [queue.open.filter(matches), queue.resolvedThisWeek.filter(matches)];
    const views: QueueView[] = VIEWS.map((v) => ({
      id: v.id,
      label: v.label,
      count: v.source === 'all' ? null : (v.source === 'open' ? openMatching : week).filter((t) => v.holds(t, staff, now)).length,
    }));
    const kept = new URLSearchParams(QUERY_FIELDS.flatMap((f) => (c.req.query(f) ? [[f, c.req.query(f)!] as [string, string]] : [])));
    const shown = { staff, token: token(c), views, view: view.id, now, query, kept: kept.toString(), incidents: queue.openIncidents };
    if (found) {
      const paging: QueuePaging = { kind: 'further', fromStart: from === null, next: found.next ? positionToCursor(found.next) : null, lookedBackTo: found.next && found.tickets.length < PAGE_SIZE ? found.next.lastActivityAt : null };
      return c.html(queuePage(config, { ...shown, tickets: found.tickets, sort: null, paging }));
    }
    const sort = QUEUE_SORTS.find((s) => s.id === c.req.query('sort')) ?? QUEUE_SORTS[0]!;
    const listed = (view.source === 'open' ? openMatching : week).filter((t) => view.holds(t, staff, now)).sort(sort.compare);
    const pages = Math.max(1, Math.ceil(listed.length / PAGE_SIZE));
    const pageNo = Math.min(pages, Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    return c.html(queuePage(config, { ...shown, tickets: listed.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE), sort: sort.id, paging: { kind: 'numbered', page: pageNo, pages } }));
  });

  const ticketOf = async (c: Context): Promise<Ticket | null> => {
    const number = parseTicketId(config.ticketPrefix, c.req.param('id') ?? '');
    return number === null ? null : deps.ports.store.getTicketById(number);
  };
  const showTicket = async (c: Context, staff: string, ticket: Ticket, outcome?: ActionOutcome) => {
    const incidentNumber = ticket.incident ? parseIncidentId(ticket.incident) : null;
    const [messages, events, incident] = await Promise.all([
      deps.ports.store.listMessages(ticket.key),
      deps.ports.store.listEvents(ticket.key),
      incidentNumber === null ? null : deps.ports.store.getIncident(incidentNumber),
    ]);
    c.header('Cache-Control', 'no-store');
    const status = outcome?.refused.length && !outcome.done.length ? 422 : 200;
    const partOf = ticket.incident ? { id: ticket.incident, title: incident?.title ?? null, status: incident?.status ?? null } : null;
    return c.html(ticketPage(config, { staff, token: token(c), ticket, messages, events, incident: partOf, submission: randomToken(), ...(outcome ? { outcome } : {}) }), status);
  };
  const noTicket = (c: Context) => c.html(notice(config.teamName, 'No such ticket', [`There is no ticket ${c.req.param('id')}.`]), 404);

  app.get('/console/tickets/:id', async (c) => {
    const staff = await signedIn(c);
    if (!staff) return c.redirect('/console', 303);
    const ticket = await ticketOf(c);
    return ticket ? showTicket(c, staff, ticket) : noTicket(c);
  });

  // An incident: its facts and every ticket in it, each with its status, linking to the ticket.
  app.get('/console/incidents/:id', async (c) => {
    const staff = await signedIn(c);
    if (!staff) return c.redirect('/console', 303);
    const number = parseIncidentId(c.req.param('id'));
    const incident = number === null ? null : await deps.ports.store.getIncident(number);
    if (!incident) return c.html(notice(config.teamName, 'No such incident', [`There is no incident ${c.req.param('id')}.`]), 404);
    const tickets = await deps.ports.store.getTickets(incident.members.map((m) => m.ticketKey));
    c.header('Cache-Control', 'no-store');
    return c.html(incidentPage(config, { staff, token: token(c), incident: summarise(incident), members: incident.members.map((member) => ({ member, ticket: tickets.get(member.ticketKey) ?? null })), now: deps.ports.clock.now() }));
  });

  // Attachments and the original mail: a presigned link, good for DOWNLOAD_SECONDS, straight from the bucket.
  const download = async (c: Context, pick: (m: ThreadMessage, ticket: Ticket) => { key: string; filename: string; contentType: string } | null) => {
    const staff = await signedIn(c);
    if (!staff) return c.redirect('/console', 303);
    const ticket = await ticketOf(c);
    if (!ticket) return noTicket(c);
    const message = (await deps.ports.store.listMessages(ticket.key)).find((m) => m.key === c.req.param('key'));
    const object = message ? pick(message, ticket) : null;
    if (!object) return c.html(notice(config.teamName, 'Nothing to download', ['That file is not kept on this ticket (it may have been erased on request).']), 404);
    deps.log(`console: ${staff} downloaded ${object.filename} of ${ticket.id}`);
    return c.redirect(await deps.downloads.downloadLink(object.key, object, DOWNLOAD_SECONDS), 303);
  };
  app.get('/console/tickets/:id/messages/:key/attachments/:index', (c) =>
    download(c, (m) => {
      const attachment = m.attachments[Number(c.req.param('index'))];
      return attachment?.blobKey ? { key: attachment.blobKey, filename: attachment.filename, contentType: attachment.contentType } : null;
    }),
  );
  app.get('/console/tickets/:id/messages/:key/original', (c) =>
    download(c, (m, ticket) => (m.direction === 'inbound' && m.rawBlobKey ? { key: m.rawBlobKey, filename: `${ticket.id}-${m.key}.eml`, contentType: 'message/rfc822' } : null)),
  );

  // Every action is a staff mail on the ticket's thread, through the pipeline: the same commands,
  // lifecycle rules, history, relay and notices as the same words mailed from the staff member.
  app.post('/console/tickets/:id/act', csrf(), async (c) => {
    const staff = await signedIn(c);
    if (!staff) return c.redirect('/console', 303);
    const body = await c.req.parseBody();
    if (!formTokenValid(c, body.token, linkKeys, deps.plainHttp)) return refused(c);
    const ticket = await ticketOf(c);
    if (!ticket) return noTicket(c);
    const asked = actionMail(body, ticket, staff, config);
    if ('refused' in asked) return showTicket(c, staff, ticket, { done: [], refused: [asked.refused] });
    const submission = typeof body.submission === 'string' && /^[\w-]{43}$/.test(body.submission) ? body.submission : randomToken();
    const result = await deliverWebMail(
      { source: 'web', proof: { kind: 'console', staff }, from: { name: '', address: staff }, subject: `Re: [${ticket.id}] ${ticket.subject}`, text: asked.text, inReplyTo: ticket.originMessageId, sameAs: `console/${submission}` },
      deps.ports,
      config,
    );
    deps.log(`console: ${staff} on ${ticket.id}: ${result.outcome}: ${result.reason}`);
    const after = (result.ticket ? await deps.ports.store.getTicketById(parseTicketId(config.ticketPrefix, result.ticket) ?? 0) : null) ?? ticket;
    const done = [
      ...(result.commands?.applied ?? []),
      ...result.replies.filter((r) => r.kind === 'relay').map((r) => `Answer sent to ${r.to}`),
      ...(body.action === 'note' && result.outcome === 'appended' ? ['Saved as an internal note, and mailed to staff'] : []),
      ...(result.outcome === 'redelivered' ? ['This was done already (the same form was sent twice)'] : []),
    ];
    return showTicket(c, staff, after, { done, refused: result.commands?.rejected ?? [] });
  });

  app.post('/console/sign-in', csrf(), async (c) => {
    const body = await c.req.parseBody();
    if (!formTokenValid(c, body.token, linkKeys, deps.plainHttp)) return refused(c);
    const typed = typeof body.email === 'string' ? body.email : '';
    const email = emailSchema.safeParse(typed);
    if (!email.success) return c.html(signInPage(config, { token: token(c), email: typed, error: 'Please enter an email address, like name@example.com.' }), 400);
    const now = deps.ports.clock.now();
    const client = deps.clientAddress(c);
    const over = await overLimit(deps.ports.store, [{ scope: `console-client#${client}`, max: settings.perClientPerHour }, { scope: `console-address#${email.data}`, max: settings.perAddressPerHour }], now);
    // The browser that asks is the only one the link will work in.
    const nonce = randomToken();
    setCookie(c, names.signIn, nonce, { ...cookie, sameSite: 'Strict', maxAge: settings.signInMinutes * 60 });
    if (over) {
      deps.log(`console sign-in: ${over.scope} is over its ${over.max} requests this hour: no link sent`);
    } else if (isStaffAddress(email.data, book)) {
      const link = randomToken();
      await sessions.putSignIn({ tokenHash: sha256(link), address: email.data, browserHash: sha256(nonce), validUntil: new Date(now.getTime() + settings.signInMinutes * 60_000).toISOString() });
      await mailSignInLink(email.data, `${config.web.baseUrl}/console/sign-in/${link}`, config, deps.ports.mailer, now);
      deps.log(`console sign-in: a link was mailed to ${email.data} (client ${client})`);
    } else {
      deps.log(`console sign-in: ${email.data} is not a staff address: no link sent (client ${client})`);
    }
    // The same page whatever happened: it never tells whether an address is staff.
    return c.html(signInSentPage(config, email.data));
  });

  app.get('/console/sign-in/:link', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(confirmSignInPage(config, { action: `/console/sign-in/${c.req.param('link')}`, token: token(c) }));
  });

  app.post('/console/sign-in/:link', csrf(), async (c) => {
    if (!(await tokenOk(c))) return refused(c);
    const now = deps.ports.clock.now();
    const nonce = getCookie(c, names.signIn);
    const used = nonce ? await sessions.useSignIn(sha256(c.req.param('link')), sha256(nonce), now.toISOString()) : null;
    if (!used || !isStaffAddress(used.address, book)) {
      return c.html(
        notice(config.teamName, 'This sign-in link does not work', [
          `A link works once, for ${settings.signInMinutes} minutes, and only in the browser where it was asked for.`,
          'Please ask for a new one on the sign-in page, in this browser.',
        ]),
        400,
      );
    }
    const id = randomToken();
    const at = now.toISOString();
    await sessions.putSession({ id, address: used.address, createdAt: at, lastSeenAt: at }, new Date(now.getTime() + settings.sessionHours * 3600_000).toISOString());
    setCookie(c, names.session, sessionCookieValue(id, linkKeys), { ...cookie, sameSite: 'Lax', maxAge: settings.sessionHours * 3600 });
    deleteCookie(c, names.signIn, cookie);
    deps.log(`console: ${used.address} signed in`);
    return c.redirect('/console', 303);
  });

  app.post('/console/sign-out', csrf(), async (c) => {
    if (!(await tokenOk(c))) return refused(c);
    const id = sessionIdOf(getCookie(c, names.session), linkKeys);
    if (id) await sessions.deleteSession(id);
    deleteCookie(c, names.session, cookie);
    return c.redirect('/console', 303);
  });

  return app;
}
