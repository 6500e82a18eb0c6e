import { readFile } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import type { Ticket, ThreadMessage } from '../domain/ticket.js';
import type { TicketEvent } from '../domain/lifecycle.js';
import type { StaleJobResult } from '../pipeline/stale-job.js';
import type { OutboxEntry } from '../local/ses-endpoint.js';
import type { ErasurePlan, ErasureSummary, ReceiptRecord, UndeliveredMail } from '../pipeline/ports.js';
import type { ForgetReport } from '../pipeline/forget.js';
import type { WouldSend } from '../pipeline/dry-run.js';
import { OUTBOUND_KINDS } from '../pipeline/outbound-kinds.js';

/** The `tickets --json` row: what a script needs about a ticket. */
export function ticketRow(t: Ticket) {
  return {
    id: t.id,
    status: t.status,
    category: t.category,
    priority: t.priority,
    requester: t.requester,
    subject: t.subject,
    messages: t.messageKeys.length,
    duplicatesMerged: t.mergedKeys.length,
    createdAt: t.createdAt,
    lastActivityAt: t.lastActivityAt,
    stale: t.stale,
    /** Opened from the web or the API, its address not yet confirmed by its requester. */
    unverified: t.unverified === true,
  };
}

export function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/** Rows as aligned columns, the first row the header. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** A stored time (ISO 8601, UTC) for people: to the minute, the zone said, e.g. `2026-11-30 08:00 UTC`. */
export function shortTime(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

/** The kinds of mail we send; our Message-IDs start with the kind (`ack.<key>@…`, src/pipeline/outbound.ts). */
const MAIL_KINDS: ReadonlySet<string> = new Set(Object.keys(OUTBOUND_KINDS));

/** What kind of our mail this was, from the Message-ID we composed (SES replaces it on the way out). */
export function mailKind(composedMessageId: string | null | undefined): string | null {
  const prefix = composedMessageId?.split('.')[0];
  return prefix && MAIL_KINDS.has(prefix) ? prefix : null;
}

export function renderTicketTable(tickets: Ticket[], quarantine: ReceiptRecord[], undelivered: UndeliveredMail[] = []): string {
  const parts: string[] = [];
  if (!tickets.length) parts.push('No tickets yet.');
  else {
    const rows = [['ID', 'STATUS', 'PRI', 'CATEGORY', 'REQUESTER', 'MSGS', 'DUPS', 'LAST ACTIVITY', 'STALE', 'SUBJECT']];
    for (const t of tickets) {
      rows.push([
        t.id,
        t.status,
        t.priority ?? '-',
        t.category ?? '-',
        t.requester,
        String(t.messageKeys.length),
        String(t.mergedKeys.length),
        shortTime(t.lastActivityAt),
        t.stale ? 'yes' : '',
        clip(t.subject, 50),
      ]);
    }
    parts.push(table(rows));
  }
  if (quarantine.length) {
    parts.push(`\nQuarantined (${quarantine.length}): kept unprocessed, with the reason`);
    const rows = [['RECEIVED', 'RAW OBJECT', 'FROM', 'REASON']];
    for (const q of quarantine) rows.push([shortTime(q.at), q.rawKey, q.from ?? '-', clip(q.reason, 90)]);
    parts.push(table(rows));
    parts.push('Bring them in once they should be: ticketing replay --quarantined');
  }
  if (undelivered.length) {
    parts.push(`\nMail that did not go out in the last 30 days (${undelivered.length}): not sent again on its own`);
    const rows = [['WHEN', 'TICKET', 'MAIL', 'TO', 'WHAT HAPPENED']];
    for (const u of undelivered) rows.push([shortTime(u.at), u.ticketId ?? '-', u.kind, clip(u.to.join(', '), 40), clip(`${u.state === 'unconfirmed' ? 'may not have gone out' : 'could not be sent'}: ${u.detail}`, 90)]);
    parts.push(table(rows));
  }
  return parts.join('\n');
}

export function renderTicket(t: Ticket, messages: ThreadMessage[], events: TicketEvent[]): string {
  const head = [
    `${t.id}  ${t.subject}`,
    `Status ${t.status} · priority ${t.priority ?? '-'} · category ${t.category ?? '-'}${t.stale ? ' · STALE' : ''}`,
    t.triageReasons.length ? `Triage: ${t.triageReasons.join('; ')}` : null,
    t.missing.length ? `Waiting for the requester to tell us: ${t.missing.join(', ')}` : null,
    t.assignee ? `Assigned to ${t.assignee}` : null,
    t.duplicateOf ? `Merged into ${t.duplicateOf}` : null,
    t.linkedTo ? `Follows up ${t.linkedTo}` : null,
    t.incident ? `Incident: ${t.incident}` : null,
    `Requester ${t.requesterName ? `${t.requesterName} <${t.requester}>` : t.requester}${t.unverified ? ' (typed into the web form or the API: not confirmed yet)' : ''}`,
    t.participants.length ? `Also on the ticket: ${t.participants.join(', ')}` : null,
    `Opened ${shortTime(t.createdAt)} · last activity ${shortTime(t.lastActivityAt)} · ${messages.length} message(s), ${t.mergedKeys.length} duplicate(s) merged`,
  ].filter(Boolean);
  const thread = messages.map((m) => {
    const attachments = m.attachments.length ? `\n  attachments: ${m.attachments.map((a) => `${a.filename} (${a.size} bytes)`).join(', ')}` : '';
    const body = m.visibleText ? m.visibleText.split('\n').map((l) => `  | ${l}`).join('\n') : '  | (no text)';
    const warnings = m.parseWarnings?.length ? `\n  parse warnings: ${m.parseWarnings.join('; ')}` : '';
    return `--- ${shortTime(m.receivedAt)} ${m.direction} from ${m.from || '(unknown)'} [${m.role}]\n  why: ${m.reason}${attachments}${warnings}\n${body}`;
  });
  const history = events.map((e) => `  ${shortTime(e.at)}  ${e.kind}${e.from || e.to ? ` ${e.from ?? '-'} → ${e.to ?? '-'}` : ''}  by ${e.actor}: ${e.why}`);
  return [...head, '', 'History:', ...(history.length ? history : ['  (none)']), '', ...thread].join('\n');
}

export async function renderOutbox(entries: OutboxEntry[], json: boolean): Promise<string> {
  const mails = await Promise.all(
    entries.map(async (e) => {
      const mail = await simpleParser(await readFile(e.rawPath));
      const header = (name: string) => {
        const v = mail.headers.get(name);
        return v === undefined ? null : typeof v === 'string' ? v : Array.isArray(v) ? v.join(' ') : JSON.stringify(v);
      };
      const addresses = (v: typeof mail.to) => (Array.isArray(v) ? v : v ? [v] : []).map((a) => a.text).join(', ');
      return {
        // The time the sender put on the mail (the CLI's --now clock); the endpoint's own clock is the wall clock.
        sentAt: e.date ?? e.sentAt,
        kind: mailKind(e.composedMessageId),
        to: addresses(mail.to),
        cc: addresses(mail.cc),
        from: addresses(mail.from),
        replyTo: addresses(mail.replyTo),
        subject: mail.subject ?? '',
        messageId: mail.messageId ?? null,
        inReplyTo: mail.inReplyTo ?? null,
        references: header('references'),
        autoSubmitted: header('auto-submitted'),
        text: (mail.text ?? '').trim(),
      };
    }),
  );
  if (json) return JSON.stringify(mails, null, 2);
  if (!mails.length) return 'The outbox is empty: nothing has been sent.';
  return mails
    .map((m) =>
      [
        `--- ${shortTime(m.sentAt)}  ${m.subject}${m.kind ? `  (${m.kind})` : ''}`,
        `  From: ${m.from}`,
        `  To: ${m.to}`,
        ...(m.cc ? [`  Cc: ${m.cc}`] : []),
        `  Reply-To: ${m.replyTo || '-'}`,
        `  Message-ID: ${m.messageId ?? '-'}`,
        `  In-Reply-To: ${m.inReplyTo ?? '-'}`,
        `  References: ${m.references ?? '-'}`,
        `  Auto-Submitted: ${m.autoSubmitted ?? '-'}`,
        m.text.split('\n').map((l) => `  | ${l}`).join('\n'),
      ].join('\n'),
    )
    .join('\n\n');
}

/** `ticketing stale` for people: what the run did, in a few lines. */
export function renderStaleResult(r: StaleJobResult, htmlFile: string | null): string {
  if (r.alreadyRan) return `Stale job: ${r.problems.join('; ')}.`;
  const list = (ids: string[]) => (ids.length ? ids.join(', ') : 'none');
  return [
    `Stale job for the ${r.slot} slot:`,
    `  newly stale: ${list(r.flagged)}`,
    `  no longer stale: ${list(r.cleared)}`,
    `  requesters reminded: ${list(r.nudged)}`,
    `  closed after no answer: ${list(r.closed)}`,
    r.digest ? `  digest to ${r.digest.to}: "${r.digest.subject}" (${r.digest.tickets.length} tickets)${htmlFile ? `; HTML in ${htmlFile}` : ''}` : '  no digest: nothing is stale',
    ...r.problems.map((p) => `  problem: ${p}`),
  ].join('\n');
}

/** `ticketing stale --dry-run` for people: what the run would do, and the mail it would send. */
export function renderStaleDryRun(r: StaleJobResult, mails: WouldSend[], htmlFile: string | null): string {
  if (r.alreadyRan) return `Dry run: the ${r.slot} slot already ran: ${r.problems.join('; ')}. Nothing was written or sent.`;
  const list = (ids: string[]) => (ids.length ? ids.join(', ') : 'none');
  return [
    `Dry run of the stale job for the ${r.slot} slot: nothing was written or sent.`,
    `  would flag as stale: ${list(r.flagged)}`,
    `  would clear: ${list(r.cleared)}`,
    `  would remind: ${list(r.nudged)}`,
    `  would close after no answer: ${list(r.closed)}`,
    r.digest
      ? `  the digest to ${r.digest.to} would list ${r.digest.tickets.length ? r.digest.tickets.join(', ') : 'no ticket'}${htmlFile ? `; its HTML is in ${htmlFile}` : ''}`
      : '  no digest: nothing is stale',
    ...(mails.length ? [`  mail it would send (${mails.length}):`, ...mails.map((m) => `    to ${m.to.join(', ')}: ${m.subject}`)] : []),
    ...r.problems.map((p) => `  problem: ${p}`),
  ].join('\n');
}

function erasureLines(s: ErasureSummary, past: boolean): string[] {
  const verb = (now: string, then: string) => (past ? then : now);
  const open = s.stillOpen.length ? ` (still open: ${s.stillOpen.join(', ')}; no one to answer there now, the digest lists them as unreachable)` : '';
  return [
    s.profile ? `  requester profile: ${verb('deleted', 'deleted')}` : null,
    s.ticketsOpened.length ? `  tickets they opened: ${s.ticketsOpened.join(', ')}: requester ${verb('replaced', 'replaced')}, name ${verb('removed', 'removed')}${open}` : null,
    s.ticketsNaming.length ? `  other tickets naming them: ${s.ticketsNaming.join(', ')}` : null,
    s.messagesSent ? `  messages they sent: ${s.messagesSent}, text and attachments ${verb('erased', 'erased')}` : null,
    s.messagesNaming ? `  other messages naming them (mail to them, Cc): ${s.messagesNaming}, address and name replaced` : null,
    s.historyEntries ? `  history entries naming them: ${s.historyEntries}, address and name replaced` : null,
    s.receipts ? `  delivery records of their mail: ${s.receipts}${s.quarantined ? `, ${s.quarantined} of them quarantined (taken out of the quarantine: the raw mail is gone)` : ''}` : null,
    s.otherRecords ? `  other records (sent-mail records, effect plans, rate limits): ${s.otherRecords}` : null,
  ].filter((l): l is string => l !== null);
}

/** What `forget` is about to erase, before it asks. */
export function renderForgetPlan(plan: ErasurePlan, where: string): string {
  const e = plan.erasure;
  return [
    `In ${where}, ${e.address}${e.knownAs.length ? ` (${e.knownAs.join(', ')})` : ''} is named by:`,
    ...erasureLines(plan.summary, false),
    plan.rawKeys.length ? `  raw mail they sent, in S3: ${plan.rawKeys.length}, deleted with its kept text and attachments` : '  raw mail they sent, in S3: none',
    `Kept: ticket numbers and what happened on them; subjects, with the address and name replaced by ${e.placeholder} and [erased].`,
  ].join('\n');
}

/** What `forget` erased. */
export function renderForgetReport(r: ForgetReport): string {
  return [
    `Erased ${r.address}${r.names.length ? ` (${r.names.join(', ')})` : ''}; ${r.placeholder} stands in for the address on what is kept:`,
    ...erasureLines(r, true),
    `  raw mail they sent: ${r.rawMails}; ${r.objectsDeleted} object(s) deleted from S3 (raw mail, kept text, attachments)`,
    'Kept: ticket numbers, statuses, categories, priorities and times; subjects with the address and name replaced; Message-IDs; history that no longer names them.',
  ].join('\n');
}
