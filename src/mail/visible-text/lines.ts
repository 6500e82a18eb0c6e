// The body as lines, and what every pass over them shares. Patterns are only tried on lines of
// bounded length (MAX_PATTERN_LINE), which keeps every regex cheap and the work linear.

/** Lines longer than this are never headers or signatures, which keeps every regex cheap. */
export const MAX_PATTERN_LINE = 1000;

/** What a line is to the reply, as the scan finds it. */
export type LineRole = 'own' | 'blank' | 'header' | 'quote' | 'cut' | 'signoff';

export function splitLines(body: string): string[] {
  return body.split(/\r\n|\r|\n/).map((line) => line.trimEnd());
}

/** Joins lines and trims the result: no leading/trailing blank lines or whitespace. */
export function joinTrimmed(lines: string[]): string {
  return lines.join('\n').trim();
}

export function isBlank(line: string | undefined): boolean {
  return line === undefined || line.trim() === '';
}

export function isQuoted(line: string | undefined): boolean {
  return line !== undefined && /^\s*>/.test(line);
}

export function nextNonBlank(lines: string[], from: number): number {
  let k = from;
  while (k < lines.length && isBlank(lines[k])) k++;
  return k;
}

/** Lines j..end as one line, blank ones left out (a wrapped header, for matching and reasons). */
export function spanText(lines: string[], j: number, end: number): string {
  const parts: string[] = [];
  for (let k = j; k <= end; k++) {
    const trimmed = lines[k]!.trim();
    if (trimmed !== '') parts.push(trimmed);
  }
  return parts.join(' ');
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function abbreviate(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/** Marks lines inside ``` / ~~~ fences (only closed ones): code is never a quote or signature. */
export function codeFenceMask(lines: string[]): boolean[] {
  const mask = new Array<boolean>(lines.length).fill(false);
  let open = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > MAX_PATTERN_LINE || !/^\s*(?:```|~~~)/.test(line)) continue;
    if (open < 0) {
      open = i;
    } else {
      for (let k = open; k <= i; k++) mask[k] = true;
      open = -1;
    }
  }
  return mask;
}

/** Lines with nothing but a rule, dropped when they end the text. */
const TRAILING_RULE = /^\s*(?:[-_=*#~+]{2,}|[ᐧ•·])\s*$/u;

/** A line with nothing but a rule: "----", "____", "====", a lone "•". */
export function isRuleLine(line: string): boolean {
  return line.length <= MAX_PATTERN_LINE && TRAILING_RULE.test(line);
}

/** Drops blank lines, bare rules ("----", "____") and quoted lines from the end. */
export function dropTrailingNoise(lines: string[]): { lines: string[]; quotedLines: number } {
  let end = lines.length;
  let quotedLines = 0;
  while (end > 0) {
    const line = lines[end - 1]!;
    if (isBlank(line) || isRuleLine(line)) {
      end--;
    } else if (isQuoted(line)) {
      quotedLines++;
      end--;
    } else {
      break;
    }
  }
  return { lines: lines.slice(0, end), quotedLines };
}
