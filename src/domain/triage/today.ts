/** `{today}` in a triage signal's pattern: the date the mail was sent, as people write it. No I/O. */
import { sameStrings } from '../patterns.js';

const MONTHS = ['jan(uary)?', 'feb(ruary)?', 'mar(ch)?', 'apr(il)?', 'may', 'june?', 'july?', 'aug(ust)?', 'sep(t|tember)?', 'oct(ober)?', 'nov(ember)?', 'dec(ember)?'];

/** What `{today}` stands for on the day of `sentAt`. */
function todayPattern(sentAt: Date): string {
  const valid = !Number.isNaN(sentAt.getTime());
  // UTC date: the Date header's own offset is lost by then, and a deadline rarely sits at midnight.
  const day = valid ? sentAt.getUTCDate() : 1;
  const month = MONTHS[valid ? sentAt.getUTCMonth() : 0];
  return `(${day}(st|nd|rd|th)? ${month}|${month} ${day}(st|nd|rd|th)?)(?!\\d)`;
}

/** `{today}` in a pattern becomes the sent date: "23 November", "23rd Nov", "November 23". */
export function expandToday(sentAt: Date): (pattern: string) => string {
  const today = todayPattern(sentAt);
  return (pattern) => pattern.replaceAll('{today}', today);
}

/** A signal's patterns with `{today}` expanded: per day the same array, so what is compiled from it is kept. */
const expanded = new WeakMap<readonly string[], { patterns: string[]; byDay: Map<string, string[]> }>();

export function signalPatterns(patterns: readonly string[], sentAt: Date): readonly string[] {
  if (!patterns.some((pattern) => pattern.includes('{today}'))) return patterns;
  let known = expanded.get(patterns);
  if (!known || !sameStrings(known.patterns, patterns)) {
    known = { patterns: [...patterns], byDay: new Map() };
    expanded.set(patterns, known);
  }
  const today = todayPattern(sentAt);
  let list = known.byDay.get(today);
  if (!list) {
    list = patterns.map((pattern) => pattern.replaceAll('{today}', today));
    known.byDay.set(today, list);
  }
  return list;
}
