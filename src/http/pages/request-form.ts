/** The request form and the page after it: server-rendered, labelled, errors beside their fields. */
import { html } from 'hono/html';
import type { Config } from '../../config.js';
import { sizeInWords } from '../size-words.js';
import { page, type Html } from './layout.js';

export interface FormState {
  values: Partial<Record<'name' | 'email' | 'subject' | 'description', string>>;
  /** By field name (`attachments` included); `form` for what concerns the whole form. */
  errors: Partial<Record<'name' | 'email' | 'subject' | 'description' | 'attachments' | 'form', string>>;
  token: string;
  /** This filled-in form's id: sent twice (a reload, a double click), it is one request. */
  submission: string;
}

type Field = 'name' | 'email' | 'subject' | 'description';

export function requestFormPage(config: Config, state: FormState): Html {
  const { form } = config.web;
  const turnstile = form.turnstile;
  const error = (name: keyof FormState['errors']) => (state.errors[name] ? html`<p class="error" id="${name}-error">${state.errors[name]}</p>` : '');
  const described = (name: Field | 'attachments', hint: boolean) =>
    [hint ? `${name}-hint` : null, state.errors[name] ? `${name}-error` : null].filter(Boolean).join(' ') || undefined;
  const input = (name: Field, label: string, type: string, autocomplete: string, hint?: string) => html`<div class="field">
<label for="${name}">${label}</label>
${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}
<input id="${name}" name="${name}" type="${type}" autocomplete="${autocomplete}" required value="${state.values[name] ?? ''}"${state.errors[name] ? html` aria-invalid="true"` : ''}${describedBy(described(name, Boolean(hint)))}>
${error(name)}
</div>`;
  const count = Object.keys(state.errors).length;
  return page({
    title: 'Ask for help',
    teamName: config.teamName,
    head: turnstile ? html`<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script>` : undefined,
    body: html`<div class="card">
<h1>Ask ${config.teamName} for help</h1>
<p class="lead">Tell us what's wrong. We'll email you a ticket number and keep you posted there.</p>
${
  state.errors.form || count
    ? html`<div class="alert bad" role="alert">${state.errors.form ?? (count === 1 ? 'Please fix the field marked below.' : `Please fix the ${count} fields marked below.`)}</div>`
    : ''
}
<form method="post" action="/" enctype="multipart/form-data" novalidate>
<input type="hidden" name="token" value="${state.token}">
<input type="hidden" name="submission" value="${state.submission}">
${input('name', 'Your name', 'text', 'name')}
${input('email', 'Your email address', 'email', 'email', "We'll send your ticket number and our answers here.")}
${input('subject', 'What do you need help with?', 'text', 'off', 'A short title, like "VPN drops every few minutes".')}
<div class="field">
<label for="description">What is happening?</label>
<p class="hint" id="description-hint">What you tried, any error message, and since when. The more we know, the faster we can help.</p>
<textarea id="description" name="description" required maxlength="${form.maxDescriptionChars}"${state.errors.description ? html` aria-invalid="true"` : ''}${describedBy(described('description', true))}>${state.values.description ?? ''}</textarea>
${error('description')}
</div>
${
  form.maxAttachments > 0
    ? html`<div class="field">
<label for="attachments">Screenshots or files (optional)</label>
<p class="hint" id="attachments-hint">Up to ${form.maxAttachments} ${form.maxAttachments === 1 ? 'file' : 'files'}, ${sizeInWords(form.maxAttachmentBytes)} each and ${sizeInWords(form.maxRequestBytes)} in all: ${kinds(form.attachmentTypes)}. Larger files? Email them to us.</p>
<input id="attachments" name="attachments" type="file" multiple accept="${form.attachmentTypes.join(',')}"${state.errors.attachments ? html` aria-invalid="true"` : ''}${describedBy(described('attachments', true))}>
${error('attachments')}
</div>`
    : ''
}
<div class="trap" aria-hidden="true"><label for="website">Leave this field empty</label><input id="website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
${turnstile ? html`<div class="field"><div class="cf-turnstile" data-sitekey="${turnstile.siteKey}"></div></div>` : ''}
<div class="actions"><button type="submit">Send request</button></div>
</form>
</div>
<p>You can also email us at <a href="mailto:${config.supportAddresses[0]}">${config.supportAddresses[0]}</a>.</p>`,
  });
}

/** After the form: the ticket id when the request opened a ticket; otherwise only that it arrived. */
export function requestReceivedPage(config: Config, p: { ticketId: string | null; email: string }): Html {
  return page({
    title: 'Request received',
    teamName: config.teamName,
    body: html`<div class="card">
<h1>We've got your request</h1>
${p.ticketId ? html`<p>Your ticket number is <span class="badge">${p.ticketId}</span></p>` : ''}
<p>We've sent a confirmation to <strong>${p.email}</strong>. Open the link in that email to see how your request is going and to answer us.</p>
<p>Someone from ${config.teamName} will take a look and get back to you by email. If nothing arrives within a few minutes, check your junk folder, or email us at <a href="mailto:${config.supportAddresses[0]}">${config.supportAddresses[0]}</a>.</p>
</div>
<p><a href="/">Ask for help with something else</a></p>`,
  });
}

function describedBy(ids: string | undefined): Html | string {
  return ids ? html` aria-describedby="${ids}"` : '';
}

const KIND_NAMES: Record<string, string> = {
  'image/*': 'images',
  'application/pdf': 'PDF',
  'text/plain': 'text',
  'text/csv': 'CSV',
  'application/zip': 'ZIP',
  'application/json': 'JSON',
};

function kinds(types: string[]): string {
  return types.map((t) => KIND_NAMES[t] ?? t).join(', ');
}
