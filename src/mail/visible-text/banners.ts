// External-sender banners: the warning a mail system (Exchange Online's transport rules, most
// often) puts above the first line of mail from outside. The writer did not write it.

import { alternation, fromEveryLanguage } from '../../domain/languages/language.js';
import { isBlank, MAX_PATTERN_LINE } from './lines.js';

const BANNER = new RegExp(alternation(fromEveryLanguage((language) => language.externalSenderBanners)), 'iu');
/** A banner is a short paragraph: a longer one, or a question, is somebody's own text about one. */
const MAX_BANNER_LINES = 3;

/** How many lines at the top are the banner and the blank lines under it (0: none). */
export function leadingBanner(lines: string[]): number {
  let start = 0;
  while (start < lines.length && isBlank(lines[start]!)) start++;
  let end = start;
  while (end < lines.length && !isBlank(lines[end]!)) end++;
  if (end === start || end - start > MAX_BANNER_LINES || end === lines.length) return 0;
  const paragraph = lines.slice(start, end).join(' ');
  if (paragraph.length > MAX_PATTERN_LINE || paragraph.includes('?') || !BANNER.test(paragraph)) return 0;
  while (end < lines.length && isBlank(lines[end]!)) end++;
  return end;
}
