// Outlook's history markers: the header block "From: … Sent: … To: … Subject: …" (localised,
// with or without bold; on one line when an HTML body flattened it; two lines when one is a date
// and the other an address), the "-----Original Message-----" line and the "____" rule above a block.

import { alternation, fromEveryLanguage, type HeaderField, LANGUAGES } from '../../domain/languages/language.js';
import { isBlank, isRuleLine, MAX_PATTERN_LINE } from './lines.js';

/** Header block field names → what they mean, in the languages Outlook is localised into. */
const HEADER_FIELD = new Map<string, HeaderField>(
  LANGUAGES.flatMap((language) =>
    Object.entries(language.headerFields ?? {}).flatMap(([field, names]) =>
      (names ?? []).map((name) => [name, field as HeaderField] as const),
    ),
  ),
);
const FIELD_NAMES = alternation([...HEADER_FIELD.keys()]);
const HEADER_FIELD_LINE = new RegExp(`^\\s*[*_]{0,2}(${FIELD_NAMES})[*_]{0,2}\\s*[:：]`, 'iu');
/** A field name inside a line, after white space: "From: A <a@b> Sent: Monday … To: B Subject: …". */
const INLINE_FIELD = new RegExp(`(?<=\\s)[*_]{0,2}(${FIELD_NAMES})[*_]{0,2}\\s?[:：]`, 'giu');
/** What makes a field value a date: a year or a time of day. */
const DATE_VALUE = /(?<!\d)(?:19|20)\d{2}(?!\d)|\d{1,2}[:.]\d{2}(?!\d)/;
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
    const block =
      fields.has('from') && fields.size >= 3
        ? { end, keys }
        : (twoLineBlock(lines, i, fieldOf) ?? (fieldOf[i]!.field === 'from' ? oneLineBlock(lines[i]!, i, fieldOf[i]!.key) : undefined));
    if (block) {
      blocks.set(i, block);
      coveredUntil = block.end;
    }
  }
  return blocks;
}

/**
 * "From: A <a@b>" and "Date: …", or "Date: …" and "To: B <b@c>", with a blank line (or a rule)
 * above and a blank line below: two fields are a header when one is a date (a year or a time)
 * and the other holds an address.
 */
function twoLineBlock(
  lines: string[],
  i: number,
  fieldOf: ({ key: string; field: HeaderField } | undefined)[],
): { end: number; keys: string[] } | undefined {
  const first = fieldOf[i];
  const second = fieldOf[i + 1];
  if (!first || !second || !isBlank(lines[i + 2]) || (i > 0 && !isBlank(lines[i - 1]) && !isRuleLine(lines[i - 1]!))) return undefined;
  const date = first.field === 'date' ? i : second.field === 'date' ? i + 1 : -1;
  const other = date === i ? second : first;
  if (date < 0 || (other.field !== 'from' && other.field !== 'to')) return undefined;
  const addressLine = lines[date === i ? i + 1 : i]!;
  if (!fieldValue(addressLine).includes('@') || !DATE_VALUE.test(fieldValue(lines[date]!))) return undefined;
  return { end: i + 1, keys: [first.key, second.key] };
}

/** "From: A <a@b> Date: … To: B Subject: …" on one line, as an HTML body's block becomes in text. */
function oneLineBlock(line: string, i: number, fromKey: string): { end: number; keys: string[] } | undefined {
  const others = new Map<HeaderField, string>();
  for (const match of line.matchAll(INLINE_FIELD)) {
    const field = HEADER_FIELD.get(match[1]!.toLowerCase());
    if (field && field !== 'from' && !others.has(field)) others.set(field, match[1]!);
  }
  return others.size >= 2 ? { end: i, keys: [fromKey, ...others.values()] } : undefined;
}

function fieldValue(line: string): string {
  return line.slice(line.search(/[:：]/) + 1);
}
