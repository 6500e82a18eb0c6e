/**
 * Missing information: the details a category needs that the requester has not given yet, each
 * with the question we would ask. No I/O.
 *
 * A detail counts as given when any of its `present` patterns occurs in any text (subject,
 * visible text, later replies). Detectors are deliberately generous: asking people for what they
 * already wrote costs more goodwill than a technician's follow-up question. `onlyIf`/`unless`
 * say when a detail is worth asking for at all (no Wi-Fi question for a VPN problem).
 * Patterns follow the triage rules' conventions (case-insensitive, whole words).
 */
import { normaliseText, patternSet } from '../patterns.js';
import type { MissingInfoRules } from './schema.js';

export interface MissingDetail {
  id: string;
  ask: string;
}

type DetailRule = MissingInfoRules['details'][number];

/** Details the category requires that none of `texts` supplies, in rule order. With texts=[] returns every detail of the category. */
export function missingDetails(category: string, texts: string[], rules: MissingInfoRules): MissingDetail[] {
  const required = requiredDetails(category, rules);
  if (!texts.length) return required.map(toMissing);
  const text = normaliseText(texts.join('\n'));
  return required.filter((d) => isRelevant(d, text) && !isGiven(d, text)).map(toMissing);
}

/** Of `missingIds`, the ones `newText` still does not supply. */
export function stillMissing(missingIds: string[], newText: string, category: string, rules: MissingInfoRules): MissingDetail[] {
  const text = normaliseText(newText);
  // Ids the category no longer lists (the config changed) are still looked up: we asked for them.
  const wanted = new Map<string, DetailRule>();
  for (const d of [...requiredDetails(category, rules), ...rules.details]) {
    if (missingIds.includes(d.id) && !wanted.has(d.id)) wanted.set(d.id, d);
  }
  return [...wanted.values()].filter((d) => !isGiven(d, text)).map(toMissing);
}

/**
 * The questions still open on a ticket, as we ask them: of `missingIds`, the details the
 * category needs, in the order we ask. An id the category no longer needs (staff changed the
 * category) is not asked again.
 */
export function asksFor(missingIds: string[], category: string, rules: MissingInfoRules): string[] {
  return requiredDetails(category, rules)
    .filter((d) => missingIds.includes(d.id))
    .map((d) => d.ask);
}

function requiredDetails(category: string, rules: MissingInfoRules): DetailRule[] {
  const ids = [...(rules.categories[category] ?? []), ...rules.everyCategory];
  const unique = ids.filter((id, i) => ids.indexOf(id) === i);
  return unique.flatMap((id) => rules.details.filter((d) => d.id === id));
}

function isRelevant(detail: DetailRule, text: string): boolean {
  if (patternSet(detail.unless).some(text)) return false;
  return !detail.onlyIf.length || patternSet(detail.onlyIf).some(text);
}

function isGiven(detail: DetailRule, text: string): boolean {
  if (detail.minWords !== undefined && hasWords(text, detail.minWords)) return true;
  return patternSet(detail.present).some(text);
}

const SPACED_WORD = /[\p{Script=Latin}\p{N}]+/gu;
const UNSPACED_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;

/** Whether the text holds at least `min` words; CJK text has no spaces: its characters count in twos, roughly a word each. */
function hasWords(text: string, min: number): boolean {
  const spaced = countUpTo(SPACED_WORD, text, min);
  return spaced >= min || spaced + Math.floor(countUpTo(UNSPACED_CHARACTER, text, 2 * (min - spaced)) / 2) >= min;
}

/** Matches of a global RegExp in the text, counted until `limit`: enough to compare with it. */
function countUpTo(re: RegExp, text: string, limit: number): number {
  re.lastIndex = 0;
  let count = 0;
  while (count < limit && re.exec(text)) count++;
  re.lastIndex = 0;
  return count;
}

function toMissing(detail: DetailRule): MissingDetail {
  return { id: detail.id, ask: detail.ask };
}
