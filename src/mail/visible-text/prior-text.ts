// Text we sent earlier, pasted back without quote markers (clients that drop the quote
// separator): blocks repeating it go even when '>'-quoted and answered, as the ticket already
// shows our message right above.

import { isBlank } from './lines.js';

/** Prior-text matching works on word n-grams, so wrapping and quoting do not matter. */
const PRIOR_SHINGLE = 5;
const PRIOR_MIN_CHARS = 20;

/** The words of a text, in lower case; quote markers are no words, so a quoted copy has the same. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Word runs as a tree: each word leads on to the words that follow it in what we sent. */
type RunTree = Map<string, RunTree>;

/**
 * The runs of 1 to PRIOR_SHINGLE words of what we sent (its shingles). Built when first needed:
 * its words first, as a block with a word we never wrote repeats nothing; then every run, as a
 * tree of the runs from each word on, so one pass builds all lengths.
 */
class PriorShingles {
  private texts: string[][] | undefined;
  private vocabulary: Set<string> | undefined;
  private tree: RunTree | undefined;

  constructor(private readonly priorTexts: string[]) {}

  /** Every run of PRIOR_SHINGLE words (or the whole text when shorter) occurs in what we sent. */
  repeat(words: string[]): boolean {
    if (words.length === 0) return false;
    const vocabulary = (this.vocabulary ??= this.collectWords());
    for (const word of words) if (!vocabulary.has(word)) return false;
    const size = Math.min(PRIOR_SHINGLE, words.length);
    for (let k = 0; k + size <= words.length; k++) {
      if (!this.has(words, k, size)) return false;
    }
    return true;
  }

  private collectWords(): Set<string> {
    this.texts = this.priorTexts.map(wordsOf);
    const vocabulary = new Set<string>();
    for (const text of this.texts) for (const word of text) vocabulary.add(word);
    return vocabulary;
  }

  private has(words: string[], start: number, size: number): boolean {
    let node = (this.tree ??= runTree(this.texts!));
    for (let k = start; k < start + size; k++) {
      const next = node.get(words[k]!);
      if (!next) return false;
      node = next;
    }
    return true;
  }
}

/** Where a run ends: one shared node with nothing after it, as most runs end where no other goes on. */
const RUN_END: RunTree = new Map();

function runTree(texts: string[][]): RunTree {
  const root: RunTree = new Map();
  for (const words of texts) {
    for (let k = 0; k < words.length; k++) {
      const end = Math.min(words.length, k + PRIOR_SHINGLE);
      let node = root;
      for (let j = k; j < end; j++) {
        const last = j + 1 === end;
        let next = node.get(words[j]!);
        if (!next || (next === RUN_END && !last)) node.set(words[j]!, (next = last ? RUN_END : new Map()));
        node = next;
      }
    }
  }
  return root;
}

export function removePriorText(
  lines: string[],
  priorTexts: string[],
): { lines: string[]; removedParagraphs: number; removedLines: number } {
  const shingles = new PriorShingles(priorTexts);
  const paragraphs = splitParagraphs(lines);
  const removed = new Array<boolean>(lines.length).fill(false);
  const paragraphRemoved = paragraphs.map(() => false);
  let removedParagraphs = 0;

  paragraphs.forEach((paragraph, p) => {
    const text = paragraph.lines.map((k) => lines[k]!).join('\n');
    const words = wordsOf(text);
    if (text.replace(/\s+/g, ' ').trim().length >= PRIOR_MIN_CHARS && shingles.repeat(words)) {
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
    if (!nextToRemoved) return;
    const words = wordsOf(paragraph.lines.map((k) => lines[k]!).join('\n'));
    if (words.length <= 6 && shingles.repeat(words)) {
      for (const k of paragraph.lines) removed[k] = true;
    }
  });

  const removedLines = removed.filter(Boolean).length;
  return { lines: lines.filter((_, k) => !removed[k]), removedParagraphs, removedLines };
}

function removeRepeatedLineRuns(lines: string[], indices: number[], shingles: PriorShingles, removed: boolean[]): number {
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
    if (words.length >= 3 && shingles.repeat(words)) run.push(k);
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
