// Text we sent earlier, pasted back without quote markers (clients that drop the quote
// separator): blocks repeating it go even when '>'-quoted and answered, as the ticket already
// shows our message right above.

import { isBlank } from './lines.js';

/** Prior-text matching works on word n-grams, so wrapping and quoting do not matter. */
const PRIOR_SHINGLE = 5;
const PRIOR_MIN_CHARS = 20;

function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/^[ \t]*(?:>[ \t]?)+/gm, '').match(/[\p{L}\p{N}]+/gu) ?? [];
}

function buildShingles(priorTexts: string[]): Set<string> {
  const shingles = new Set<string>();
  for (const text of priorTexts) {
    const words = wordsOf(text);
    for (let size = 1; size <= PRIOR_SHINGLE; size++) {
      for (let k = 0; k + size <= words.length; k++) shingles.add(words.slice(k, k + size).join(' '));
    }
  }
  return shingles;
}

/** Every run of PRIOR_SHINGLE words (or the whole text when shorter) occurs in what we sent. */
function repeatsPrior(words: string[], shingles: Set<string>): boolean {
  if (words.length === 0) return false;
  const size = Math.min(PRIOR_SHINGLE, words.length);
  for (let k = 0; k + size <= words.length; k++) {
    if (!shingles.has(words.slice(k, k + size).join(' '))) return false;
  }
  return true;
}

export function removePriorText(
  lines: string[],
  priorTexts: string[],
): { lines: string[]; removedParagraphs: number; removedLines: number } {
  const shingles = buildShingles(priorTexts);
  const paragraphs = splitParagraphs(lines);
  const removed = new Array<boolean>(lines.length).fill(false);
  const paragraphRemoved = paragraphs.map(() => false);
  let removedParagraphs = 0;

  paragraphs.forEach((paragraph, p) => {
    const text = paragraph.lines.map((k) => lines[k]!).join('\n');
    const words = wordsOf(text);
    if (text.replace(/\s+/g, ' ').trim().length >= PRIOR_MIN_CHARS && repeatsPrior(words, shingles)) {
      for (const k of paragraph.lines) removed[k] = true;
      paragraphRemoved[p] = true;
      removedParagraphs++;
      return;
    }
    // Part of a paragraph: a run of two or more lines that each repeat our text.
    removedParagraphs += removeRepeatedLineRuns(lines, paragraph.lines, shingles, removed);
  });

  // Short neighbours ("Hi Sam,", "Regards,\nIT Support") of a removed block go too if we wrote them.
  paragraphs.forEach((paragraph, p) => {
    if (paragraphRemoved[p]) return;
    const nextToRemoved = paragraphRemoved[p - 1] === true || paragraphRemoved[p + 1] === true;
    const words = wordsOf(paragraph.lines.map((k) => lines[k]!).join('\n'));
    if (nextToRemoved && words.length <= 6 && repeatsPrior(words, shingles)) {
      for (const k of paragraph.lines) removed[k] = true;
    }
  });

  const removedLines = removed.filter(Boolean).length;
  return { lines: lines.filter((_, k) => !removed[k]), removedParagraphs, removedLines };
}

function removeRepeatedLineRuns(lines: string[], indices: number[], shingles: Set<string>, removed: boolean[]): number {
  let runs = 0;
  let run: number[] = [];
  const flush = () => {
    const chars = run.reduce((sum, k) => sum + lines[k]!.trim().length, 0);
    if (run.length >= 2 && chars >= PRIOR_MIN_CHARS) {
      for (const k of run) removed[k] = true;
      runs++;
    }
    run = [];
  };
  for (const k of indices) {
    const words = wordsOf(lines[k]!);
    if (words.length >= 3 && repeatsPrior(words, shingles)) run.push(k);
    else flush();
  }
  flush();
  return runs;
}

function splitParagraphs(lines: string[]): { lines: number[] }[] {
  const paragraphs: { lines: number[] }[] = [];
  let current: number[] = [];
  lines.forEach((line, k) => {
    if (isBlank(line)) {
      if (current.length > 0) paragraphs.push({ lines: current });
      current = [];
    } else {
      current.push(k);
    }
  });
  if (current.length > 0) paragraphs.push({ lines: current });
  return paragraphs;
}
