/**
 * The plain text every match of a regular expression must contain, read from the expression
 * itself: rules test a cheap keyword check first and run the expression (with its Unicode word
 * edges) only where the keyword occurs. Derived, never hand-kept, so a new pattern brings its own
 * keywords. No I/O.
 */
import { escapeRegExp } from '../text.js';

/** Beyond this many spellings a run of literal text stops growing: "(a|b) (c|d)" is four. */
const MAX_SPELLINGS = 64;

interface Info {
  /** Every string the part can match, when they are few and known. */
  exact: string[] | null;
  /** One of these occurs in every match of the part (null: nothing known). */
  cover: string[] | null;
}

const UNKNOWN: Info = { exact: null, cover: null };
const EMPTY: Info = { exact: [''], cover: null };

export interface KeywordOptions {
  /**
   * 'collapsed': the expressions read a text whose runs of white space became one space, so a
   * keyword is cut at its spaces and its longest piece kept: the text as it came may hold any
   * run of white space there.
   */
  whiteSpace?: 'exact' | 'collapsed';
}

/**
 * Strings one of which occurs in every match of `source` (read as a `u`-mode expression), as
 * spelled there, so they are found with the expression's own flags; null when it names none.
 */
export function requiredText(source: string): string[] | null {
  if (!validInUnicodeMode(source)) return null;
  const reader = new Reader([...source]);
  const info = reader.alternation();
  if (reader.at < reader.chars.length) return null; // an unbalanced ")": cannot happen in a valid expression
  const cover = coverOf(info);
  // A lone surrogate would not match inside a pair under the `u` flag.
  return cover && !cover.some((text) => /[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) ? cover : null;
}

/** An expression as written: a RegExp, or a rule's pattern with the flags it is compiled with. */
export interface Expression {
  source: string;
  flags: string;
}

/**
 * One expression that matches wherever one of `expressions` could: the keyword check to run
 * before them. Null when one of them promises no keyword (then every text may match).
 *
 * It runs with the flags i and u whatever theirs, so one check serves them all: a keyword then
 * matches every letter it matches under their own flags, and more (under i and u, "s" also
 * matches "ſ"). Without u, that holds for plain ASCII keywords only, so others give no check.
 */
export function keywordCheck(expressions: readonly Expression[], options: KeywordOptions = {}): RegExp | null {
  const words = new Set<string>();
  for (const { source, flags } of expressions) {
    if (flags.includes('v')) return null;
    const unicode = flags.includes('u');
    if (!unicode && source.includes('\\u{')) return null; // "\u{41}" is 41 times "u" without the u flag
    const found = requiredText(source);
    const cover = options.whiteSpace === 'collapsed' ? found?.map(longestPiece) : found;
    if (!cover || cover.includes('') || (!unicode && cover.some((word) => /[^\x00-\x7f]/.test(word)))) return null;
    for (const word of cover) words.add(word);
  }
  if (!words.size) return null;
  // Longest first, so the alternation reads as the words do.
  const alternation = [...words].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  return new RegExp(alternation, 'iu');
}

/** "sent from " → "sent": the longest part of a keyword between its spaces. */
function longestPiece(word: string): string {
  return word.split(' ').reduce((longest, piece) => (piece.length > longest.length ? piece : longest), '');
}

function validInUnicodeMode(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}

function coverOf(info: Info): string[] | null {
  const cover = info.cover ?? info.exact;
  return cover && cover.length && !cover.includes('') ? cover : null;
}

/** Keywords this long are rare enough in text; beyond it, fewer keywords search faster than longer ones. */
const LONG_ENOUGH = 4;

/** The better of two covers: the one whose shortest keyword is long enough, then the one with fewer, then the longer. */
function better(a: string[] | null, b: string[] | null): string[] | null {
  if (!a || !b) return a ?? b;
  const shortest = (cover: string[]) => Math.min(...cover.map((text) => text.length));
  const enough = (cover: string[]) => Math.min(shortest(cover), LONG_ENOUGH);
  if (enough(a) !== enough(b)) return enough(a) > enough(b) ? a : b;
  if (a.length !== b.length) return a.length < b.length ? a : b;
  return shortest(a) >= shortest(b) ? a : b;
}

function cross(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > MAX_SPELLINGS) return null;
  return [...new Set(a.flatMap((x) => b.map((y) => x + y)))];
}

/** A recursive-descent reader of the expression's syntax, one code point at a time. */
class Reader {
  at = 0;
  constructor(readonly chars: string[]) {}

  private peek(offset = 0): string | undefined {
    return this.chars[this.at + offset];
  }

  alternation(): Info {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.at++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0]!;
    const exact = branches.every((b) => b.exact) ? [...new Set(branches.flatMap((b) => b.exact!))] : null;
    const covers = branches.map(coverOf);
    const cover = covers.every(Boolean) ? [...new Set(covers.flatMap((c) => c!))] : null;
    return { exact: exact && exact.length <= MAX_SPELLINGS ? exact : null, cover };
  }

  private sequence(): Info {
    /** Every spelling of the terms since the last one that is not plain text. */
    let run: string[] = [''];
    /** The plain text since the last term with several spellings: "dead" in "(pc|laptop) is dead". */
    let plain = '';
    let whole = true;
    let best: string[] | null = null;
    const consider = (cover: string[] | null) => (best = better(best, cover && coverOf({ exact: cover, cover: null })));
    while (this.at < this.chars.length && this.peek() !== '|' && this.peek() !== ')') {
      const term = this.quantified(this.atom());
      if (term.exact?.length === 1) {
        plain += term.exact[0];
      } else {
        consider([plain]);
        consider(term.exact);
        plain = '';
      }
      const joined = term.exact ? cross(run, term.exact) : null;
      if (joined) {
        run = joined;
        continue;
      }
      whole = false;
      consider(run);
      best = better(best, coverOf(term));
      run = term.exact ?? [''];
    }
    consider([plain]);
    consider(run);
    return { exact: whole ? run : null, cover: best };
  }

  private quantified(info: Info): Info {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.at++;
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Infinity;
    } else if (c === '{') {
      const close = this.chars.indexOf('}', this.at);
      const [low, high] = this.chars.slice(this.at + 1, close).join('').split(',');
      this.at = close + 1;
      min = Number(low);
      max = high === undefined ? min : high === '' ? Infinity : Number(high);
    } else {
      return info;
    }
    if (this.peek() === '?') this.at++; // lazy
    if (min === 0) return UNKNOWN;
    if (min === 1 && max === 1) return info;
    return { exact: null, cover: coverOf(info) };
  }

  private atom(): Info {
    const c = this.chars[this.at++]!;
    switch (c) {
      case '^':
      case '$':
        return EMPTY;
      case '.':
        return UNKNOWN;
      case '[':
        this.skipClass();
        return UNKNOWN;
      case '(':
        return this.group();
      case '\\':
        return this.escape();
      default:
        return { exact: [c], cover: null };
    }
  }

  private group(): Info {
    let lookaround = false;
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (next === ':') {
        this.at += 2;
      } else if (next === '=' || next === '!') {
        this.at += 2;
        lookaround = true;
      } else if (next === '<' && (this.peek(2) === '=' || this.peek(2) === '!')) {
        this.at += 3;
        lookaround = true;
      } else {
        // A named group: "(?<name>".
        this.at = this.chars.indexOf('>', this.at) + 1;
      }
    }
    const inner = this.alternation();
    this.at++; // ")"
    return lookaround ? EMPTY : inner; // a lookaround consumes nothing
  }

  private skipClass(): void {
    while (this.at < this.chars.length && this.peek() !== ']') {
      if (this.peek() === '\\') this.at++;
      this.at++;
    }
    this.at++;
  }

  private escape(): Info {
    const c = this.chars[this.at++]!;
    if ('dDwWsS'.includes(c)) return UNKNOWN;
    if (c === 'b' || c === 'B') return EMPTY;
    if (c === 'p' || c === 'P' || c === 'k') {
      // "\p{L}", or a back reference by name, "\k<name>": a class, or text known only when matched.
      this.at = this.chars.indexOf(c === 'k' ? '>' : '}', this.at) + 1;
      return UNKNOWN;
    }
    if (/[1-9]/.test(c)) {
      while (/\d/.test(this.peek() ?? '')) this.at++;
      return UNKNOWN; // a back reference
    }
    const controls: Record<string, string> = { f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '0': '\0' };
    if (c in controls) return { exact: [controls[c]!], cover: null };
    if (c === 'c') return { exact: [String.fromCharCode(this.chars[this.at++]!.charCodeAt(0) % 32)], cover: null };
    if (c === 'x') return { exact: [String.fromCharCode(this.hex(2))], cover: null };
    if (c === 'u') return { exact: [this.unicodeEscape()], cover: null };
    return { exact: [c], cover: null }; // "\." and the other syntax characters
  }

  private hex(digits: number): number {
    const value = parseInt(this.chars.slice(this.at, this.at + digits).join(''), 16);
    this.at += digits;
    return value;
  }

  /** "\u{1F600}", "\u00e9", or a surrogate pair written as two escapes (one character under `u`). */
  private unicodeEscape(): string {
    if (this.peek() === '{') {
      const close = this.chars.indexOf('}', this.at);
      const code = parseInt(this.chars.slice(this.at + 1, close).join(''), 16);
      this.at = close + 1;
      return String.fromCodePoint(code);
    }
    const unit = this.hex(4);
    if (unit >= 0xd800 && unit <= 0xdbff && this.peek() === '\\' && this.peek(1) === 'u' && this.peek(2) !== '{') {
      const low = parseInt(this.chars.slice(this.at + 2, this.at + 6).join(''), 16);
      if (low >= 0xdc00 && low <= 0xdfff) {
        this.at += 6;
        return String.fromCharCode(unit, low);
      }
    }
    return String.fromCharCode(unit);
  }
}
