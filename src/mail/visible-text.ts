// Visible-reply extraction: what the person actually wrote in this message, without quoted
// history, forwarded-reply headers or signatures. Pure functions, no I/O. The passes live in
// visible-text/, one concern each; the words they look for are per language, in
// domain/languages/.
//
// The body is read in a few passes over its lines. Patterns are only tried on lines of bounded
// length and are written without overlapping quantifiers, so the work stays linear in the size
// of the body (a 1 MB single-line quote parses in milliseconds).
//
// Policy choices where public corpora disagree (a person reading a support ticket decides):
// - A sign-off with a name ("Thanks,\nSam", "-Abhishek Kona") stays: it is part of the
//   message's voice and costs nothing. The contact card under it (title, company, phone,
//   disclaimer...) is a signature and goes.
// - Quoted lines without a quote header that are answered below ("> question\n\nanswer") stay
//   as context; the automatic quote under an "On ... wrote:" header goes, unless the reply is
//   interleaved with two or more quoted blocks (an inline answer needs its questions).
// - A forward keeps the forwarded message: that is what the sender wants us to read.
// - Blocks repeating text we sent earlier go even when '>'-quoted and answered: the ticket
//   already shows our message right above.
// - When everything looks quoted, the original body is returned rather than nothing.

import { findForward, keepForward } from './visible-text/forwards.js';
import { leadingBanner } from './visible-text/banners.js';
import { abbreviate, codeFenceMask, dropTrailingNoise, joinTrimmed, plural, splitLines } from './visible-text/lines.js';
import { findOutlookBlocks } from './visible-text/outlook-blocks.js';
import { removePriorText } from './visible-text/prior-text.js';
import { composeKeptLines, decideQuotes } from './visible-text/quotes.js';
import { findReplyHeaders, splitInlineHeaders } from './visible-text/reply-headers.js';
import { describeCut, scanLines } from './visible-text/scan.js';
import { findSignOffCard } from './visible-text/signatures.js';

export { isMobileSignature } from './visible-text/signatures.js';

export interface VisibleTextOptions {
  /** Texts WE sent earlier on this ticket; blocks of the body that repeat them are removed. */
  priorTexts?: string[];
  /** Subject of this message; a forward prefix (Fwd:, FW:, WG:, TR:, RV:) keeps the quoted history. */
  subject?: string;
}

export interface VisibleText {
  text: string;
  /** Quoted history (quote headers, quoted lines, earlier messages) was removed. */
  quoted: boolean;
  /** A signature, mobile "Sent from" line, footer or sign-off card was removed. */
  signatureRemoved: boolean;
  /** What was removed, in words. */
  reason: string;
}

export function extractVisibleText(body: string, options: VisibleTextOptions = {}): VisibleText {
  const allLines = splitLines(body);
  const original = joinTrimmed(allLines);
  if (original === '') {
    return { text: '', quoted: false, signatureRemoved: false, reason: 'empty body' };
  }
  const banner = leadingBanner(allLines);
  const bodyLines = banner ? allLines.slice(banner) : allLines;
  const bannerNote = banner ? [`removed the external-sender banner at the top ('${abbreviate(allLines.find((l) => l.trim())!.trim())}')`] : [];

  // A header typed after the reply on the same line goes onto a line of its own first.
  const bodyFence = codeFenceMask(bodyLines);
  const lines = splitInlineHeaders(bodyLines, bodyFence);
  const inFence = lines === bodyLines ? bodyFence : codeFenceMask(lines);
  const headers = findReplyHeaders(lines, inFence);
  const outlookBlocks = findOutlookBlocks(lines, inFence);

  const forward = findForward(lines, inFence, headers, outlookBlocks, options.subject);
  if (forward) {
    const kept = keepForward(lines, forward);
    return banner ? { ...kept, reason: [...bannerNote, kept.reason].join('; ') } : kept;
  }

  const scan = scanLines(lines, inFence, headers, outlookBlocks);
  const signOff = findSignOffCard(lines, scan.role);
  if (signOff) {
    for (let k = signOff.start; k <= signOff.end; k++) if (scan.role[k] === 'own') scan.role[k] = 'signoff';
  }
  const quoteDecision = decideQuotes(lines, scan.role, scan.quoteBlocks);

  // Reasons in document order: quotes, sign-off, then whatever ended the own text.
  const notes = [...bannerNote, ...scan.notes, ...quoteDecision.notes];
  let quoted = quoteDecision.removedAny || scan.role.includes('header');
  let signatureRemoved = false;
  if (signOff) {
    notes.push(`removed the contact card under the sign-off '${abbreviate(lines[signOff.signOff]!.trim())}' (${plural(signOff.lines, 'line')})`);
    signatureRemoved = true;
  }
  if (scan.cut) {
    const described = describeCut(lines, scan.cut, headers, outlookBlocks);
    notes.push(described.note);
    quoted ||= described.quoted;
    signatureRemoved ||= !described.quoted;
  }

  let kept = composeKeptLines(lines, scan.role, quoteDecision.keep);

  if (options.priorTexts && options.priorTexts.length > 0) {
    const prior = removePriorText(kept, options.priorTexts);
    if (prior.removedParagraphs > 0) {
      kept = prior.lines;
      quoted = true;
      notes.push(
        `removed ${plural(prior.removedParagraphs, 'block')} repeating text we sent earlier (${plural(prior.removedLines, 'line')})`,
      );
    }
  }

  const trailing = dropTrailingNoise(kept);
  kept = trailing.lines;
  if (trailing.quotedLines > 0) {
    notes.push(`removed ${plural(trailing.quotedLines, 'quoted line')} left at the end`);
    quoted = true;
  }

  const text = joinTrimmed(kept);
  if (text === '') {
    const what = notes.length > 0 ? notes.join('; ') : 'no own text found';
    return {
      text: original,
      quoted: false,
      signatureRemoved: false,
      reason: `everything looked quoted or like a signature (${what}); returned the original body`,
    };
  }
  return {
    text,
    quoted,
    signatureRemoved,
    reason: notes.length > 0 ? notes.join('; ') : 'no quoted history or signature found',
  };
}
