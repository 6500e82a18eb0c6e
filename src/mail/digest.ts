/**
 * The daily stale-ticket digest to the IT staff list, made to be read on a phone: counts
 * first, then the open incidents (one outage several people reported), then the tickets IT
 * must act on by priority (P1 first) and age (oldest first), then the tickets whose requester
 * cannot be reached, the incidents resolved since the last digest, and what the job did on its own.
 *
 * Wording lives here; escaping and bidi isolation do not: every received value (subject,
 * names, excerpt, even the team name) goes through templates/render.ts's `p` and its text and
 * HTML renderers, the same as in every other mail.
 */
import type { IncidentSummary } from '../domain/incidents/incident.js';
import {
  BREAK_ANYWHERE,
  COLORS,
  FONT,
  TEXT_WIDTH,
  address,
  escapeHtml,
  htmlDocument,
  p,
  paragraphHtml,
  paragraphText,
  receivedLine,
  wrap,
  type Paragraph,
} from './templates/render.js';

export interface DigestTicket {
  id: string;
  /** The ticket's number: the tie-break between tickets idle as long. */
  number: number;
  subject: string;
  /** As shown: "Name <address>", or the address. */
  requester: string;
  /** Lower-case: who the requester is, for counting people rather than tickets. */
  requesterAddress: string;
  category: string | null;
  priority: string | null;
  status: string;
  /** hours since last activity */
  idleHours: number;
  /** last message, a short excerpt (received text) */
  excerpt: string;
  /** the ticket's reply-able address, e.g. support+tkt-42@northwind.example */
  replyAddress: string;
  assignee: string | null;
  /** The incident it is part of (`INC-4`), or null. */
  incident?: string | null;
}

export interface DigestInput {
  teamName: string;
  staffList: string;
  supportAddress: string;
  now: Date;
  /** IT must act: grouped by priority (P1 first, no priority last) then by age (oldest first). */
  stale: DigestTicket[];
  /** The requester's address bounces: listed under "Cannot reach the requester". */
  unreachable: DigestTicket[];
  /** Ticket ids the job reminded / auto-closed this run (a short line each). */
  nudged: string[];
  closed: string[];
  /** Mail of ours that failed, or may not have gone out, since the last digest: a person should look. */
  undelivered?: UndeliveredLine[];
  /** Stale and unreachable tickets left out of the lists (a digest lists a bounded number). */
  omitted?: { stale: number; unreachable: number };
  /**
   * Incidents: the open ones (listed first, each with its reports and tickets; one alone makes
   * the digest due) and those resolved since the last digest (a line each).
   */
  incidents?: { open: IncidentSummary[]; resolved: IncidentSummary[] };
  /** Whether the "all clear" mail is wanted when stale and unreachable are empty (see digestIsDue). */
  allClear: boolean;
  /** IANA zone for the date in the subject and the check time; UTC when absent. */
  timeZone?: string;
}

export interface UndeliveredLine {
  ticketId: string | null;
  kind: string;
  to: string;
  /** failed: the provider refused it; unconfirmed: sent or not, nobody heard back. */
  state: 'failed' | 'unconfirmed';
  detail: string;
}

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
}

/**
 * Whether there is a digest to send: something to list (an open incident is), or an all-clear
 * that was asked for. Resolved incidents alone are not worth a mail: the next digest says them.
 */
export function digestIsDue(d: Pick<DigestInput, 'stale' | 'unreachable' | 'allClear' | 'undelivered' | 'incidents'>): boolean {
  // A resolved incident is news too: the next run's window starts after this one, so it would never be told.
  const incidents = (d.incidents?.open.length ?? 0) + (d.incidents?.resolved.length ?? 0);
  return d.stale.length > 0 || d.unreachable.length > 0 || (d.undelivered?.length ?? 0) > 0 || incidents > 0 || d.allClear;
}

/** A long subject is clipped in the digest (the ticket has it whole); wrapping does the rest. */
const SUBJECT_MAX = 200;
/** The start of the last message, two lines of the text version at most: enough to recall the ticket. */
const EXCERPT_MAX = 110;
/** An incident lists this many of its tickets and counts the rest (a storm can be fifty reports). */
const INCIDENT_IDS_LISTED = 20;

/**
 * The digest mail. With nothing stale or unreachable it is the all-clear mail; whether to send
 * that is the caller's choice (`digestIsDue`).
 */
export function renderDigest(d: DigestInput): RenderedDigest {
  const digest = plan(d);
  return { subject: digest.subject, text: renderText(digest), html: renderHtml(digest) };
}

// ---------------------------------------------------------------------------------------------
// What the digest says: the parts below become both text and HTML.

interface Section {
  heading: Paragraph;
  /** Why the section is there and what to do, for sections that need it. */
  note: Paragraph | null;
  tickets: DigestTicket[];
  /** Open incidents, each shown whole like a ticket. */
  incidents?: IncidentSummary[];
  /** Lines that are not tickets (mail that did not go out, incidents resolved). */
  lines?: Paragraph[];
}

interface Summary {
  /** "2 open incidents: INC-4, INC-5", first of all; null when none is open. */
  incidents: SummaryLine | null;
  /** Stale tickets per priority, in group order: labels in HTML, "1 P1, 2 P2" in text. */
  byPriority: Array<{ priority: string | null; count: number }>;
  noPriority: string;
  /** "5 stale tickets: 1 P1, 2 P2, 2 P3", or null when none is. */
  stale: Paragraph | null;
  /** Unreachable, reminded, closed: a line each, when there are any. */
  others: SummaryLine[];
}

/** A summary line, maybe ending in ticket ids (kept whole in HTML: "TKT-" never ends a line). */
interface SummaryLine {
  words: Paragraph;
  ids: string[];
}

interface Digest {
  input: DigestInput;
  subject: string;
  /** The text version's first line. */
  title: Paragraph;
  date: string;
  heading: Paragraph;
  preview: Paragraph;
  summary: Summary;
  /** How to act on a ticket from the mail; only when tickets are listed. */
  howTo: Paragraph | null;
  /** The all-clear sentence, when nothing is listed. */
  allClear: Paragraph | null;
  sections: Section[];
  footer: Paragraph;
}

function plan(d: DigestInput): Digest {
  const timeZone = d.timeZone ?? 'UTC';
  const date = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone }).format(d.now);
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(d.now);
  const groups = byPriority(d.stale);
  const unreachable = [...d.unreachable].sort(oldestFirst);
  const byPriorityCounts = groups.map((g) => ({ priority: g.priority, count: g.tickets.length }));
  const breakdown = byPriorityCounts.map((g) => `${g.count} ${g.priority === null ? 'without priority' : receivedLine(g.priority)}`).join(', ');
  const people = unreachableRequesters(unreachable);
  const team = `[${receivedLine(d.teamName)}]`;
  const title = p`${d.teamName} stale-ticket digest, ${date}`;

  const undelivered = d.undelivered ?? [];
  const omitted = (d.omitted?.stale ?? 0) + (d.omitted?.unreachable ?? 0);
  // The longest-running outage first; resolved ones in the order they were resolved.
  const openIncidents = [...(d.incidents?.open ?? [])].sort((a, b) => a.firstReport.localeCompare(b.firstReport) || a.id.localeCompare(b.id, 'en', { numeric: true }));
  const resolvedIncidents = [...(d.incidents?.resolved ?? [])].sort((a, b) => (a.resolvedAt ?? '').localeCompare(b.resolvedAt ?? '') || a.id.localeCompare(b.id, 'en', { numeric: true }));
  const incidentCount = openIncidents.length ? count(openIncidents.length, 'open incident') : null;
  const what = d.stale.length
    ? `${count(d.stale.length + (d.omitted?.stale ?? 0), 'stale ticket')}: ${breakdown}${people ? `; ${count(people, 'unreachable requester')}` : ''}`
    : people
      ? `No stale tickets; ${count(people, 'unreachable requester')}`
      : undelivered.length
        ? `No stale tickets; ${count(undelivered.length, 'mail')} did not go out`
        : incidentCount
          ? 'No stale tickets'
          : 'All clear: no stale tickets';
  // An outage is what IT wants to see first, in the inbox too.
  const subject = `${team} ${incidentCount ? `${incidentCount}; ${what.charAt(0).toLowerCase()}${what.slice(1)}` : what} (${date})`;

  const staleLine = d.stale.length ? p`${count(d.stale.length, 'stale ticket')}: ${breakdown}` : null;
  const others: SummaryLine[] = [];
  if (unreachable.length) others.push({ words: unreachable.length === 1 ? p`1 ticket whose requester we cannot reach` : p`${String(unreachable.length)} tickets whose requester we cannot reach`, ids: [] });
  if (d.nudged.length) others.push({ words: p`Reminded ${count(d.nudged.length, 'quiet requester')}:`, ids: d.nudged });
  if (d.closed.length) others.push({ words: p`Closed ${count(d.closed.length, 'ticket')} nobody answered:`, ids: d.closed });
  if (resolvedIncidents.length) others.push({ words: p`${count(resolvedIncidents.length, 'incident')} resolved since the last digest:`, ids: resolvedIncidents.map((i) => i.id) });
  if (omitted) others.push({ words: p`${count(omitted, 'more ticket')} not listed here (the digest lists the most urgent); ticketing tickets lists them all`, ids: [] });
  if (undelivered.length) others.push({ words: p`${count(undelivered.length, 'mail')} of ours did not go out, or may not have (listed last)`, ids: [] });

  const sections: Section[] = [];
  if (openIncidents.length) {
    sections.push({
      heading: p`Open incidents · ${count(openIncidents.length, 'incident')}`,
      note:
        openIncidents.length === 1
          ? p`Several people reported this outage, so their tickets are grouped as one incident. Reply to its notice mail from us (the subject starts with [${openIncidents[0]!.id}]) to answer everyone in it at once: each person gets your text on their own ticket, and #resolve at the top of your reply resolves them all.`
          : p`Several people reported each of these outages, so their tickets are grouped as one incident. Reply to an incident's notice mail from us (the subject starts with its id, such as [${openIncidents[0]!.id}]) to answer everyone in it at once: each person gets your text on their own ticket, and #resolve at the top of your reply resolves them all.`,
      tickets: [],
      incidents: openIncidents,
    });
  }
  sections.push(
    ...groups.map((g) => ({
      heading: g.priority === null ? p`No priority · ${count(g.tickets.length, 'ticket')}` : p`${g.priority} · ${count(g.tickets.length, 'ticket')}`,
      note: null,
      tickets: g.tickets,
    })),
  );
  if (unreachable.length) {
    sections.push({
      heading: p`Cannot reach the requester · ${count(unreachable.length, 'ticket')}`,
      note: p`Mail to these requesters bounces, so they get no reminders and their tickets are not closed on their own. Try another way (phone, chat, their manager), or close the ticket.`,
      tickets: unreachable,
    });
  }
  if (resolvedIncidents.length) {
    sections.push({
      heading: p`Incidents resolved since the last digest · ${count(resolvedIncidents.length, 'incident')}`,
      note: null,
      tickets: [],
      lines: resolvedIncidents.map((i) =>
        i.resolvedAt ? p`${i.id} · ${clip(i.title, 120)} · ${reportsFrom(i)} · resolved ${clockTime(i.resolvedAt, d)} ${zoneName(d)}` : p`${i.id} · ${clip(i.title, 120)} · ${reportsFrom(i)} · resolved`,
      ),
    });
  }
  if (undelivered.length) {
    sections.push({
      heading: p`Mail that did not go out · ${count(undelivered.length, 'mail')}`,
      note: p`"May not have gone out" means the mail service's answer was lost, so we do not send it again (that could deliver it twice): check with the person, and answer them from your mail client if they did not get it.`,
      tickets: [],
      lines: undelivered.map((u) =>
        u.state === 'unconfirmed'
          ? p`${u.ticketId ?? 'No ticket'} · ${mailKind(u.kind)} to ${address(u.to)}: may not have gone out (${clip(u.detail, 160)})`
          : p`${u.ticketId ?? 'No ticket'} · ${mailKind(u.kind)} to ${address(u.to)}: could not be sent (${clip(u.detail, 160)})`,
      ),
    });
  }
  const first = sections.flatMap((s) => s.tickets)[0];
  const listed = d.stale.length + unreachable.length + undelivered.length;
  const ticketsHeading = d.stale.length
    ? p`${count(d.stale.length + (d.omitted?.stale ?? 0), 'stale ticket')}`
    : unreachable.length
      ? p`Cannot reach ${count(people, 'requester')}`
      : undelivered.length
        ? p`${count(undelivered.length, 'mail')} did not go out`
        : null;
  const firstIncident = openIncidents[0];
  const incidentPreview = firstIncident ? [p`Open incident ${firstIncident.id}: ${clip(firstIncident.title, 60)}, ${reportsFrom(firstIncident)}`] : [];

  return {
    input: d,
    subject,
    title,
    date,
    heading: incidentCount ? join([p`${incidentCount}`, ...(ticketsHeading ? [ticketsHeading] : [])], ' · ') : (ticketsHeading ?? p`All clear`),
    preview: first
      ? join([...incidentPreview, ...(staleLine ? [staleLine] : []), ...others.map(summaryParagraph), p`First: ${first.id}, ${clip(first.subject, 60)}`], ' · ')
      : join([...incidentPreview, p`No ticket has waited longer than it should.`], ' · '),
    summary: {
      incidents: openIncidents.length ? { words: p`${count(openIncidents.length, 'open incident')}:`, ids: openIncidents.map((i) => i.id) } : null,
      byPriority: byPriorityCounts,
      noPriority: 'No priority',
      stale: staleLine,
      others,
    },
    howTo: listed
      ? p`To answer a requester, write to the ticket's address: your text goes to them from ${address(d.supportAddress)}. Commands at the top of your mail change the ticket, as in any staff reply: #status, #priority, #assign, #note.`
      : null,
    allClear: listed
      ? null
      : openIncidents.length
        ? p`Apart from ${openIncidents.length === 1 ? 'the incident' : 'the incidents'} below, no ticket has waited longer than its priority allows, and every requester we are waiting for can be reached.`
        : p`No ticket has waited longer than its priority allows, and every requester we are waiting for can be reached.`,
    sections,
    footer: p`You're getting this as a member of ${address(d.staffList)}: once a day, the tickets that have waited too long. Checked ${date}, ${time}.`,
  };
}

/** The parts of one open incident, in reading order. */
function incidentParts(i: IncidentSummary, d: DigestInput) {
  const listed = i.tickets.slice(0, INCIDENT_IDS_LISTED);
  const more = i.tickets.length - listed.length;
  return {
    id: i.id,
    reports: reportsFrom(i),
    title: p`${clip(i.title, SUBJECT_MAX) || '(no title)'}`,
    times: i.tickets.length > 1 ? `First report ${clockTime(i.firstReport, d)}, latest ${clockTime(i.lastReport, d, i.firstReport)} ${zoneName(d)}` : `Reported ${clockTime(i.firstReport, d)} ${zoneName(d)}`,
    // Where the reports come from, when more than the one place its title may name.
    places: i.places.length > 1 ? p`Reported from ${i.places.join('; ')}` : null,
    tickets: listed,
    more: more > 0 ? `and ${count(more, 'more ticket')}` : '',
  };
}

/** "5 reports from 4 people": one person may report twice. */
function reportsFrom(i: IncidentSummary): string {
  const people = i.requesters.length;
  return `${count(i.tickets.length, 'report')} from ${people === 1 ? '1 person' : `${people} people`}`;
}

/**
 * "07:41" on the digest's own day (or on `sameDayAs`'s, the time said just before), "Sun 22 Nov
 * 16:20" on another, in the digest's time zone.
 */
function clockTime(iso: string, d: DigestInput, sameDayAs?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const timeZone = d.timeZone ?? 'UTC';
  const day = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone });
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }).format(at);
  const before = sameDayAs ? new Date(sameDayAs) : d.now;
  return day.format(at) === day.format(Number.isNaN(before.getTime()) ? d.now : before) ? time : `${day.format(at)} ${time}`;
}

/** The time zone's short name ("UTC", "CET"), said once after the times of a line. */
function zoneName(d: DigestInput): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: d.timeZone ?? 'UTC', timeZoneName: 'short' }).formatToParts(d.now);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? 'UTC';
}

/** The parts of one ticket, in reading order. */
function ticketParts(t: DigestTicket, d: DigestInput) {
  const facts = join(
    [t.category === null ? p`no category` : p`${t.category}`, p`${t.status.replace(/-/g, ' ')}`, t.assignee ? p`assigned to ${address(t.assignee)}` : p`unassigned`, ...(t.incident ? [p`part of ${t.incident}`] : [])],
    ' · ',
  );
  const excerpt = clip(t.excerpt, EXCERPT_MAX);
  return {
    id: t.id,
    priority: t.priority,
    idle: idleLabel(t.idleHours),
    subject: p`${clip(t.subject, SUBJECT_MAX) || '(no subject)'}`,
    requester: p`${address(t.requester)}`,
    facts,
    excerpt: excerpt ? p`Last message: “${excerpt}”` : null,
    reply: replyLine(t, d),
  };
}

/**
 * "Reply to support+tkt-42@…", all of it a link in HTML. Only our own addresses become links:
 * the support address or a plus-address of it. A reply address that is not ours (a bug
 * upstream) is not shown; the ticket tag in a mail to the support address reaches the ticket.
 */
function replyLine(t: DigestTicket, d: DigestInput): { lead: string; address: string | null; tail: string; wholeLink: boolean } {
  if (isOurAddress(t.replyAddress, d.supportAddress)) return { lead: 'Reply to ', address: t.replyAddress.trim(), tail: '', wholeLink: true };
  const tail = ` with [${t.id}] in the subject`;
  return isOurAddress(d.supportAddress, d.supportAddress)
    ? { lead: 'Write to ', address: d.supportAddress.trim(), tail, wholeLink: false }
    : { lead: 'Write to us', address: null, tail, wholeLink: false };
}

/** What a kind of mail of ours is, as staff call it. */
const MAIL_KINDS: Record<string, string> = {
  ack: 'acknowledgement',
  'missing-info': 'request for details',
  'duplicate-notice': 'duplicate notice',
  'staff-notification': 'staff notification',
  'note-notification': 'internal note',
  relay: 'staff answer',
  'command-result': 'command result',
  nudge: 'reminder',
  'auto-closed': 'closing notice',
  digest: 'digest',
  'limit-notice': 'on-hold notice',
  'staff-warning': 'not-applied warning',
  'sign-in': 'sign-in link',
};

function mailKind(kind: string): string {
  return Object.hasOwn(MAIL_KINDS, kind) ? MAIL_KINDS[kind]! : kind.replace(/-/g, ' ');
}

/** "idle 5 h" under two days, "idle 3 days" from then on. */
export function idleLabel(hours: number): string {
  if (!(hours >= 1)) return 'idle under 1 h';
  if (hours < 48) return `idle ${Math.floor(hours)} h`;
  return `idle ${Math.floor(hours / 24)} days`;
}

const PRIORITY_ORDER = ['P1', 'P2', 'P3', 'P4'];

/** Known priorities in order, then any other value by name, then no priority; oldest first within. */
function byPriority(tickets: DigestTicket[]): Array<{ priority: string | null; tickets: DigestTicket[] }> {
  const groups = new Map<string | null, DigestTicket[]>();
  for (const t of tickets) groups.set(t.priority, [...(groups.get(t.priority) ?? []), t]);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || String(a).localeCompare(String(b)))
    .map(([priority, list]) => ({ priority, tickets: list.sort(oldestFirst) }));
}

function rank(priority: string | null): number {
  if (priority === null) return PRIORITY_ORDER.length + 1;
  const i = PRIORITY_ORDER.indexOf(priority);
  return i === -1 ? PRIORITY_ORDER.length : i;
}

function oldestFirst(a: DigestTicket, b: DigestTicket): number {
  return b.idleHours - a.idleHours || a.number - b.number;
}

/** Distinct people behind the unreachable tickets: one bouncing requester may have several. */
function unreachableRequesters(tickets: DigestTicket[]): number {
  return new Set(tickets.map((t) => t.requesterAddress)).size;
}

function summaryParagraph(line: SummaryLine): Paragraph {
  return line.ids.length ? join([line.words, p`${line.ids.join(', ')}`], ' ') : line.words;
}

/** Paragraphs one after another on a line, with our separator between them. */
function join(paragraphs: Paragraph[], separator: string): Paragraph {
  return { kind: 'p', parts: paragraphs.flatMap((paragraph, i) => (i ? [separator, ...paragraph.parts] : paragraph.parts)) };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Whitespace collapsed, at most `max` characters as people count them (an emoji is one), cut
 * after a whole word when one ends near the limit.
 */
function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const graphemes = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(line)].map((s) => s.segment);
  if (graphemes.length <= max) return line;
  const kept = graphemes.slice(0, max - 1);
  const space = kept.lastIndexOf(' ');
  return `${(space >= max - 20 ? kept.slice(0, space) : kept).join('').trimEnd()}…`;
}

const SIMPLE_ADDRESS = /^([A-Za-z0-9._-]+)(?:\+[A-Za-z0-9._-]+)?@([A-Za-z0-9.-]+)$/;

function isOurAddress(address: string, support: string): boolean {
  const ours = SIMPLE_ADDRESS.exec(support.trim());
  const candidate = SIMPLE_ADDRESS.exec(address.trim());
  return !!ours && !!candidate && candidate[1]!.toLowerCase() === ours[1]!.toLowerCase() && candidate[2]!.toLowerCase() === ours[2]!.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Rendering. Wording does not live below this line.

// --- text ------------------------------------------------------------------------------------

function renderText(g: Digest): string {
  const out: string[] = [];
  out.push(wrap(paragraphText(g.title), TEXT_WIDTH));
  if (g.allClear) out.push(wrap(paragraphText(g.allClear), TEXT_WIDTH));
  const summary = [...(g.summary.incidents ? [summaryParagraph(g.summary.incidents)] : []), ...(g.summary.stale ? [g.summary.stale] : []), ...g.summary.others.map(summaryParagraph)];
  out.push(summary.map((line) => wrap(paragraphText(line), TEXT_WIDTH, '', '  ')).join('\n'));
  if (g.howTo) out.push(wrap(paragraphText(g.howTo), TEXT_WIDTH));
  for (const section of g.sections) {
    const heading = paragraphText(section.heading);
    const parts = [`\n${heading}\n${'='.repeat(Math.min([...heading].length, TEXT_WIDTH))}`];
    if (section.note) parts.push(wrap(paragraphText(section.note), TEXT_WIDTH));
    parts.push(...(section.incidents ?? []).map((i) => incidentText(i, g.input)));
    parts.push(...section.tickets.map((t) => ticketText(t, g.input)));
    if (section.lines) parts.push(section.lines.map((line) => wrap(paragraphText(line), TEXT_WIDTH, '  - ', '    ')).join('\n'));
    out.push(parts.join('\n\n'));
  }
  out.push(`-- \n${wrap(paragraphText(g.footer), TEXT_WIDTH)}`);
  return `${out.filter(Boolean).join('\n\n')}\n`;
}

function ticketText(t: DigestTicket, d: DigestInput): string {
  const parts = ticketParts(t, d);
  const indent = '  ';
  const line = (paragraph: Paragraph) => wrap(paragraphText(paragraph), TEXT_WIDTH, indent, indent);
  const head = [parts.id, parts.priority === null ? null : paragraphText(p`[${parts.priority}]`), parts.idle].filter(Boolean).join('  ');
  const reply = `${parts.reply.lead}${parts.reply.address ?? ''}${parts.reply.tail}`;
  return [head, line(parts.subject), line(parts.requester), line(parts.facts), ...(parts.excerpt ? [line(parts.excerpt)] : []), wrap(reply, TEXT_WIDTH, indent, indent)].join('\n');
}

function incidentText(i: IncidentSummary, d: DigestInput): string {
  const parts = incidentParts(i, d);
  const indent = '  ';
  const line = (text: string) => wrap(text, TEXT_WIDTH, indent, indent);
  return [
    `${parts.id}  ${parts.reports}`,
    line(paragraphText(parts.title)),
    line(parts.times),
    ...(parts.places ? [line(paragraphText(parts.places))] : []),
    line(`Tickets: ${parts.tickets.join(', ')}${parts.more ? ` ${parts.more}` : ''}`),
  ].join('\n');
}

// --- HTML ------------------------------------------------------------------------------------

const PRIORITY_COLORS: Record<string, { bg: string; text: string; edge: string }> = {
  P1: { bg: '#fee2e2', text: '#991b1b', edge: '#dc2626' },
  P2: { bg: '#ffedd5', text: '#9a3412', edge: '#ea580c' },
  P3: { bg: COLORS.badgeBg, text: COLORS.badgeText, edge: COLORS.accent },
  P4: { bg: '#f3f4f6', text: '#374151', edge: '#9ca3af' },
};
const OTHER_PRIORITY = { bg: '#f3f4f6', text: '#374151', edge: COLORS.border };

function priorityColors(priority: string | null) {
  return priority !== null && Object.hasOwn(PRIORITY_COLORS, priority) ? PRIORITY_COLORS[priority]! : OTHER_PRIORITY;
}

function label(priority: string): string {
  const c = priorityColors(priority);
  return `<span style="display:inline-block;padding:0 6px;border-radius:4px;background-color:${c.bg};color:${c.text};font-size:12px;line-height:18px;font-weight:700;white-space:normal;${BREAK_ANYWHERE}">${paragraphHtml(p`${priority}`)}</span>`;
}

function renderHtml(g: Digest): string {
  const body: string[] = [];
  const counts = g.summary.byPriority
    .map(({ priority, count: n }) => `<span style="display:inline-block;max-width:100%;margin:0 14px 6px 0;white-space:nowrap;">${priority === null ? `<span style="font-size:13px;color:${COLORS.muted};">${escapeHtml(g.summary.noPriority)}</span>` : label(priority)} <strong style="font-weight:700;">${n}</strong></span>`)
    .join(' ');
  if (g.summary.incidents) body.push(`<div style="margin:0 0 8px 0;font-size:15px;line-height:22px;font-weight:700;color:${INCIDENT_COLORS.text};${BREAK_ANYWHERE}">${summaryHtml(g.summary.incidents)}</div>`);
  if (counts) body.push(`<div style="margin:0 0 6px 0;font-size:15px;line-height:22px;">${counts}</div>`);
  if (g.allClear) body.push(`<p style="margin:0 0 16px 0;${BREAK_ANYWHERE}">${paragraphHtml(g.allClear)}</p>`);
  if (g.summary.others.length) body.push(`<ul style="margin:0 0 16px 0;padding:0 0 0 20px;font-size:15px;line-height:22px;">${g.summary.others.map((l) => `<li style="margin:0 0 4px 0;${BREAK_ANYWHERE}">${summaryHtml(l)}</li>`).join('')}</ul>`);
  if (g.howTo) body.push(`<p style="margin:0 0 8px 0;font-size:13px;line-height:19px;color:${COLORS.muted};${BREAK_ANYWHERE}">${paragraphHtml(g.howTo)}</p>`);
  for (const section of g.sections) {
    body.push(`<h2 style="margin:20px 0 10px 0;font-size:17px;line-height:24px;font-weight:700;color:${COLORS.heading};${BREAK_ANYWHERE}">${paragraphHtml(section.heading)}</h2>`);
    if (section.note) body.push(`<p style="margin:0 0 12px 0;font-size:14px;line-height:20px;${BREAK_ANYWHERE}">${paragraphHtml(section.note)}</p>`);
    body.push(...(section.incidents ?? []).map((i) => incidentHtml(i, g.input)));
    body.push(...section.tickets.map((t) => ticketHtml(t, g.input)));
    if (section.lines) body.push(`<ul style="margin:0 0 16px 0;padding:0 0 0 20px;font-size:14px;line-height:20px;">${section.lines.map((line) => `<li style="margin:0 0 6px 0;${BREAK_ANYWHERE}">${paragraphHtml(line)}</li>`).join('')}</ul>`);
  }
  return htmlDocument({
    title: g.subject,
    preview: g.preview,
    teamName: g.input.teamName,
    badge: g.date,
    heading: g.heading,
    body: `${body.join('\n')}\n<div style="height:8px;line-height:8px;font-size:8px;">&nbsp;</div>`,
    footer: g.footer,
  });
}

function summaryHtml(line: SummaryLine): string {
  const ids = line.ids.map((id) => `<span style="white-space:nowrap;">${escapeHtml(id)}</span>`).join(', ');
  return `${paragraphHtml(line.words)}${ids ? ` ${ids}` : ''}`;
}

function ticketHtml(t: DigestTicket, d: DigestInput): string {
  const parts = ticketParts(t, d);
  const small = `font-size:14px;line-height:20px;${BREAK_ANYWHERE}`;
  const head = [
    parts.priority === null ? '' : `${label(parts.priority)} `,
    `<strong style="font-weight:700;color:${COLORS.heading};">${escapeHtml(parts.id)}</strong>`,
    `<span style="color:${COLORS.muted};"> · ${escapeHtml(parts.idle)}</span>`,
  ].join('');
  // The address moves to a line of its own rather than breaking at "tkt-" (and still wraps when longer than a line).
  const addressBox = (a: string) => `<span style="display:inline-block;max-width:100%;text-decoration:underline;">${escapeHtml(a)}</span>`;
  const link = (to: string, html: string) => `<a href="mailto:${escapeHtml(to)}?subject=${escapeHtml(encodeURIComponent(`[${t.id}]`))}" style="color:${COLORS.accent};text-decoration:underline;">${html}</a>`;
  const { lead, address: to, tail, wholeLink } = parts.reply;
  const reply = !to
    ? escapeHtml(lead + tail)
    : wholeLink
      ? `${link(to, `${escapeHtml(lead)}${addressBox(to)}`)}${escapeHtml(tail)}`
      : `${escapeHtml(lead)}${link(to, addressBox(to))}${escapeHtml(tail)}`;
  return `<div style="margin:0 0 12px 0;padding:10px 12px;border:1px solid ${COLORS.border};border-left:4px solid ${priorityColors(t.priority).edge};border-radius:8px;font-family:${FONT};">
<div style="${small}">${head}</div>
<div style="margin:4px 0 0 0;font-size:16px;line-height:22px;font-weight:600;color:${COLORS.heading};${BREAK_ANYWHERE}">${paragraphHtml(parts.subject)}</div>
<div style="margin:4px 0 0 0;${small}color:${COLORS.text};">${paragraphHtml(parts.requester)}</div>
<div style="margin:2px 0 0 0;${small}color:${COLORS.muted};">${paragraphHtml(parts.facts)}</div>
${parts.excerpt ? `<div style="margin:8px 0 0 0;padding:0 0 0 8px;border-left:2px solid ${COLORS.border};${small}color:${COLORS.text};">${paragraphHtml(parts.excerpt)}</div>\n` : ''}<div style="margin:8px 0 0 0;${small}">${reply}</div>
</div>`;
}

/** An outage is marked in red, as a P1 is. */
const INCIDENT_COLORS = PRIORITY_COLORS.P1!;

function incidentLabel(): string {
  return `<span style="display:inline-block;padding:0 6px;border-radius:4px;background-color:${INCIDENT_COLORS.bg};color:${INCIDENT_COLORS.text};font-size:12px;line-height:18px;font-weight:700;">Incident</span>`;
}

function incidentHtml(i: IncidentSummary, d: DigestInput): string {
  const parts = incidentParts(i, d);
  const small = `font-size:14px;line-height:20px;${BREAK_ANYWHERE}`;
  // Ids are kept whole: "TKT-" never ends a line.
  const ids = parts.tickets.map((id) => `<span style="white-space:nowrap;">${escapeHtml(id)}</span>`).join(', ');
  return `<div style="margin:0 0 12px 0;padding:10px 12px;border:1px solid ${COLORS.border};border-left:4px solid ${INCIDENT_COLORS.edge};border-radius:8px;font-family:${FONT};">
<div style="${small}">${incidentLabel()} <strong style="font-weight:700;color:${COLORS.heading};">${escapeHtml(parts.id)}</strong><span style="color:${COLORS.muted};"> · ${escapeHtml(parts.reports)}</span></div>
<div style="margin:4px 0 0 0;font-size:16px;line-height:22px;font-weight:600;color:${COLORS.heading};${BREAK_ANYWHERE}">${paragraphHtml(parts.title)}</div>
<div style="margin:4px 0 0 0;${small}color:${COLORS.muted};">${escapeHtml(parts.times)}</div>
${parts.places ? `<div style="margin:2px 0 0 0;${small}color:${COLORS.muted};">${paragraphHtml(parts.places)}</div>\n` : ''}<div style="margin:8px 0 0 0;${small}color:${COLORS.text};">Tickets: ${ids}${parts.more ? ` ${escapeHtml(parts.more)}` : ''}</div>
</div>`;
}
