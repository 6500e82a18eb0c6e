/**
 * Identifiers in text: what names one thing exactly. Duplicate detection (similarity.ts) and
 * incident detection (incidents/report.ts) both weigh them as strong evidence. Pure.
 */

/** At most this many per text: a pasted log must not make a fingerprint or a report huge. */
const MAX_IDENTIFIERS = 20;

/**
 * What names one thing exactly: asset tags (`nw-lt-0217`), error codes (`0x800ccc0e`), build and
 * version numbers (`16.0.17928`, `24h2`). Letters and digits together, or three dotted numbers;
 * times, dates and sizes are not identifiers.
 */
const IDENTIFIER = /(?<![\p{L}\p{N}.])(?:\d+(?:\.\d+){2,}|(?=[\p{L}\p{N}-]*\p{N})(?=[\p{L}\p{N}-]*\p{L})[\p{L}\p{N}][\p{L}\p{N}-]{2,}[\p{L}\p{N}])(?![\p{L}\p{N}]|\.\d)/gu;
const NOT_IDENTIFIER = /^(?:\d{1,2}(?:st|nd|rd|th|am|pm|h|min|mins|s|gb|mb|tb|kb|ghz|mhz|k|x|p|d)|\d+(?:gb|mb|tb|kb|px|dpi|hz|ms|%)|[a-z]\d|q[1-4]|\d{4}-\d{2}(?:-\d{2})?)$/u;

export function identifiers(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.toLowerCase().normalize('NFKC').matchAll(IDENTIFIER)) if (!NOT_IDENTIFIER.test(m[0])) found.add(m[0]);
  return [...found].slice(0, MAX_IDENTIFIERS);
}
