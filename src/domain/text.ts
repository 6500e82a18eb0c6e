/** Small text helpers shared by the rules that read what people wrote. */

/** The text as a literal inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Words separated by white space (a CJK sentence counts as one: see missing-info's own count). */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** A one-line string cut to `max` characters (whole code points), marked with an ellipsis. */
export function boundedLine(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Plain US-ASCII: no accents to fold, no curly quotes to straighten, no case rule that needs Unicode. */
export function isAscii(text: string): boolean {
  return !/[^\x00-\x7f]/.test(text);
}
