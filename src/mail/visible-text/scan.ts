// The scan: one pass that classifies lines and stops at the first point where history begins
// (a reply header with text above it, an Outlook block, a forward, a footer or a signature).

import { isForwardMarker } from './forwards.js';
import { abbreviate, isBlank, isQuoted, MAX_PATTERN_LINE, nextNonBlank, plural, spanText, type LineRole } from './lines.js';
import { isOriginalMessageLine, UNDERSCORE_LINE, type OutlookBlocks } from './outlook-blocks.js';
import { markQuoteBlock, type QuoteBlock } from './quotes.js';
import { abbreviateHeader, headerClient, type HeaderSpans } from './reply-headers.js';
import { hasLaterSignatureDelimiter, isMobileSignature, isSignatureSized, SIGNATURE_DELIMITER } from './signatures.js';

export type CutKind = 'reply-header' | 'outlook' | 'original-message' | 'forward' | 'footer' | 'signature' | 'mobile';

export interface Cut {
  kind: CutKind;
  start: number;
  /** The line that triggered the cut, for the reason text. */
  marker: string;
}

export interface Scan {
  role: LineRole[];
  quoteBlocks: QuoteBlock[];
  cut?: Cut;
  notes: string[];
}

export function scanLines(lines: string[], inFence: boolean[], headers: HeaderSpans, outlookBlocks: OutlookBlocks): Scan {
  const role = new Array<LineRole>(lines.length).fill('own');
  const quoteBlocks: QuoteBlock[] = [];
  const notes: string[] = [];
  let sawOwnText = false;
  let leadingHeaders = 0;
  let leadingExample = '';
  let i = 0;

  const noteLeadingHeaders = () => {
    if (leadingHeaders === 1) notes.push(`removed leading quote header '${leadingExample}'`);
    if (leadingHeaders > 1) notes.push(`removed ${leadingHeaders} leading quote headers ('${leadingExample}', …)`);
  };
  const cutAt = (kind: CutKind, start: number): Scan => {
    for (let k = start; k < lines.length; k++) role[k] = 'cut';
    noteLeadingHeaders();
    return { role, quoteBlocks, cut: { kind, start, marker: lines[start]!.trim() }, notes };
  };

  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      role[i] = 'blank';
      i++;
      continue;
    }
    if (inFence[i]) {
      sawOwnText = true;
      i++;
      continue;
    }
    if (line.length > MAX_PATTERN_LINE) {
      if (isQuoted(line)) {
        i = markQuoteBlock(lines, i, false, role, quoteBlocks);
        continue;
      }
      sawOwnText = true;
      i++;
      continue;
    }

    const headerEnd = headers.get(i);
    if (headerEnd !== undefined) {
      const next = nextNonBlank(lines, headerEnd + 1);
      if (isQuoted(lines[next])) {
        for (let k = i; k <= headerEnd; k++) role[k] = isBlank(lines[k]) ? 'blank' : 'header';
        i = markQuoteBlock(lines, next, true, role, quoteBlocks);
        for (let k = headerEnd + 1; k < next; k++) role[k] = 'blank';
        continue;
      }
      if (!sawOwnText) {
        // Nothing written above it: the header itself goes, what follows is all we have.
        for (let k = i; k <= headerEnd; k++) role[k] = isBlank(lines[k]) ? 'blank' : 'header';
        if (leadingHeaders++ === 0) leadingExample = abbreviateHeader(spanText(lines, i, headerEnd));
        i = headerEnd + 1;
        continue;
      }
      return cutAt('reply-header', i);
    }
    if (outlookBlocks.has(i)) return cutAt('outlook', i);
    if (isOriginalMessageLine(line)) return cutAt('original-message', i);
    if (isForwardMarker(line)) return cutAt('forward', i);
    if (UNDERSCORE_LINE.test(line)) {
      const below = nextNonBlank(lines, i + 1);
      if (outlookBlocks.has(below)) return cutAt('outlook', i);
      if (isSignatureSized(lines, i + 1, headers, outlookBlocks)) return cutAt('footer', i);
    }
    if (SIGNATURE_DELIMITER.test(line) && isSignatureSized(lines, i + 1, headers, outlookBlocks) && !hasLaterSignatureDelimiter(lines, i + 1, headers, outlookBlocks)) {
      return cutAt('signature', i);
    }
    if (isMobileSignature(line)) return cutAt('mobile', i);
    if (isQuoted(line)) {
      i = markQuoteBlock(lines, i, false, role, quoteBlocks);
      continue;
    }
    sawOwnText = true;
    i++;
  }
  noteLeadingHeaders();
  return { role, quoteBlocks, notes };
}

export function describeCut(
  lines: string[],
  cut: Cut,
  headers: HeaderSpans,
  outlookBlocks: OutlookBlocks,
): { note: string; quoted: boolean } {
  const removed = lines.slice(cut.start).filter((line) => !isBlank(line)).length;
  const below = plural(removed - 1, 'line');
  switch (cut.kind) {
    case 'reply-header': {
      const end = headers.get(cut.start) ?? cut.start;
      const header = spanText(lines, cut.start, end);
      return {
        note: `removed ${headerClient(header)}quote header '${abbreviateHeader(header)}' and ${below} of unquoted history below it`,
        quoted: true,
      };
    }
    case 'outlook': {
      const start = outlookBlocks.has(cut.start) ? cut.start : nextNonBlank(lines, cut.start + 1);
      const keys = outlookBlocks.get(start)?.keys ?? [];
      const shown = keys.slice(0, 2).map((key) => `${key}: …`).join(' ');
      return { note: `removed Outlook header block '${shown}' and ${below} of history`, quoted: true };
    }
    case 'original-message':
      return { note: `removed '${abbreviate(cut.marker)}' and ${below} of history`, quoted: true };
    case 'forward':
      return { note: `removed forwarded history below '${abbreviate(cut.marker)}' (${below})`, quoted: true };
    case 'footer':
      return { note: `removed a footer below a '${cut.marker.slice(0, 8)}' rule (${below})`, quoted: false };
    case 'signature':
      return { note: `removed signature after '-- ' (${below})`, quoted: false };
    case 'mobile':
      return {
        note: `removed '${abbreviate(cut.marker)}'` + (removed > 1 ? ` and ${below} after it` : ''),
        quoted: false,
      };
  }
}
