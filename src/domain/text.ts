/** Small text helpers shared by the rules that read what people wrote. */

/** The text as a literal inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Words separated by white space (a CJK sentence counts as one: see missing-info's own count). */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
