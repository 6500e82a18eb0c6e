import { readFile } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import type { Ticket, ThreadMessage } from './domain/ticket.js';
import type { TicketEvent } from './domain/lifecycle.js';
import type { StaleJobResult } from './pipeline/stale-job.js';
import type { OutboxEntry } from './local/ses-endpoint.js';
import type { ReceiptRecord, UndeliveredMail } from './pipeline/ports.js';

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
  };
}

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

const shortTime = (iso: string) => iso.replace('T', ' ').slice(0, 16);

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
    `Requester ${t.requesterName ? `${t.requesterName} <${t.requester}>` : t.requester}`,
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
        sentAt: e.sentAt,
        to: addresses(mail.to),
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
        `--- ${m.sentAt}  ${m.subject}`,
        `  From: ${m.from}`,
        `  To: ${m.to}`,
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
