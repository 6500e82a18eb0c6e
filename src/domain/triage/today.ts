/**
 * `{today}` in a triage signal's pattern: the date the mail was sent, as people write it;
 * `{weeksAway}`: a date three weeks to four months after it. No I/O.
 */
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

/** Month names in the offices' languages (German, Dutch, Swedish, Danish, French, Spanish), January first. */
const OTHER_MONTHS = [
  'januar|januari|janvier|enero',
  'februar|februari|février|febrero',
  'märz|maart|mars|marzo',
  'april|avril|abril',
  'mai|mei|maj|mayo',
  'juni|juin|junio',
  'juli|juillet|julio',
  'august|augusti|augustus|août|agosto',
  'september|septembre|septiembre',
  'oktober|octobre|octubre',
  'november|novembre|noviembre',
  'dezember|december|décembre|diciembre',
];

const DAY = 24 * 60 * 60 * 1000;
/** "Weeks away": from three weeks after the sent date to four months after it. */
const WEEKS_AWAY_FROM = 21;
const WEEKS_AWAY_TO = 120;

/**
 * What `{weeksAway}` stands for: each date in that span as people write it ("11 January",
 * "January 11th", "11. Januar", "11 de enero", "le 11 janvier"), whole months where the span
 * covers them. A date without a year is read as the next one to come.
 */
function weeksAwayPattern(sentAt: Date): string {
  const start = Number.isNaN(sentAt.getTime()) ? 0 : sentAt.getTime();
  const days = new Map<number, number[]>();
  for (let offset = WEEKS_AWAY_FROM; offset <= WEEKS_AWAY_TO; offset++) {
    const d = new Date(start + offset * DAY);
    const list = days.get(d.getUTCMonth()) ?? [];
    list.push(d.getUTCDate());
    days.set(d.getUTCMonth(), list);
  }
  const parts: string[] = [];
  for (const [month, list] of days) {
    const names = `${MONTHS[month]}|${OTHER_MONTHS[month]}`;
    // A month the span covers whole needs no day list; a part of one lists its days.
    const whole = list.length >= 28 && list[0] === 1;
    const day = whole ? '\\d{1,2}' : `(${list.join('|')})`;
    parts.push(`${day}(st|nd|rd|th|\\.)?( of| de)? (${names})|(${names}) ${day}(st|nd|rd|th)?(?!\\d)`);
  }
  return `(${parts.join('|')})`;
}

/** `{today}` in a pattern becomes the sent date: "23 November", "23rd Nov", "November 23"; `{weeksAway}` a date weeks after it. */
export function expandToday(sentAt: Date): (pattern: string) => string {
  const today = todayPattern(sentAt);
  const weeksAway = weeksAwayPattern(sentAt);
  return (pattern) => pattern.replaceAll('{today}', today).replaceAll('{weeksAway}', weeksAway);
}

/**
 * A signal's patterns with `{today}` expanded: per day the same array, so what is compiled from it
 * is kept. Whether they name a date at all is kept too: most rules name none, and each is read on
 * every mail.
 */
const expanded = new WeakMap<readonly string[], { patterns: string[]; dated: boolean; byDay: Map<string, string[]> }>();

export function signalPatterns(patterns: readonly string[], sentAt: Date): readonly string[] {
  let known = expanded.get(patterns);
  if (!known || !sameStrings(known.patterns, patterns)) {
    const dated = patterns.some((pattern) => pattern.includes('{today}') || pattern.includes('{weeksAway}'));
    known = { patterns: [...patterns], dated, byDay: new Map() };
    expanded.set(patterns, known);
  }
  if (!known.dated) return patterns;
  const day = Number.isNaN(sentAt.getTime()) ? 'invalid' : sentAt.toISOString().slice(0, 10);
  let list = known.byDay.get(day);
  if (!list) {
    list = patterns.map(expandToday(sentAt));
    known.byDay.set(day, list);
  }
  return list;
}
