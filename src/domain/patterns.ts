/**
 * Rule patterns shared by triage and missing information: strings from the config compiled to
 * case-insensitive Unicode RegExps that match whole words. A match never starts or ends inside
 * a word ("print" matches neither "blueprint" nor "printer"; write "print(er|ers|ing)?"). An
 * edge written in a script without spaces, such as Japanese, has no such limit, so "ログイン"
 * is found inside a sentence.
 */

/** A letter of a script written without spaces between words, where word edges mean nothing. */
const UNSPACED_LETTER = /^[^\p{Script=Latin}\P{L}]/u;
const compiled = new Map<string, RegExp>();

/** The RegExp of a rule pattern (cached: rules are read once and matched on every mail). */
function compilePattern(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    new RegExp(source, 'u'); // throws on its own syntax errors, before the word edges are added
    const before = UNSPACED_LETTER.test(source) ? '' : '(?<![\\p{Script=Latin}\\p{N}_])';
    const after = UNSPACED_LETTER.test(source.at(-1) ?? '') ? '' : '(?![\\p{Script=Latin}\\p{N}_])';
    re = new RegExp(`${before}(?:${source})${after}`, 'giu');
    compiled.set(source, re);
  }
  re.lastIndex = 0;
  return re;
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
  return text.normalize('NFKC').replace(/[\u2018\u2019\u201B\u2032]/g, "'").replace(/[\u201C\u201D\u201E\u201F\u00AB\u00BB]/g, '"');
}

export interface PatternMatch {
  text: string;
  index: number;
}

export function matchesOf(pattern: string, text: string): PatternMatch[] {
  return [...text.matchAll(compilePattern(pattern))].map((m) => ({ text: m[0], index: m.index ?? 0 }));
}

