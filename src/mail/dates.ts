/** The Date header, read the way RFC 5322 writes it and the way real mail gets it wrong. */

/** Zone names JavaScript's Date does not know (it knows UT, GMT, Z and the US ones). */
const ZONES: Record<string, string> = {
  UTC: '+0000',
  WET: '+0000',
  BST: '+0100',
  WEST: '+0100',
  CET: '+0100',
  MET: '+0100',
  CEST: '+0200',
  MEST: '+0200',
  EET: '+0200',
  EEST: '+0300',
  MSK: '+0300',
  HKT: '+0800',
  SGT: '+0800',
  JST: '+0900',
  KST: '+0900',
  AEST: '+1000',
  AEDT: '+1100',
  NZST: '+1200',
  NZDT: '+1300',
};
const HAS_ZONE = /(?:^|[\s\d])(?:[+-]\d{4}|UT|GMT|Z|[ECMP][SD]T)$/i;

/**
 * An RFC 5322 date as an ISO string: comments and the spaces obsolete syntax allows around ":"
 * are removed, a few zone names JavaScript lacks are mapped, and a date without a zone is read
 * as UTC (not as the machine's local time). Null when absent or unreadable (with a warning).
 */
export function parseDate(value: string | undefined, warnings: Set<string>): string | null {
  if (value === undefined || value.trim() === '') return null;
  const cleaned = value
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s*:\s*/g, ':')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\b([A-Z]{3,4})$/i, (zone) => ZONES[zone.toUpperCase()] ?? zone);
  // JavaScript's Date reads nearly anything ("someday soon +0000" is 1 Jan 2000): ask for a month
  const looksLikeDate = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{4}-\d\d-\d\d/i.test(cleaned) && /\d/.test(cleaned);
  const attempts = !looksLikeDate ? [] : HAS_ZONE.test(cleaned) ? [cleaned] : [`${cleaned} +0000`, cleaned];
  for (const attempt of attempts) {
    const date = new Date(attempt);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  warnings.add(`Date header "${value.slice(0, 100)}" is not a valid date`);
  return null;
}
