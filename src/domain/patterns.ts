/**
 * Rule patterns shared by triage and missing information: strings from the config compiled to
 * case-insensitive Unicode RegExps that match whole words. A match never starts or ends inside
 * a word ("print" matches neither "blueprint" nor "printer"; write "print(er|ers|ing)?"). An
 * edge written in a script without spaces, such as Japanese, has no such limit, so "ログイン"
 * is found inside a sentence.
 *
 * Rules run on every mail, so each pattern is compiled once. A search starts from the pattern's
 * own letters and looks behind for the word edge only where they matched; a list of patterns
 * ("any of these") is one combined search behind a plain keyword check (required-text.ts); a
 * search that needs only the first match stops there. Each answers exactly as the pattern with
 * a lookbehind and a lookahead for its word edges, tried on its own through matchAll, would.
 */
import { keywordCheck } from './patterns/required-text.js';
import { isAscii } from './text.js';

/** A letter of a script written without spaces between words, where word edges mean nothing. */
const UNSPACED_LETTER = /^[^\p{Script=Latin}\P{L}]/u;
const WORD_CHARACTER = '[\\p{Script=Latin}\\p{N}_]';
const EDGE_BEFORE = `(?<!${WORD_CHARACTER})`;
const EDGE_AFTER = `(?!${WORD_CHARACTER})`;
/**
 * The word edge before a match, tried at one position. A search starts from the pattern itself
 * and looks behind only where it matched, as a leading lookbehind would be tried at every
 * position and keep the search from skipping ahead to the pattern's first letters.
 */
const EDGE_BEFORE_AT = new RegExp(EDGE_BEFORE, 'uy');
const FLAGS = 'iu';

/** A pattern, or patterns sharing their word edges, compiled: the search and whether a word edge must come before. */
interface Search {
  /** Global; the edge after the match included. */
  re: RegExp;
  edgeBefore: boolean;
  /** The same with its edge before, for the one case the search cannot go on by itself (see nextMatch). */
  withEdges?: RegExp;
}

const compiled = new Map<string, Search>();

/** The word edges a pattern gets: none where it starts or ends in a script without spaces. */
function edgesOf(source: string): { before: boolean; after: string } {
  return {
    before: !UNSPACED_LETTER.test(source),
    after: UNSPACED_LETTER.test(source.at(-1) ?? '') ? '' : EDGE_AFTER,
  };
}

/** The search of a rule pattern (cached: rules are read once and matched on every mail). */
function compilePattern(source: string): Search {
  let search = compiled.get(source);
  if (!search) {
    new RegExp(source, 'u'); // throws on its own syntax errors, before the word edges are added
    const { before, after } = edgesOf(source);
    search = searchOf(`(?:${source})${after}`, before);
    compiled.set(source, search);
  }
  search.re.lastIndex = 0;
  return search;
}

/** A search for `source` (its edge after included), global, with the rules' flags. */
function searchOf(source: string, edgeBefore: boolean): Search {
  return { re: new RegExp(source, `g${FLAGS}`), edgeBefore };
}

/**
 * The next match at or after `re.lastIndex` with a word edge before it where one is wanted: what
 * the pattern with a leading lookbehind finds, as the lookbehind does not depend on the match.
 * Past a start that lacks the edge, a search tries the next code unit, even inside a surrogate
 * pair; a search started there steps back to the pair, so there the pattern with its edge goes on.
 */
function nextMatch(search: Search, text: string): RegExpExecArray | null {
  const { re, edgeBefore } = search;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!edgeBefore) return m;
    EDGE_BEFORE_AT.lastIndex = m.index;
    if (EDGE_BEFORE_AT.test(text)) return m;
    if (characterLength(text, m.index) === 1) {
      re.lastIndex = m.index + 1;
      continue;
    }
    const withEdges = (search.withEdges ??= new RegExp(`${EDGE_BEFORE}${re.source}`, re.flags));
    withEdges.lastIndex = m.index;
    const found = withEdges.exec(text);
    re.lastIndex = withEdges.lastIndex;
    return found;
  }
  return null;
}

/** 2 at a surrogate pair (one character under the u flag), else 1. */
function characterLength(text: string, index: number): number {
  return (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
}

/** Why a pattern does not compile, or null when it does. */
function patternProblem(source: string): string | null {
  try {
    compilePattern(source);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Adds one clear issue per pattern that is not a valid regular expression, naming the rule. */
export function checkPatterns(
  ctx: { addIssue: (issue: { code: 'custom'; message: string; path: (string | number)[] }) => void },
  rule: string,
  patterns: readonly string[],
  path: (string | number)[],
  expand: (pattern: string) => string = (pattern) => pattern,
): void {
  patterns.forEach((pattern, index) => {
    const problem = patternProblem(expand(pattern));
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, index],
        message: `${rule}: pattern "${pattern}" is not a valid regular expression (${problem})`,
      });
    }
  });
}

/** Curly quotes and apostrophes become straight ones, so patterns can write "can't" once. */
export function normaliseText(text: string): string {
  if (isAscii(text)) return text; // NFKC leaves ASCII as it is, and it holds no curly quotes
  return text.normalize('NFKC').replace(/[\u2018\u2019\u201B\u2032]/g, "'").replace(/[\u201C\u201D\u201E\u201F\u00AB\u00BB]/g, '"');
}

export interface PatternMatch {
  text: string;
  index: number;
}

/** Every match of the pattern, left to right, as `text.matchAll` lists them. */
export function matchesOf(pattern: string, text: string): PatternMatch[] {
  const found: PatternMatch[] = [];
  scan(compilePattern(pattern), text, (match) => {
    found.push(match);
    return false;
  });
  return found;
}

/** The first match of the pattern, in the order of matchesOf, that `accept` takes; null when none. */
export function firstMatchOf(pattern: string, text: string, accept: (match: PatternMatch) => boolean): PatternMatch | null {
  return scan(compilePattern(pattern), text, accept);
}

/** Runs a search over the text as matchAll would (an empty match moves on one character). */
function scan(search: Search, text: string, stop: (match: PatternMatch) => boolean): PatternMatch | null {
  const { re } = search;
  for (let m = nextMatch(search, text); m; m = nextMatch(search, text)) {
    const match = { text: m[0], index: m.index };
    if (match.text === '') re.lastIndex += characterLength(text, re.lastIndex);
    if (stop(match)) {
      re.lastIndex = 0;
      return match;
    }
  }
  return null;
}

/** A back reference or a named group: numbers and names that change when patterns are combined. */
const GROUP_REFERENCE = /\\[1-9]|\\k<|\(\?<(?![=!])/;

/** The text asked about last and whether it is plain ASCII: every rule asks about the same mail's text in turn. */
let lastText = '';
let lastAscii = true;

function isAsciiText(text: string): boolean {
  if (text !== lastText) [lastText, lastAscii] = [text, isAscii(text)];
  return lastAscii;
}

/** A list of rule patterns, compiled once, that answers "does any of them occur?" in one pass. */
export class PatternSet {
  private readonly sources: readonly string[];
  /** Plain words one of which any match contains; null when a pattern promises none. */
  private readonly keywords: RegExp | null;
  /** The same check without the u flag, for a text of plain ASCII; null where it would answer otherwise. */
  private readonly asciiKeywords: RegExp | null;
  /** The patterns as one alternation per kind of word edge, or each on its own where they cannot be combined. */
  private readonly searches: Search[];

  constructor(patterns: readonly string[]) {
    this.sources = [...patterns];
    this.searches = combined(patterns);
    this.keywords = patterns.length ? keywordCheck(patterns.map((source) => ({ source, flags: FLAGS }))) : null;
    // On ASCII text only ASCII keywords can match, alike with or without u; but "ſ" and the Kelvin sign match "s" and "k" under u.
    this.asciiKeywords = this.keywords && !/[\u017F\u212A]/.test(this.keywords.source) ? new RegExp(this.keywords.source, 'i') : null;
  }

  /** Whether the set was compiled from exactly these patterns (rules may be edited in place). */
  isFor(patterns: readonly string[]): boolean {
    return sameStrings(patterns, this.sources);
  }

  /** False when no pattern can occur in the text, by its keywords alone; true when one may. */
  mayMatch(text: string): boolean {
    if (this.keywords === null) return this.searches.length > 0;
    // On ASCII text the check answers the same without the u flag, and that runs several times faster.
    const keywords = this.asciiKeywords && isAsciiText(text) ? this.asciiKeywords : this.keywords;
    return keywords.test(text);
  }

  /** Whether any of the patterns occurs in the text (as `matchesOf(p, text).length > 0` for some p). */
  some(text: string): boolean {
    return (
      this.mayMatch(text) &&
      this.searches.some((search) => {
        search.re.lastIndex = 0;
        const found = nextMatch(search, text) !== null;
        search.re.lastIndex = 0;
        return found;
      })
    );
  }
}

/** One search per kind of word edge around its patterns' alternation; one per pattern where a group is referred to. */
function combined(patterns: readonly string[]): Search[] {
  const separately = () =>
    patterns.map((source) => {
      const { re, edgeBefore } = compilePattern(source);
      return searchOf(re.source, edgeBefore);
    });
  patterns.forEach(compilePattern); // each throws on its own syntax error, as a single pattern would
  if (patterns.some((source) => GROUP_REFERENCE.test(source))) return separately();
  const byEdges = new Map<string, { before: boolean; after: string; sources: string[] }>();
  for (const source of patterns) {
    const edges = edgesOf(source);
    const key = `${edges.before}|${edges.after}`;
    const group = byEdges.get(key) ?? { ...edges, sources: [] };
    group.sources.push(source);
    byEdges.set(key, group);
  }
  try {
    return [...byEdges.values()].map(({ before, after, sources }) => searchOf(`(?:${sources.map((source) => `(?:${source})`).join('|')})${after}`, before));
  } catch {
    return separately(); // too large to combine
  }
}

/** The same strings in the same order: what a rule's list is checked against before what was compiled from it is reused. */
export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

const sets = new WeakMap<readonly string[], PatternSet>();

/** The PatternSet of a rule's list, compiled on first use and again only when the list changes. */
export function patternSet(patterns: readonly string[]): PatternSet {
  let set = sets.get(patterns);
  if (!set?.isFor(patterns)) {
    set = new PatternSet(patterns);
    sets.set(patterns, set);
  }
  return set;
}
