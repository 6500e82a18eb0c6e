// Forwards: a forward keeps the forwarded message, which is what the sender wants us to read.

import { alternation, fromEveryLanguage } from '../../domain/languages/language.js';
import { isForwardSubject } from '../../domain/subject-prefixes.js';
import type { VisibleText } from '../visible-text.js';
import { abbreviate, isQuoted, joinTrimmed, MAX_PATTERN_LINE, type LineRole } from './lines.js';
import { isOriginalMessageLine, UNDERSCORE_LINE, type OutlookBlocks } from './outlook-blocks.js';
import type { HeaderSpans } from './reply-headers.js';
import { findSignOffCard, isMobileSignature } from './signatures.js';

const FORWARD_SEPARATOR = new RegExp(
  `^[\\s*]*-{2,}\\s*(?:${alternation(fromEveryLanguage((language) => language.forwardSeparator))})\\s*-{2,}[\\s*]*$`,
  'iu',
);
const FORWARD_INTRO = new RegExp(
  `^\\s*(?:${alternation(fromEveryLanguage((language) => language.forwardIntro))})\\s*(?::\\s*)?$`,
  'iu',
);

export interface Forward {
  start: number;
  marker: string;
}

/** The mail is a forward when its first history marker is a forward marker (or the subject says so). */
export function findForward(
  lines: string[],
  inFence: boolean[],
  headers: HeaderSpans,
  outlookBlocks: OutlookBlocks,
  subject: string | undefined,
): Forward | undefined {
  const forwardBySubject = subject !== undefined && isForwardSubject(subject);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inFence[i] || line.length > MAX_PATTERN_LINE) continue;
    if (isForwardMarker(line)) return { start: i, marker: line.trim() };
    // Apple Mail may quote the whole forward, its "Begin forwarded message:" included.
    if (isQuoted(line) && isForwardMarker(line.replace(/^\s*(?:>\s?)+/, ''))) {
      return { start: i, marker: line.replace(/^\s*(?:>\s?)+/, '').trim() };
    }
    const isReplyMarker =
      headers.has(i) || outlookBlocks.has(i) || isOriginalMessageLine(line) || UNDERSCORE_LINE.test(line);
    if (isReplyMarker) return forwardBySubject ? { start: i, marker: line.trim() } : undefined;
  }
  return undefined;
}

export function isForwardMarker(line: string): boolean {
  return line.includes('--') ? FORWARD_SEPARATOR.test(line) : line.length < 80 && FORWARD_INTRO.test(line);
}

export function keepForward(lines: string[], forward: Forward): VisibleText {
  // The forwarder's own "Sent from my iPhone" and contact card above the forwarded message are
  // still noise: the note's sign-off and name stay, as in a reply.
  const note = lines.slice(0, forward.start);
  const role: LineRole[] = note.map((line) => (line.trim() === '' ? 'blank' : 'own'));
  const card = findSignOffCard(note, role);
  const kept: string[] = [];
  let removedSignature = false;
  for (const [i, line] of lines.entries()) {
    if (i < forward.start && (isMobileSignature(line) || (card && i >= card.start && i <= card.end))) removedSignature = true;
    // No second blank line where the signature stood between two.
    else if (!(removedSignature && i < forward.start && line.trim() === '' && kept.at(-1)?.trim() === '')) kept.push(line);
  }
  return {
    text: joinTrimmed(kept),
    quoted: false,
    signatureRemoved: removedSignature,
    reason:
      `kept the forwarded message below '${abbreviate(forward.marker)}'` +
      (removedSignature ? '; removed the signature above it' : ''),
  };
}
