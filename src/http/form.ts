/**
 * The request form: `GET /` shows it, `POST /` turns it into a mail through the pipeline
 * (web-mail.ts). Before that: the CSRF token, the honeypot, the fields, the attachments, the
 * optional human check, and the hourly limits per address and per client, in that order.
 */
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import type { WebDeps } from './deps.js';
import { formToken, formTokenValid } from './form-token.js';
import { notice } from './pages/layout.js';
import { requestFormPage, requestReceivedPage, type FormState } from './pages/request-form.js';
import { overLimit, secondsToNextHour } from './rate-limits.js';
import { sizeInWords } from './size-words.js';
import { requestProblems, ticketRequestSchema } from './ticket-request.js';
import { verifyTurnstile } from './turnstile.js';
import { deliverWebMail, type WebAttachment } from './web-mail.js';

const FIELDS = ['name', 'email', 'subject', 'description'] as const;

export function formRoutes(deps: WebDeps): Hono {
  const { config } = deps;
  const { form, linkKeys } = config.web;
  const app = new Hono();
  const token = (c: Parameters<typeof formToken>[0]) => formToken(c, linkKeys, deps.plainHttp);
  const maxBody = form.maxRequestBytes;

  app.get('/', (c) => c.html(requestFormPage(config, { values: {}, errors: {}, token: token(c), submission: newSubmission() })));

  app.post(
    '/',
    csrf(),
    bodyLimit({
      maxSize: maxBody,
      onError: (c) => c.html(notice(config.teamName, 'That was too much to send', [`Your request was larger than we accept at once (${sizeInWords(maxBody)} with its files), so nothing was sent. Please go back, attach fewer or smaller files, and send it again.`]), 413),
    }),
    async (c) => {
      const body = await c.req.parseBody({ all: true });
      const values = Object.fromEntries(FIELDS.map((f) => [f, typeof body[f] === 'string' ? (body[f] as string) : ''])) as FormState['values'];
      // Nothing was sent when the form comes back: the same submission id goes with it again.
      const submission = typeof body.submission === 'string' && SUBMISSION.test(body.submission) ? body.submission : newSubmission();
      const again = (errors: FormState['errors'], status: 400 | 403 | 429) => c.html(requestFormPage(config, { values, errors, token: token(c), submission }), status);
      const client = deps.clientAddress(c);

      if (!formTokenValid(c, body.token, linkKeys, deps.plainHttp)) {
        return again({ form: 'This form had been open too long (or your browser blocked our cookie), so nothing was sent. Please check your details and send it again.' }, 403);
      }
      if (typeof body.website === 'string' && body.website.trim() !== '') {
        // Only a program fills in a field no person can see: it hears "received" and nothing is made.
        deps.log(`web form: the hidden field was filled in (client ${client}): not taken`);
        return c.html(requestReceivedPage(config, { ticketId: null, email: values.email ?? '' }));
      }
      const errors: FormState['errors'] = {};
      const parsed = ticketRequestSchema.safeParse(values);
      if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path[0] as (typeof FIELDS)[number]] ??= issue.message;
      else for (const p of requestProblems(parsed.data, config)) errors[p.field] ??= p.message;
      const files = attachmentsIn(body.attachments);
      const fileProblem = attachmentProblem(files, form);
      if (fileProblem) errors.attachments = fileProblem;
      if (!parsed.success || Object.keys(errors).length) return again(errors, 400);

      if (form.turnstile) {
        const verdict = await verifyTurnstile(body['cf-turnstile-response'], form.turnstile, client);
        if (!verdict.ok) {
          deps.log(`web form: ${verdict.why} (client ${client})`);
          return again({ form: 'We could not confirm that a person sent this form. Please try again.' }, 403);
        }
      }
      const request = parsed.data;
      const now = deps.ports.clock.now();
      const over = await overLimit(
        deps.ports.store,
        [
          { scope: `web-client#${client}`, max: form.perClientPerHour },
          { scope: `web-address#${request.email}`, max: form.perAddressPerHour },
        ],
        now,
      );
      if (over) {
        deps.log(`web form: ${over.scope} is over its ${over.max} requests this hour: not taken`);
        c.header('Retry-After', String(secondsToNextHour(now)));
        return again({ form: `We've had several requests from you in the last hour, so this one was not sent. Please try again later, or email us at ${config.supportAddresses[0]}.` }, 429);
      }
      const attachments: WebAttachment[] = await Promise.all(files.map(async (f) => ({ filename: f.name, contentType: f.type, content: Buffer.from(await f.arrayBuffer()) })));
      const result = await deliverWebMail(
        // The submission id makes the Message-ID: the same form sent again is a re-delivery of it.
        { source: 'web', proof: { kind: 'typed' }, from: { name: request.name, address: request.email }, subject: request.subject, text: request.description, attachments, sameAs: `form/${submission}` },
        deps.ports,
        config,
      );
      deps.log(`web form from client ${client}: ${result.ticket ? `${result.ticket} ` : ''}${result.outcome}: ${result.reason}`);
      // Only the ticket this form opened (now, or when it was first sent) is named: nothing here says whether the address has others.
      const ours = result.outcome === 'created' || result.outcome === 'redelivered';
      return c.html(requestReceivedPage(config, { ticketId: ours ? result.ticket : null, email: request.email }));
    },
  );
  return app;
}

const SUBMISSION = /^[\w-]{22}$/;

function newSubmission(): string {
  return randomBytes(16).toString('base64url');
}

/** The files chosen (an empty file input sends one nameless, empty part: not a file). */
function attachmentsIn(value: unknown): File[] {
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is File => typeof v === 'object' && v !== null && 'arrayBuffer' in v && (v as File).name !== '' && (v as File).size > 0);
}

function attachmentProblem(files: File[], form: WebDeps['config']['web']['form']): string | null {
  if (files.length > form.maxAttachments) return `Please attach at most ${form.maxAttachments} ${form.maxAttachments === 1 ? 'file' : 'files'} (you chose ${files.length}).`;
  const big = files.find((f) => f.size > form.maxAttachmentBytes);
  if (big) return `"${big.name}" is ${sizeInWords(big.size)}; each file may be at most ${sizeInWords(form.maxAttachmentBytes)}.`;
  const odd = files.find((f) => !typeAllowed(f.type, form.attachmentTypes));
  if (odd) return `"${odd.name}" is a kind of file we don't take here (${odd.type || 'unknown type'}). Please send it by email instead.`;
  return null;
}

function typeAllowed(type: string, allowed: string[]): boolean {
  const t = type.toLowerCase().split(';')[0]!.trim();
  return allowed.some((a) => (a.endsWith('/*') ? t.startsWith(a.slice(0, -1)) : t === a));
}
