/**
 * `/s/{token}`: the requester's status page. A valid link proves its holder got our mail at the
 * requester's address, so opening it confirms a web-typed address, and what is sent from the
 * page goes through the pipeline as that requester's reply (source web, proof status-link). A
 * tampered, expired or unknown link gets one plain page that names no ticket.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { parseIncidentId } from '../domain/incidents/incident.js';
import { checkStatusToken } from '../domain/status-link.js';
import type { Ticket } from '../domain/ticket.js';
import type { WebDeps } from './deps.js';
import { formToken, formTokenValid } from './form-token.js';
import { notice } from './pages/layout.js';
import { FLASHES, statusPage, type Flash } from './pages/status.js';
import { overLimit } from './rate-limits.js';
import { deliverWebMail } from './web-mail.js';

/** Answers sent from one ticket's status page per clock hour. */
const ANSWERS_PER_TICKET_PER_HOUR = 20;
export const SOLVED_TEXT = 'This is solved. (Sent with the "This is solved" button on the status page.)';

export function statusRoutes(deps: WebDeps): Hono {
  const { config } = deps;
  const { linkKeys } = config.web;
  const app = new Hono();

  const badLink = (c: Context, problem: 'malformed' | 'bad-signature' | 'expired' | 'unknown') =>
    c.html(
      problem === 'expired'
        ? notice(config.teamName, 'This link has expired', [
            'Links to a ticket stop working after a while, to keep your tickets private.',
            `Every email we send about your ticket has a fresh link; or write to ${config.supportAddresses[0]} and keep the ticket number in the subject.`,
          ])
        : notice(config.teamName, "This link doesn't work", [
            'It may have been cut short when it was copied. Please open it again from the email we sent you.',
            `If that doesn't help, write to ${config.supportAddresses[0]}.`,
          ]),
      problem === 'expired' ? 410 : 404,
    );

  /** The ticket a link opens, or the page that says it opens none. */
  const ticketOf = async (c: Context): Promise<Ticket | Response> => {
    const check = checkStatusToken(c.req.param('token') ?? '', linkKeys, deps.ports.clock.now());
    if (!check.ok) return badLink(c, check.problem);
    const ticket = (await deps.ports.store.getTickets([check.ticketKey])).get(check.ticketKey);
    // A requester erased on request (`ticketing forget`) left a placeholder in .invalid: their old links open nothing.
    return ticket?.number && !/\.invalid$/i.test(ticket.requester) ? ticket : badLink(c, 'unknown');
  };

  app.get('/s/:token', async (c) => {
    const found = await ticketOf(c);
    if (found instanceof Response) return found;
    const ticket = found.unverified ? await confirmAddress(found, deps) : found;
    const flash = FLASHES.find((f) => f === c.req.query('sent')) ?? null;
    const incidentNumber = ticket.incident ? parseIncidentId(ticket.incident) : null;
    const [messages, incident] = await Promise.all([deps.ports.store.listMessages(ticket.key), incidentNumber === null ? null : deps.ports.store.getIncident(incidentNumber)]);
    c.header('Cache-Control', 'no-store');
    return c.html(
      statusPage(config, { ticket, messages, action: `/s/${c.req.param('token')}`, formToken: formToken(c, linkKeys, deps.plainHttp), flash, knownProblem: incident?.status === 'open' }),
    );
  });

  const answer = (solved: boolean) => async (c: Context) => {
    const found = await ticketOf(c);
    if (found instanceof Response) return found;
    const body = await c.req.parseBody();
    const back = `/s/${c.req.param('token')}`;
    if (!formTokenValid(c, body.token, linkKeys, deps.plainHttp)) {
      return c.html(notice(config.teamName, 'Nothing was sent', ['The page had been open too long (or your browser blocked our cookie). Please go back, reload the page and send it again.']), 403);
    }
    const text = solved ? SOLVED_TEXT : typeof body.text === 'string' ? body.text.trim() : '';
    if (!text) return c.redirect(back, 303);
    if (text.length > config.web.form.maxDescriptionChars) {
      return c.html(notice(config.teamName, 'That message is too long', [`Please keep it under ${config.web.form.maxDescriptionChars} characters, or reply by email with the details attached.`]), 400);
    }
    const now = deps.ports.clock.now();
    if (await overLimit(deps.ports.store, [{ scope: `web-status#${found.key}`, max: ANSWERS_PER_TICKET_PER_HOUR }], now)) {
      return c.html(notice(config.teamName, 'Please wait a little', [`We've had many messages on this ticket in the last hour. Please try again later, or email ${config.supportAddresses[0]}.`]), 429);
    }
    const result = await deliverWebMail(
      {
        source: 'web',
        proof: { kind: 'status-link', ticketKey: found.key, ...(solved ? { solved: true } : {}) },
        from: { name: found.requesterName, address: found.requester },
        subject: `Re: [${found.id}] ${found.subject}`,
        text,
        inReplyTo: found.originMessageId,
      },
      deps.ports,
      config,
    );
    deps.log(`status page of ${found.id}: ${result.ticket ? `${result.ticket} ` : ''}${result.outcome}: ${result.reason}`);
    // A closed ticket's answer opens a new ticket that follows on from it: the page says so.
    const flash: Flash = solved ? 'solved' : result.ticket && result.ticket !== found.id ? 'new' : 'reply';
    return c.redirect(`${back}?sent=${flash}`, 303);
  };
  const limit = bodyLimit({ maxSize: 8 * config.web.form.maxDescriptionChars + 16 * 1024, onError: (c) => c.html(notice(config.teamName, 'That message is too long', ['Please shorten it, or reply by email.']), 413) });
  app.post('/s/:token/reply', csrf(), limit, answer(false));
  app.post('/s/:token/solved', csrf(), limit, answer(true));
  return app;
}

/** The requester opened the link we mailed them: the address typed on the web is theirs. */
async function confirmAddress(ticket: Ticket, deps: WebDeps): Promise<Ticket> {
  const at = deps.ports.clock.now().toISOString();
  await deps.ports.store.changeTicket({
    ticket,
    changes: { unverified: false },
    events: [{ at, actor: ticket.requester, kind: 'verified', from: null, to: ticket.requester, why: `${ticket.requester} opened the status link we mailed them: the address is theirs` }],
    causeKey: 'verified',
  });
  return { ...ticket, unverified: false };
}
