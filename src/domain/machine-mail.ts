import type { InboundMessage } from '../mail/types.js';
import { isMailSystemAddress, isNoReplyAddress, isSupportAddress, type AddressBook } from './addresses.js';
import { sesNotification } from './bounce.js';
import { startsWithSubjectPrefix } from './subject-prefixes.js';

export type MachineKind =
  | 'bounce'
  | 'delivery-success'
  | 'feedback-report'
  | 'out-of-office'
  | 'auto-reply'
  | 'list'
  | 'bulk'
  | 'notification'
  | 'own-mail';

export interface MachineVerdict {
  kind: MachineKind;
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// The words and names the rules look for. Each is used by one rule below.

/** Subjects of bounces. Only used together with a second sign (rule 7): a person may write "Undeliverable mail?". */
const BOUNCE_SUBJECT =
  /^\s*(undeliver(able|ed)\b|delivery (status notification|failure|report|has failed|notification)|(mail )?delivery (failed|failure|problem)|mail delivery (failed|failure|subsystem|system)|returned mail\b|returned to sender|undelivered mail|failure notice|non[- ]?deliver|could not send (mail|message)|warning: could not send|message (not delivered|delivery failed)|email bounce notification|unzustellbar|non remis|non recapitabile|no se puede entregar|onbestelbaar)/i;

/**
 * Prefixes auto-responders put before the subject they answer ("Automatic reply: <subject>"),
 * in the languages Outlook, Exchange, Gmail and common responders use. They are also the names
 * of the feature people ask a helpdesk about ("Out of office: how do I set one up?"), so on its
 * own (rule 12) the prefix counts only before the subject of a mail it answers.
 */
const AUTO_REPLY_PREFIX = new RegExp(
  '^\\s*(' +
    [
      'automatic reply',
      'auto(matic)?[- ]?(reply|response|respons|answer)',
      'out of (the )?office( auto-?reply| reply)?',
      'ooo',
      'abwesenheitsnotiz',
      'automatische antwort',
      'r[ée]ponse automatique',
      'absence du bureau',
      'respuesta autom[áa]tica',
      'risposta automatica',
      'resposta autom[áa]tica',
      'automatisch antwoord',
      'autosvar',
      'automatisk svar',
      'automaattinen vastaus',
      'odpowied[źz] automatyczna',
      'automatick[áa] odpov[ěe][ďd]',
      'automatikus v[áa]lasz',
      'otomatik yan[ıi]t',
      'автоматический ответ',
      '自動応答',
      '自動返信',
      '自动回复',
      '자동 회신',
    ].join('|') +
    ')\\s*[:：]', // CJK subjects use the full-width colon
  'i',
);

/**
 * A subject that is nothing but an absence notice ("Out of Office", "Away until 5 May"). A
 * person may use it too ("Out of office" — how do I set one up?), so it counts only with a
 * first-person absence statement in the text (rule 12).
 */
const ABSENCE_SUBJECT =
  /^\s*(out of (the )?office|ooo|away|i am away|i'?m away|on (annual )?(vacation|holiday|leave)|vacation|holiday|absent|absence|abwesend|abwesenheit|abwesenheitsnotiz|en cong[ée]|absent du bureau|fuera de la oficina|fuori sede|afwezig|fr[åa]nvarande)( (reply|notice|message|notification|auto-?reply))?( (until|till|from|through|to|bis|jusqu'au|hasta)\b.{0,40})?[\s.!]*$/i;

/** First-person absence statements of out-of-office texts. */
const ABSENCE_TEXT =
  /\b(i am|i'm|i will be|i'll be) (currently |now )?(out of (the )?office|away|on (annual |parental |sick |maternity |paternity )?(leave|vacation|holiday)|travell?ing|out until|not in the office|absent)\b|\blimited access to (e-?mail|my e-?mail|email)\b|\b(will|shall) (respond|reply|get back to you|answer) .{0,40}\b(on|upon|after) my return\b|\bich bin (derzeit |zurzeit |bis )?(nicht im b[üu]ro|abwesend|im urlaub)|\bje suis (actuellement )?absent/i;

/** Headers responders set to say "this is an automatic reply" (besides Auto-Submitted). */
const AUTO_REPLY_HEADERS = ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-autoreply-from', 'x-mail-autoreply', 'x-auto-reply', 'x-vacation'];

/** Headers of mailing-list software (RFC 2369/2919, ezmlm, fml, Mailman, Sympa, Google Groups). */
const LIST_HEADERS = ['list-id', 'list-unsubscribe', 'list-post', 'list-help', 'list-subscribe', 'mailing-list', 'x-mailing-list', 'x-ml-name', 'x-mlserver', 'x-mailman-version', 'x-loop-detect'];

const SUCCESS_ACTIONS = new Set(['delivered', 'relayed', 'expanded', 'deliverable']);

// ---------------------------------------------------------------------------------------------

function header(msg: InboundMessage, name: string): string | undefined {
  return msg.headers[name]?.[0]?.trim();
}

function hasHeader(msg: InboundMessage, name: string): boolean {
  return (msg.headers[name]?.length ?? 0) > 0;
}

/** `x-autoreply` → `X-Autoreply`, for reasons people read. */
function headerName(name: string): string {
  return name.replace(/(^|-)(\w)/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/**
 * Does the mail answer another one: thread headers, an Exchange rule's loop marker, or a subject
 * that goes on (after the auto-reply prefix) with a reply prefix or a ticket tag ("Abwesenheitsnotiz:
 * AW: [TKT-21] …"). A person's new question ("Out of office: how do I set one up?") does none.
 */
function answersAMail(msg: InboundMessage): boolean {
  if (msg.inReplyTo.length || msg.references.length || hasHeader(msg, 'x-ms-exchange-inbox-rules-loop')) return true;
  const rest = msg.subject.replace(AUTO_REPLY_PREFIX, '').trim();
  return startsWithSubjectPrefix(rest) || /\[[a-z]+-?\d+\]/i.test(rest);
}

function isOutOfOfficeSubject(subject: string): boolean {
  return AUTO_REPLY_PREFIX.test(subject) || ABSENCE_SUBJECT.test(subject);
}

/** `<x@y>` / `x@y` / `<>` → `x@y` / `` (lower-cased); undefined when there is no such header. */
function envelopeSender(msg: InboundMessage): string | undefined {
  const value = header(msg, 'return-path');
  if (value === undefined) return undefined;
  return (/<([^<>]*)>/.exec(value)?.[1] ?? value).trim().toLowerCase();
}

/** The Action fields of the delivery-status text (mailparser puts that part in `text`). */
function dsnActions(text: string): string[] {
  return [...text.matchAll(/^Action[ \t]*:[ \t]*([a-z-]+)/gim)].map((m) => (m[1] as string).toLowerCase());
}

function partTypes(msg: InboundMessage): Set<string> {
  return new Set(msg.attachments.map((a) => a.contentType.toLowerCase()));
}

/** A delivery-status report: failure, warning or success, by its Action fields. */
function deliveryStatusVerdict(msg: InboundMessage, what: string): MachineVerdict {
  const actions = dsnActions(msg.text);
  if (actions.length && actions.every((a) => SUCCESS_ACTIONS.has(a))) {
    return { kind: 'delivery-success', reason: `${what} saying the mail was ${[...new Set(actions)].join('/')}: a success notice, not a failure` };
  }
  if (actions.length && actions.every((a) => a === 'delayed' || SUCCESS_ACTIONS.has(a))) {
    return { kind: 'bounce', reason: `${what}: delivery delayed (a warning; the mail system is still trying)` };
  }
  return { kind: 'bounce', reason: actions.length ? `${what}: delivery ${[...new Set(actions)].join('/')}` : what };
}

/** Amazon SES event notification mailed by SNS (`{"notificationType":"Bounce", …}`, raw or in SNS's envelope). */
function sesNotificationType(msg: InboundMessage): string | null {
  if (!/@sns\.amazonaws\.com$/.test(msg.from?.address ?? '')) return null;
  const event = sesNotification(msg.text);
  return (event?.notificationType ?? event?.eventType)?.toLowerCase() ?? null;
}

/**
 * Is this mail written by a machine rather than a person? Every rule is here, in order; the
 * first that holds decides and its reason says why in words (RFC 3464, 3834, 5965, 2369, 5321
 * and common practice). Mail that no rule catches is treated as a person's, so every rule is
 * written not to catch people:
 * - `X-Auto-Response-Suppress` alone is NOT a signal: Outlook and Exchange add it to ordinary mail.
 * - A bounce-like subject alone is not one either ("Undeliverable mail to the CEO?" is a question),
 *   nor an auto-reply prefix on a new mail ("Out of office: how do I set one up?").
 * - A person forwarding a bounce or an out-of-office to us is a person (the subject starts
 *   "Fw:", the headers are a client's): no rule reads the body for bounce words on its own.
 */
export function classifyMachineMail(msg: InboundMessage, book: AddressBook): MachineVerdict | null {
  const from = msg.from?.address ?? '';
  const rawFrom = header(msg, 'from') ?? '';
  const subject = msg.subject;
  const contentType = msg.contentType.toLowerCase();
  const reportType = /report-type\s*=\s*"?([\w-]+)/i.exec(header(msg, 'content-type') ?? '')?.[1]?.toLowerCase();
  const parts = partTypes(msg);
  const returnPath = envelopeSender(msg);
  const autoSubmitted = header(msg, 'auto-submitted')?.toLowerCase();
  const precedence = header(msg, 'precedence')?.toLowerCase().replace(/[^a-z_-]/g, '');

  // 1. Our own address: never answer ourselves (a send-as copy, our own mail bounced back to us).
  if (from && isSupportAddress(from, book)) {
    return { kind: 'own-mail', reason: `sent from our own address ${from}: never answer ourselves` };
  }

  // 2. ARF feedback report (RFC 5965): a complaint or DMARC failure report about a mail.
  if ((contentType === 'multipart/report' && reportType === 'feedback-report') || parts.has('message/feedback-report')) {
    return { kind: 'feedback-report', reason: 'feedback report (ARF, report-type=feedback-report): a complaint or authentication report by a mail system' };
  }

  // 3. Delivery status notification (RFC 3464): a multipart/report of delivery status, or a
  //    delivery-status part in another multipart, or Exchange's NDR marker. Success DSNs
  //    (Action: delivered/relayed/expanded) are told apart from failures.
  if (contentType === 'multipart/report' && (reportType === 'delivery-status' || reportType === 'global-delivery-status')) {
    return deliveryStatusVerdict(msg, `delivery status report (multipart/report; report-type=${reportType})`);
  }
  if (parts.has('message/delivery-status') || parts.has('message/global-delivery-status')) {
    return deliveryStatusVerdict(msg, 'delivery status report (a message/delivery-status part)');
  }
  if (hasHeader(msg, 'x-ms-exchange-message-is-ndr')) {
    return deliveryStatusVerdict(msg, 'Exchange non-delivery report (X-MS-Exchange-Message-Is-Ndr)');
  }
  if (contentType === 'multipart/report') {
    if (reportType === 'disposition-notification') {
      return { kind: 'auto-reply', reason: 'read receipt (multipart/report; report-type=disposition-notification)' };
    }
    return reportType
      ? { kind: 'auto-reply', reason: `machine report (multipart/report; report-type=${reportType})` }
      : deliveryStatusVerdict(msg, 'report by a mail system (multipart/report without a report-type)');
  }

  // 4. Amazon SES notifications mailed by SNS: bounce, complaint or delivery, by their JSON.
  const ses = sesNotificationType(msg);
  if (ses) {
    const kind: MachineKind = ses === 'bounce' ? 'bounce' : ses === 'complaint' ? 'feedback-report' : ses === 'delivery' ? 'delivery-success' : 'notification';
    return { kind, reason: `Amazon SES ${ses} notification mailed by SNS (${from})` };
  }

  // 5. Sent by a mail system: MAILER-DAEMON, postmaster, Exchange's system mailbox, an empty
  //    From (`<>`), or an envelope sender of MAILER-DAEMON.
  if (from && isMailSystemAddress(from)) {
    return { kind: 'bounce', reason: `sent by ${from}, a mail system` };
  }
  if (!from && (/mailer-daemon|postmaster|<>/i.test(rawFrom) || /^\s*<\s*>\s*$/.test(rawFrom))) {
    return { kind: 'bounce', reason: `From "${rawFrom.slice(0, 60)}" is a mail system without an address` };
  }
  if (returnPath && isMailSystemAddress(returnPath)) {
    return { kind: 'bounce', reason: `envelope sender (Return-Path) ${returnPath} is a mail system` };
  }

  // 6. Exim's header naming the failed recipients.
  if (hasHeader(msg, 'x-failed-recipients')) {
    return { kind: 'bounce', reason: `X-Failed-Recipients: ${header(msg, 'x-failed-recipients')?.slice(0, 80)}` };
  }

  // 7. A bounce subject with a second machine sign (empty Return-Path, Auto-Submitted, no From).
  if (BOUNCE_SUBJECT.test(subject)) {
    const sign = returnPath === '' ? 'an empty Return-Path' : autoSubmitted && autoSubmitted !== 'no' ? `Auto-Submitted: ${autoSubmitted}` : !from ? 'no From address' : null;
    if (sign) return { kind: 'bounce', reason: `bounce subject "${subject.slice(0, 80)}" with ${sign}` };
  }

  // 8. Sent from the empty envelope sender (<>) with the returned message attached: only a
  //     bounce does both (KDDI's, for one, has neither a report part nor a telling subject).
  if (returnPath === '' && (parts.has('message/rfc822') || parts.has('text/rfc822-headers'))) {
    return { kind: 'bounce', reason: 'empty Return-Path (<>) and the returned message attached: a bounce' };
  }

  // 9. Microsoft's junk-mail reporting programme (JMRP) complaint, which is not in ARF.
  if (/^\s*complaint about message from \d{1,3}(\.\d{1,3}){3}\b/i.test(subject)) {
    return { kind: 'feedback-report', reason: `Microsoft JMRP complaint ("${subject.slice(0, 60)}")` };
  }

  // 10. Auto-Submitted (RFC 3834) other than "no": auto-replied, auto-generated, auto-notified.
  if (autoSubmitted && !/^no\b/.test(autoSubmitted)) {
    return isOutOfOfficeSubject(subject)
      ? { kind: 'out-of-office', reason: `out-of-office reply (Auto-Submitted: ${autoSubmitted}, subject "${subject.slice(0, 60)}")` }
      : { kind: 'auto-reply', reason: `automatic mail (Auto-Submitted: ${autoSubmitted})` };
  }

  // 11. Auto-responder headers (X-Autoreply, X-Autorespond, …), or Precedence: auto_reply.
  const autoHeader = AUTO_REPLY_HEADERS.find((name) => hasHeader(msg, name));
  if (autoHeader || precedence === 'auto_reply') {
    const sign = autoHeader ? `${headerName(autoHeader)} header` : 'Precedence: auto_reply';
    return isOutOfOfficeSubject(subject)
      ? { kind: 'out-of-office', reason: `out-of-office reply (${sign}, subject "${subject.slice(0, 60)}")` }
      : { kind: 'auto-reply', reason: `automatic reply (${sign})` };
  }

  // 12. Out-of-office by subject alone (old clients' rules and small responders set no header):
  //     an auto-reply prefix ("Automatic reply:", "Abwesenheitsnotiz:") before the subject of a
  //     mail it answers; or a subject that is only an absence notice ("Away until 7 December")
  //     together with a first-person absence statement in the text.
  if (AUTO_REPLY_PREFIX.test(subject) && answersAMail(msg)) {
    const exchange = hasHeader(msg, 'x-ms-exchange-inbox-rules-loop') ? ', X-MS-Exchange-Inbox-Rules-Loop' : '';
    return { kind: 'out-of-office', reason: `out-of-office reply (subject "${subject.slice(0, 60)}"${exchange})` };
  }
  if (ABSENCE_SUBJECT.test(subject) && ABSENCE_TEXT.test(msg.text.slice(0, 4000))) {
    return { kind: 'out-of-office', reason: `out-of-office reply (subject "${subject.slice(0, 60)}" and an absence notice in the text)` };
  }

  // 13. Mailing lists (List-Id, List-Unsubscribe, … and list managers' own headers).
  const listHeader = LIST_HEADERS.find((name) => hasHeader(msg, name));
  if (listHeader) {
    return { kind: 'list', reason: `mailing-list mail (${headerName(listHeader)})` };
  }

  // 14. Precedence: bulk / junk / list (RFC 3834 says not to answer these).
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') {
    return { kind: precedence === 'list' ? 'list' : 'bulk', reason: `Precedence: ${precedence}` };
  }

  // 15. Empty envelope sender: only notifications are sent from <> (RFC 5321 §4.5.5), and
  //     nothing may be sent back to it.
  if (returnPath === '') {
    return { kind: 'auto-reply', reason: 'empty Return-Path (<>): a machine notification' };
  }

  // 16. A no-reply sender, unless a Reply-To names someone to answer (a contact form).
  if (from && isNoReplyAddress(from)) {
    const replyTo = msg.replyTo.find((m) => m.address !== from && !isNoReplyAddress(m.address));
    if (!replyTo) return { kind: 'notification', reason: `sent from the no-reply address ${from} with no Reply-To: an automated notification` };
  }

  return null;
}
