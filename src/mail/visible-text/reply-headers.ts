// Reply headers: "On Mon, Jan 5, 2026 at 10:01 AM Name <a@b> wrote:" and its localised,
// wrapped and verb-less variants, "---- Name wrote ----", and a header typed after the reply on
// the same line ("Thanks! On … wrote:"), which is split off first.

import { alternation, fromEveryLanguage } from '../../domain/languages/language.js';
import { isBlank, isQuoted, MAX_PATTERN_LINE, nextNonBlank, spanText } from './lines.js';

const MAX_HEADER_LINE = 300;
const MAX_HEADER_TEXT = 500;
/** A reply header may be wrapped over this many lines after its first one. */
const HEADER_LOOKBACK = 4;

/** "wrote" in the languages mail clients localise their quote header into. */
const WROTE_WORDS = alternation(fromEveryLanguage((language) => language.wrote));
const WROTE_COLON_END = new RegExp(`(?:${WROTE_WORDS})\\s*[:：]$`, 'iu');
const WROTE_END = new RegExp(`(?:${WROTE_WORDS})$`, 'iu');
const WROTE_END_OPTIONAL_COLON = new RegExp(`(?:${WROTE_WORDS})\\s*[:：]?$`, 'iu');
/** "> wrote:" or ">:" — the tail of a header whose address wrapped into a quote marker. */
const QUOTED_HEADER_TAIL = new RegExp(`^\\s*>\\s*(?:(?:${WROTE_WORDS})\\s*)?[:：]$`, 'iu');
/** Headers that put the verb before the name: "Am 25.06.2015 um 10:55 schrieb Test user:". */
const WROTE_BEFORE_NAME = new RegExp(
  `(?<!\\p{L})(?:${alternation(fromEveryLanguage((language) => language.wroteBeforeName))})(?!\\p{L})`,
  'iu',
);
const WROTE_ANYWHERE = new RegExp(`(?<!\\p{L})(?:${WROTE_WORDS})(?!\\p{L})`, 'iu');
const COLON_END = /[:：]$/;
/** "... Name <a@b>:" — a date and an address followed by a colon, no verb (Gmail in some locales). */
const ADDRESS_COLON_END = /[>)\]]\s*[:：]$/;
/** Gmail's ISO form, sometimes without the address or the colon: "2016-03-03 17:21 GMT+01:00 Name". */
const GMAIL_ISO_LINE = /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2} GMT[+-]\d{1,2}:?\d{2}(?!\d)/;
/** "2013/7/20 sam via Discourse <info@x>" directly above a quoted block. */
const DATE_ADDRESS_LINE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)[^<>]{0,120}<[^<>\s@]+@[^<>\s]+>$/;
/** Words a reply header starts with: "On", "Am", "Le", "El", "Em", "Op", "Il", "Den", a date... */
const HEADER_OPENER = new RegExp(
  `^(?:[-*>]+\\s*)?(?:${alternation(fromEveryLanguage((language) => language.headerOpeners))}|\\d)(?=[\\s\\d,.])`,
  'iu',
);
const SENTENCE_END = /(?:[!?]|\p{L}{2}\.)$/u;
const HEADER_TIME = /\d{1,2}[:.h]\d{2}(?!\d)/;
/** "… Name <a@b> sent:": "sent" only right after an address, where no sentence puts it. */
const ADDRESS_SENT_END = /@[^\s<>()[\]]+[>)\]]?\s+sent\s*[:：]$/i;
/** "---- Alex Kim wrote ----": inside a dash frame, a name of at most this many words is enough. */
const FRAMED_NAME_MAX_WORDS = 5;
/** An opener inside a line, capitalised, after what the person typed: "Thanks! On …", "done--- On …". */
const MID_LINE_OPENER = new RegExp(
  // Only from the start of a run of spaces or dashes: the pattern stays linear on long runs.
  `(?:(?<![\\s-])\\s+|(?<!-)-{2,}\\s*)(?=(?:${alternation(fromEveryLanguage((language) => language.headerOpeners).map(capitalised))})\\s)`,
  'gu',
);
const HEADER_YEAR = /(?<!\d)(?:19|20)\d{2}(?!\d)/;
/** GroupWise's header, arrows and all, above an unmarked quote: ">>> Priya Nair <p@x> 15.12.2026 14:31 >>>". */
const GROUPWISE_HEADER = /^>>>[^<>]{1,80}<[^<>\s@]+@[^<>\s]+>\s+[\d./-]{6,10}\s+\d{1,2}:\d{2}\s*>>>$/;

/** Header start line → header end line. */
export type HeaderSpans = Map<number, number>;

export function findReplyHeaders(lines: string[], inFence: boolean[]): HeaderSpans {
  const spans: HeaderSpans = new Map();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inFence[i] || line.length > MAX_HEADER_LINE || !mayEndHeader(line.trim())) continue;
    const start = headerStartFor(lines, i);
    if (start === undefined || inFence[start]) continue;
    const known = spans.get(start);
    if (known === undefined || known < i) spans.set(start, i);
  }
  return spans;
}

function mayEndHeader(trimmed: string): boolean {
  return (
    COLON_END.test(trimmed) ||
    WROTE_END.test(trimmed) ||
    (trimmed.startsWith('--') && trimmed.endsWith('--')) ||
    GMAIL_ISO_LINE.test(trimmed) ||
    DATE_ADDRESS_LINE.test(trimmed) ||
    GROUPWISE_HEADER.test(trimmed)
  );
}
/** Where the header ending at line `end` starts, or undefined when it is no header. */
function headerStartFor(lines: string[], end: number): number | undefined {
  const endLine = lines[end]!;
  if (GROUPWISE_HEADER.test(endLine.trim())) return end;
  if (isQuoted(endLine) && !isQuotedHeaderTail(endLine)) return undefined;

  // Wrapped header with a recognisable first line ("On ...", "Am ...", a date).
  for (let j = Math.max(0, end - HEADER_LOOKBACK); j <= end; j++) {
    if (!HEADER_OPENER.test(lines[j]!.trim()) || !isHeaderSpan(lines, j, end)) continue;
    if (isReplyHeader(spanText(lines, j, end), true)) return j;
  }
  // Name-first header wrapped over two or three lines ("Name <a@b> schrieb am Fr., 28.\nApr. ...").
  for (let j = Math.max(0, end - 2); j < end; j++) {
    const first = lines[j]!;
    if (!(first.includes('@') || WROTE_ANYWHERE.test(first)) || !isHeaderSpan(lines, j, end)) continue;
    if (isReplyHeader(spanText(lines, j, end), false)) return j;
  }
  if (isQuoted(endLine)) return undefined;
  const single = endLine.trim();
  const standalone =
    isReplyHeader(single, HEADER_OPENER.test(single)) ||
    GMAIL_ISO_LINE.test(single) ||
    (DATE_ADDRESS_LINE.test(single) && /^\s*[>|]/.test(lines[nextNonBlank(lines, end + 1)] ?? ''));
  if (!standalone) return undefined;
  // A date wrapped onto the line above: "pe 20. lokakuuta 2017 klo 17.50 John Coe\n<a@b> kirjoitti:".
  let start = end;
  while (start > 0 && end - start < 2 && isHeaderContinuation(lines[start - 1]!)) start--;
  return start;
}

function isQuotedHeaderTail(line: string): boolean {
  return QUOTED_HEADER_TAIL.test(line);
}

/** Zoho frames its header in dashes: "---- On Tue, 22 Dec 2015 ... wrote ----" → "On ... wrote". */
function withoutDashFrame(text: string): string {
  if (!text.startsWith('--') || !text.endsWith('--')) return text;
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === '-') start++;
  while (end > start && text[end - 1] === '-') end--;
  return text.slice(start, end).trim();
}

function isHeaderContinuation(line: string): boolean {
  const trimmed = line.trim();
  return (
    trimmed !== '' &&
    trimmed.length <= 120 &&
    !isQuoted(line) &&
    /\d/.test(trimmed) &&
    !/[.,;:!?]$/.test(trimmed)
  );
}

/** Lines j..end can be one wrapped header: short, unquoted, no sentence ends, at most one gap. */
function isHeaderSpan(lines: string[], j: number, end: number): boolean {
  if (isBlank(lines[j]) || isQuoted(lines[j])) return false;
  let gaps = 0;
  for (let k = j; k <= end; k++) {
    const line = lines[k]!;
    if (isBlank(line)) {
      if (++gaps > 1) return false;
      continue;
    }
    if (line.length > MAX_HEADER_LINE) return false;
    if (k < end) {
      const trimmed = line.trim();
      if (isQuoted(line) || SENTENCE_END.test(trimmed) || COLON_END.test(trimmed)) return false;
    } else if (isQuoted(line) && !isQuotedHeaderTail(line)) {
      return false;
    }
  }
  return true;
}

function isReplyHeader(text: string, startsWithOpener: boolean): boolean {
  if (text.length > MAX_HEADER_TEXT) return false;
  const inner = withoutDashFrame(text);
  const hasDigit = /\d/.test(inner);
  const hasAddress = inner.includes('@');
  // Real headers carry a time, a year or an address; "In ticket 1234 I wrote:" carries none.
  const hasDateEvidence = hasAddress || HEADER_TIME.test(inner) || HEADER_YEAR.test(inner);
  // In a dash frame the verb needs no colon, and a name alone will do: "---- Name wrote ----".
  if (inner !== text && WROTE_END_OPTIONAL_COLON.test(inner) && (hasDateEvidence || isFramedNameWrote(inner))) return true;
  if (!hasDigit && !hasAddress) return false;
  if (WROTE_COLON_END.test(inner)) return hasDateEvidence;
  if (!hasDigit) return false;
  if (hasAddress && (WROTE_END.test(inner) || ADDRESS_COLON_END.test(inner) || ADDRESS_SENT_END.test(inner))) return true;
  return (startsWithOpener || hasAddress) && COLON_END.test(inner) && WROTE_BEFORE_NAME.test(inner);
}

/** "Alex Kim wrote", once the dash frame is off: a short name and the verb, nothing else. */
function isFramedNameWrote(inner: string): boolean {
  const wrote = WROTE_END_OPTIONAL_COLON.exec(inner);
  // A space before the verb: "元のメッセージ" (Original Message) ends in a verb but names no one.
  if (!wrote || !/\s$/.test(inner.slice(0, wrote.index))) return false;
  const name = inner.slice(0, wrote.index).trim();
  return name !== '' && name.split(/\s+/).length <= FRAMED_NAME_MAX_WORDS && !/[.!?;:]$/.test(name);
}

/**
 * Splits a line holding the reply and then a reply header ("Thanks! On Tue, … <a@b> wrote:", the
 * header maybe wrapped onto the next lines) into the reply and the header, so each pass sees the
 * header on a line of its own. Only when the header names an address or a quote follows it.
 */
export function splitInlineHeaders(lines: string[], inFence: boolean[]): string[] {
  let result: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const at = inFence[i] ? undefined : inlineHeaderStart(lines, i);
    if (at === undefined) {
      result?.push(lines[i]!);
      continue;
    }
    result ??= lines.slice(0, i);
    result.push(lines[i]!.slice(0, at).trimEnd(), lines[i]!.slice(at).trim());
  }
  return result ?? lines;
}

/** Where a reply header starts inside line i, after text of the person's own; undefined when none does. */
function inlineHeaderStart(lines: string[], i: number): number | undefined {
  const line = lines[i]!;
  if (line.length > MAX_PATTERN_LINE || isQuoted(line)) return undefined;
  // exec, not matchAll: matchAll copies the expression for every line, and that copy cost more than the search.
  MID_LINE_OPENER.lastIndex = 0;
  for (let match = MID_LINE_OPENER.exec(line); match; match = MID_LINE_OPENER.exec(line)) {
    const head = line.slice(0, match.index);
    if (!/[\p{L}\p{N}]/u.test(head)) continue;
    const span = [line.slice(match.index).trim(), ...lines.slice(i + 1, i + 1 + HEADER_LOOKBACK)];
    for (let end = 0; end < span.length; end++) {
      const last = span[end]!.trim();
      if (!mayEndHeader(last) || !isHeaderSpan(span, 0, end)) continue;
      const text = spanText(span, 0, end);
      if (!isReplyHeader(text, true)) continue;
      if (text.includes('@') || isQuoted(lines[nextNonBlank(lines, i + end + 1)])) return match.index;
    }
  }
  return undefined;
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Names the client behind an English quote header, for the reason text. */
export function headerClient(text: string): string {
  if (/^On \d{1,2}[./]\d{1,2}[./]\d{2,4},? \d/.test(text)) return 'Thunderbird ';
  if (/^On .+, at \d/.test(text)) return 'Apple Mail ';
  if (/^On \w{3}, \w{3} \d{1,2}, \d{4},? at /.test(text)) return 'Gmail ';
  return '';
}

/** "On … wrote:", "Am … schrieb …:", "2016-03-03 …" — short enough for a reason text. */
export function abbreviateHeader(text: string): string {
  const inner = withoutDashFrame(text.trim());
  const words = inner.split(/\s+/);
  if (words.length <= 2) return inner;
  const first = words[0]!;
  const wroteAtEnd = WROTE_END_OPTIONAL_COLON.exec(inner);
  if (wroteAtEnd) return `${first} … ${wroteAtEnd[0].replace(/\s+(?=[:：]$)/, '')}`;
  if (ADDRESS_SENT_END.test(inner)) return `${first} … sent:`;
  const wrote = WROTE_ANYWHERE.exec(inner);
  const colon = COLON_END.test(inner) ? ':' : '';
  return wrote ? `${first} … ${wrote[0]} …${colon}` : `${first} …${colon}`;
}
