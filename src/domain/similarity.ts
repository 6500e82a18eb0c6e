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
 * on its own (a re-send with a reworded subject is still the same request).
 */
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

/** Fingerprint kept on the ticket: normalised subject, a separator, the opening words of the body. */
export const FINGERPRINT_BODY_WORDS = 300;

export function fingerprint(subject: string, body: string): string {
  return `${normaliseSubject(subject)}\n${words(body).slice(0, FINGERPRINT_BODY_WORDS).join(' ')}`;
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
  score: number;
}

/** A fingerprint read back into what a comparison needs. */
interface ReadPrint {
  subject: Set<string>;
  tokens: string[];
  shingles: Set<string>;
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
  const [subject = '', body = ''] = print.split('\n');
  const tokens = words(body);
  return { subject: new Set(words(subject)), tokens, shingles: shingles(tokens, 3) };
}

export function similarity(fingerprintA: string, fingerprintB: string): Similarity {
  const a = readPrint(fingerprintA);
  const b = readPrint(fingerprintB);
  const subject = jaccard(a.subject, b.subject);
  const longBodies = Math.min(a.shingles.size, b.shingles.size) >= MIN_SHINGLES_FOR_CONTAINMENT;
  const body = longBodies ? containment(a.shingles, b.shingles) : jaccard(new Set(a.tokens), new Set(b.tokens));
  const weighted = SUBJECT_WEIGHT * subject + (1 - SUBJECT_WEIGHT) * body;
  const score = longBodies ? Math.max(weighted, body) : weighted;
  return { subject, body, score };
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}
