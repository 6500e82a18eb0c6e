// Quoted blocks: where a '>' block ends, and which blocks stay. Quoted lines answered below
// stay as context; the automatic quote under an "On ... wrote:" header goes, unless the reply
// is interleaved with two or more quoted blocks (an inline answer needs its questions).

import { isBlank, isQuoted, MAX_PATTERN_LINE, nextNonBlank, plural, spanText, type LineRole } from './lines.js';
import { abbreviateHeader, headerClient } from './reply-headers.js';
import { isSignOff } from './signatures.js';

export interface QuoteBlock {
  start: number;
  end: number;
  /** The quote directly under an "On ... wrote:" header: the client's automatic full quote. */
  afterHeader: boolean;
}

/** Marks the quoted block starting at `start` and returns the index after it. */
export function markQuoteBlock(
  lines: string[],
  start: number,
  afterHeader: boolean,
  role: LineRole[],
  quoteBlocks: QuoteBlock[],
): number {
  const end = quoteBlockEnd(lines, start);
  for (let k = start; k <= end; k++) role[k] = isBlank(lines[k]) ? 'blank' : 'quote';
  quoteBlocks.push({ start, end, afterHeader });
  return end + 1;
}

/** Last line of a quoted block: blank lines inside it and lines a client wrapped without '>' included. */
function quoteBlockEnd(lines: string[], start: number): number {
  let end = start;
  let k = start + 1;
  while (k < lines.length) {
    const line = lines[k]!;
    if (isQuoted(line)) {
      end = k++;
      continue;
    }
    if (isBlank(line)) {
      const next = nextNonBlank(lines, k);
      if (!isQuoted(lines[next])) break;
      end = next;
      k = next + 1;
      continue;
    }
    if (isWrappedQuoteLine(lines, k) || isWrappedLinkPiece(lines, k)) {
      end = k++;
      continue;
    }
    break;
  }
  return end;
}

/** "> ...a long quoted line that the client wra\npped without a marker\n> ..." */
function isWrappedQuoteLine(lines: string[], k: number): boolean {
  const previous = lines[k - 1] ?? '';
  const line = lines[k]!;
  return (
    isQuoted(previous) &&
    isQuoted(lines[k + 1]) &&
    previous.length >= 50 &&
    line.length <= MAX_PATTERN_LINE &&
    /^\p{Ll}/u.test(line.trim())
  );
}

/** A link in brackets left open at the end of a line: "… follow it at <https://support.example/s/". */
const OPEN_LINK_END = /([<(])(?:https?:\/\/|www\.)[^\s<>()]*$/i;
/** The rest of such a link and its closing bracket, alone on a line: "TKT-9.f3a9…>". */
const LINK_REST_LINE = /^\s*[^\s<>()]+([>)])\s*$/;
/** A whole link in brackets alone on a line: "<https://…>", "(http://…)". */
const WHOLE_LINK_LINE = /^\s*(?:<(?:https?:\/\/|www\.)[^\s<>]+>|\((?:https?:\/\/|www\.)[^\s()]+\))\s*$/i;

/**
 * A quoted link the client wrapped after quoting, so that a piece of it lost its '>': the rest
 * of a link left open on the quoted line above ("> … at <https://x/s/" + "TKT-9.f3a9…>"), or a
 * whole "<https://…>" between two quoted lines under a long, wrapped one (an answer typed
 * between quoted lines is more than a bare link, and is not wrapped from the line above).
 */
function isWrappedLinkPiece(lines: string[], k: number): boolean {
  const previous = lines[k - 1] ?? '';
  const line = lines[k]!;
  if (!isQuoted(previous) || line.length > MAX_PATTERN_LINE || previous.length > MAX_PATTERN_LINE) return false;
  const open = OPEN_LINK_END.exec(previous)?.[1];
  const close = LINK_REST_LINE.exec(line)?.[1];
  if (open !== undefined && close === (open === '<' ? '>' : ')')) return true;
  return WHOLE_LINK_LINE.test(line) && isQuoted(lines[k + 1]) && previous.length >= 50 && !/\?\s*$/.test(previous);
}

export function decideQuotes(
  lines: string[],
  role: LineRole[],
  quoteBlocks: QuoteBlock[],
): { keep: Set<QuoteBlock>; removedAny: boolean; notes: string[] } {
  let lastOwn = -1;
  for (let k = role.length - 1; k >= 0; k--) {
    if (role[k] === 'own') {
      lastOwn = k;
      break;
    }
  }
  const answered = quoteBlocks.filter((block) => block.end < lastOwn);
  const inline = answered.length >= 2;
  const keep = new Set<QuoteBlock>();
  const notes: string[] = [];
  let headerQuoteLines = 0;
  let trailingLines = 0;
  let headerCount = 0;
  let headerExample = { client: '', text: '' };

  for (const block of quoteBlocks) {
    const quotedLines = countRole(role, block.start, block.end, 'quote');
    if (block.end < lastOwn && (inline || !block.afterHeader)) {
      // Inline answers need their questions, not the rest of our mail: the greeting and lead-in
      // above the first question go, and so does our quoted sign-off that only the writer's own follows.
      if (inline && isSignOff(lines[nextNonBlank(lines, block.end + 1)])) trailingLines += quotedLines;
      else keep.add(inline && block.afterHeader ? lastParagraph(lines, block) : block);
    } else if (block.afterHeader) {
      headerQuoteLines += quotedLines;
    } else {
      trailingLines += quotedLines;
    }
    if (block.afterHeader) {
      headerCount++;
      if (headerExample.text === '') headerExample = headerTextAbove(lines, role, block.start);
    }
  }
  if (headerCount > 0) {
    const header =
      headerCount === 1 ? `${headerExample.client}quote header '${headerExample.text}'` : `${headerCount} quote headers`;
    notes.push(
      headerQuoteLines > 0
        ? `removed ${header} and ${plural(headerQuoteLines, 'quoted line')}`
        : `removed ${header}`,
    );
  }
  if (trailingLines > 0) notes.push(`removed ${plural(trailingLines, 'quoted line')} below the reply`);
  if (keep.size > 0) {
    notes.push(
      `kept ${plural(keep.size, 'quoted block')} answered in between (${inline ? 'inline reply' : 'quoted for context'})`,
    );
  }
  return { keep, removedAny: headerQuoteLines + trailingLines > 0, notes };
}

/** The block from its last paragraph on: the lines after its last empty quoted line. */
function lastParagraph(lines: string[], block: QuoteBlock): QuoteBlock {
  for (let k = block.end - 1; k >= block.start; k--) {
    if (/^[>\s]*$/.test(lines[k]!)) return { ...block, start: k + 1 };
  }
  return block;
}

function countRole(role: LineRole[], start: number, end: number, wanted: LineRole): number {
  let count = 0;
  for (let k = start; k <= end; k++) if (role[k] === wanted) count++;
  return count;
}

/** The header lines above a quote block, for the reason text. */
function headerTextAbove(lines: string[], role: LineRole[], quoteStart: number): { client: string; text: string } {
  let end = quoteStart - 1;
  while (end >= 0 && role[end] === 'blank') end--;
  let start = end;
  while (start > 0 && (role[start - 1] === 'header' || (role[start - 1] === 'blank' && role[start - 2] === 'header')))
    start--;
  const text = spanText(lines, Math.max(0, start), Math.max(0, end));
  return { client: headerClient(text), text: abbreviateHeader(text) };
}

/** Keeps own text and kept quotes; a removed block also takes the blank lines after it. */
export function composeKeptLines(lines: string[], role: LineRole[], keep: Set<QuoteBlock>): string[] {
  const keptQuoteLine = new Array<boolean>(lines.length).fill(false);
  for (const block of keep) for (let k = block.start; k <= block.end; k++) keptQuoteLine[k] = true;

  const kept: string[] = [];
  let skippingBlanks = false;
  for (let k = 0; k < lines.length; k++) {
    const r = role[k]!;
    const keepLine = r === 'own' || (r === 'quote' && keptQuoteLine[k]) || (r === 'blank' && keptQuoteLine[k]);
    if (r === 'blank' && !keptQuoteLine[k]) {
      if (!skippingBlanks) kept.push('');
      continue;
    }
    if (keepLine) {
      kept.push(lines[k]!);
      skippingBlanks = false;
    } else {
      skippingBlanks = true;
    }
  }
  return kept;
}
