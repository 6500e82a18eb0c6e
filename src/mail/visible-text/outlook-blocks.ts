// Outlook's history markers: the header block "From: … Sent: … To: … Subject: …" (localised,
// with or without bold), the "-----Original Message-----" line and the "____" rule above a block.

import { alternation, fromEveryLanguage, LANGUAGES, type HeaderField } from '../../domain/languages/language.js';
import { isBlank, MAX_PATTERN_LINE } from './lines.js';

/** Header block field names → what they mean, in the languages Outlook is localised into. */
const HEADER_FIELD = new Map<string, HeaderField>(
  LANGUAGES.flatMap((language) =>
    Object.entries(language.headerFields ?? {}).flatMap(([field, names]) =>
      (names ?? []).map((name) => [name, field as HeaderField] as const),
    ),
  ),
);
const HEADER_FIELD_LINE = new RegExp(`^\\s*[*_]{0,2}(${alternation([...HEADER_FIELD.keys()])})[*_]{0,2}\\s*[:：]`, 'iu');
/** An Outlook block spans at most this many lines (wrapped From: lines included). */
const HEADER_BLOCK_WINDOW = 9;

const ORIGINAL_MESSAGE = new RegExp(
  `^[\\s*]*-{2,}\\s*(?:${alternation(fromEveryLanguage((language) => language.originalMessage))})\\s*-{2,}[\\s*]*$`,
  'iu',
);
/** Outlook's separator above the header block, and mailing-list footer rules. */
export const UNDERSCORE_LINE = /^\s*_{2,}\s*$/;

export function isOriginalMessageLine(line: string): boolean {
  return line.includes('--') && ORIGINAL_MESSAGE.test(line);
}

/** Block start line → the block's lines (for the reason text). */
export type OutlookBlocks = Map<number, { end: number; keys: string[] }>;

function headerFieldOf(line: string): { key: string; field: HeaderField } | undefined {
  if (line.length > MAX_PATTERN_LINE) return undefined;
  const match = HEADER_FIELD_LINE.exec(line);
  if (!match) return undefined;
  const field = HEADER_FIELD.get(match[1]!.toLowerCase());
  return field ? { key: match[1]!, field } : undefined;
}

export function findOutlookBlocks(lines: string[], inFence: boolean[]): OutlookBlocks {
  const blocks: OutlookBlocks = new Map();
  const fieldOf = lines.map((line, i) => (inFence[i] ? undefined : headerFieldOf(line)));
  let coveredUntil = -1;
  for (let i = 0; i < lines.length; i++) {
    if (i <= coveredUntil || !fieldOf[i]) continue;
    const fields = new Set<HeaderField>();
    const keys: string[] = [];
    let end = i;
    for (let k = i; k < Math.min(lines.length, i + HEADER_BLOCK_WINDOW); k++) {
      const line = lines[k]!;
      if (isBlank(line)) break;
      const found = fieldOf[k];
      if (found) {
        fields.add(found.field);
        keys.push(found.key);
        end = k;
      }
    }
    // From plus two other fields: a prose line starting "To:" or "Date:" is not enough.
    if (fields.has('from') && fields.size >= 3) {
      blocks.set(i, { end, keys });
      coveredUntil = end;
    }
  }
  return blocks;
}
