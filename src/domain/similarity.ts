/**
 * Near-duplicate detection for "the same request sent twice". Pure text functions.
 *
 * Method: subjects are compared as word sets (Jaccard) after removing reply/forward
 * prefixes and ticket tags; bodies as sets of 3-word shingles. Body overlap is measured
 * as containment (shared / smaller set) when both bodies are long enough, because a
 * re-sent request usually repeats the original and adds a line ("re-sending in case…");
 * short bodies fall back to word Jaccard, where containment would be too generous.
 * The score weighs the body more than the subject, since people reword subjects; and when
 * both bodies are long enough for shingles to mean something, a near-identical body counts
 * on its own (a re-send with a reworded subject is still the same request). Identifiers (asset
 * tags, error codes, build numbers) are strong evidence: one in common lifts a reworded resend
 * to a match; two of one kind that differ keep look-alike mails about two things apart.
 */
import { identifiers } from './identifiers.js';
import { withoutSubjectPrefixes } from './subject-prefixes.js';

const TAG = /\[[a-z]{2,10}-\d+\]/gi;

export function normaliseSubject(subject: string): string {
  return words(withoutSubjectPrefixes(subject.replace(TAG, ' '))).join(' ');
}

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * Fingerprint kept on the ticket: normalised subject, the opening words of the body, and the
 * identifiers in both (a line each; a print from before identifiers has two lines, and none).
 */
export const FINGERPRINT_BODY_WORDS = 300;

export function fingerprint(subject: string, body: string): string {
  const ids = [...identifiers(`${subject}\n${body}`), ...mailboxes(`${subject}\n${body}`)];
  return `${normaliseSubject(subject)}\n${words(body).slice(0, FINGERPRINT_BODY_WORDS).join(' ')}\n${ids.join(' ')}`;
}


/** At most this many addresses per text (a pasted distribution list says nothing more). */
const MAX_MAILBOXES = 5;

/**
 * Addresses a mail names (a shared mailbox, a distribution list): evidence only against a match,
 * as two requests alike but for the mailbox they are about are two requests.
 */
function mailboxes(text: string): string[] {
  return [...new Set(text.toLowerCase().match(/[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/g) ?? [])].slice(0, MAX_MAILBOXES);
}

/**
 * An identifier's kind, so that two of one kind can disagree: an asset tag by its letter prefix
 * (`nw-lt-…`), a hex error code, a dotted version, else a code.
 */
function kindOf(id: string): string {
  if (id.includes('@')) return 'address';
  if (/^0x[0-9a-f]+$/.test(id)) return 'hex';
  if (/^\d+(?:\.\d+)+$/.test(id)) return 'version';
  const tag = /^([a-z]+(?:-[a-z]+)*)-[a-z0-9]*\d[a-z0-9-]*$/.exec(id);
  return tag ? `tag:${tag[1]}` : 'code';
}

function shingles(tokens: string[], size: number): Set<string> {
  const out = new Set<string>();
  if (tokens.length < size) {
    if (tokens.length) out.add(tokens.join(' '));
    return out;
  }
  for (let i = 0; i + size <= tokens.length; i++) {
    let shingle = tokens[i]!;
    for (let k = i + 1; k < i + size; k++) shingle += ` ${tokens[k]}`;
    out.add(shingle);
  }
  return out;
}

function intersectionSize(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const shared = intersectionSize(a, b);
  return shared / (a.size + b.size - shared);
}

export function containment(a: Set<string>, b: Set<string>): number {
  const smaller = Math.min(a.size, b.size);
  if (smaller === 0) return a.size === b.size ? 1 : 0;
  return intersectionSize(a, b) / smaller;
}

/** Below this many shingles a body is too short for containment to mean anything. */
const MIN_SHINGLES_FOR_CONTAINMENT = 8;
const SUBJECT_WEIGHT = 0.3;

export interface Similarity {
  subject: number;
  body: number;
  /** Identifiers both name; `conflict` when both name one of a kind and none in common (two laptops). */
  identifiers: { shared: string[]; conflict: boolean };
  score: number;
}

/**
 * Shared identifiers as evidence: an asset tag counts 1 (one laptop can have two problems), an
 * error code or a version 2. A tag alone needs text this close; an error code also needs a word
 * of the subject in common (one error code can come from two apps); a tag and a code together
 * (3) are the same thing however the text was reworded or translated.
 */
const TAG_ALONE_FLOOR = 0.1;
const CODE_FLOOR = 0.1;

/** A fingerprint read back into what a comparison needs. */
interface ReadPrint {
  subject: Set<string>;
  tokens: string[];
  shingles: Set<string>;
  identifiers: string[];
}

/** The prints read last, most recent first: a new mail's print is compared with each open ticket's in turn. */
const recentPrints: { print: string; read: ReadPrint }[] = [];
const RECENT_PRINTS = 2;

function readPrint(print: string): ReadPrint {
  const i = recentPrints.findIndex((recent) => recent.print === print);
  const recent = i >= 0 ? recentPrints.splice(i, 1)[0]! : { print, read: parsePrint(print) };
  recentPrints.unshift(recent);
  recentPrints.length = Math.min(recentPrints.length, RECENT_PRINTS);
  return recent.read;
}

function parsePrint(print: string): ReadPrint {
  const [subject = '', body = '', ids = ''] = print.split('\n');
  const tokens = words(body);
  return { subject: new Set(words(subject)), tokens, shingles: shingles(tokens, 3), identifiers: ids.split(' ').filter(Boolean) };
}

function compareIdentifiers(a: string[], b: string[]): Similarity['identifiers'] {
  const shared = a.filter((id) => b.includes(id));
  const kindsOfB = new Set(b.map(kindOf));
  const conflict = !shared.length && a.some((id) => kindsOfB.has(kindOf(id)));
  return { shared, conflict };
}

/**
 * Words saying the earlier problem is over and this is another one ("works now", "new problem",
 * "one more thing"): a follow-up that forwards or repeats the first mail is still a new request.
 */
const MOVED_ON = new RegExp(
  `\\b(?:${[
    'works now', 'working now', 'works again', 'is fine again', 'are fine again', 'works great', 'new problem', 'new issue', 'another problem', 'another issue', 'different problem', 'one more thing', 'something else',
    'funktioniert jetzt', 'funktioniert wieder', 'neues problem', 'anderes problem', 'noch etwas',
    'fungerar nu', 'fungerar igen', 'nytt problem', 'ett annat problem', 'en sak till',
  ].join('|')})\\b`,
);

function movedOn(tokens: string[]): boolean {
  return MOVED_ON.test(tokens.join(' '));
}

export function similarity(fingerprintA: string, fingerprintB: string): Similarity {
  const a = readPrint(fingerprintA);
  const b = readPrint(fingerprintB);
  const subject = jaccard(a.subject, b.subject);
  const longBodies = Math.min(a.shingles.size, b.shingles.size) >= MIN_SHINGLES_FOR_CONTAINMENT;
  const body = longBodies ? containment(a.shingles, b.shingles) : jaccard(new Set(a.tokens), new Set(b.tokens));
  const weighted = SUBJECT_WEIGHT * subject + (1 - SUBJECT_WEIGHT) * body;
  const text = longBodies ? Math.max(weighted, body) : weighted;
  const ids = compareIdentifiers(a.identifiers, b.identifiers);
  // The same asset tag or error code, and text about as close as a rewording: the same request.
  // Two of one kind that differ (two laptops' tags): two things, however alike the words.
  const strength = ids.shared.reduce((n, id) => n + (kindOf(id) === 'address' ? 0 : kindOf(id).startsWith('tag:') ? 1 : 2), 0);
  const sameThing = strength >= 3 || (strength === 2 && subject > 0 && text >= CODE_FLOOR) || (strength === 1 && text >= TAG_ALONE_FLOOR);
  // Either mail saying the first problem is over: a new request, however much it quotes the first.
  const moved = movedOn(a.tokens) || movedOn(b.tokens);
  const score = ids.conflict || moved ? Math.min(text, 0.5) : sameThing ? Math.max(text, 0.9) : text;
  return { subject, body, identifiers: ids, score };
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}
