/**
 * Reply and forward prefixes of a subject ("Re:", "AW:", "SV:", "Fwd:", "回复："), from every
 * language's words (languages/), compiled once for every rule that reads a subject: the reply
 * subject we write (mail/compose.ts), the duplicate fingerprint (similarity.ts), the out-of-office
 * rule (machine-mail.ts) and forward detection (mail/visible-text).
 */
import { alternation, fromEveryLanguage } from './languages/language.js';

const REPLY_WORDS = fromEveryLanguage((language) => language.replyPrefixes);
const FORWARD_WORDS = fromEveryLanguage((language) => language.forwardPrefixes);

/** "Re: ", "AW[2]: ", "Re(3) : ", "Re^2:", "回复：": a word, a client's counter, a colon (full-width in CJK). */
function prefix(words: readonly string[]): string {
  return `(?:${alternation(words)})\\s*(?:(?:\\[\\d+\\]|\\(\\d+\\)|\\^\\d+)\\s*)?[:：]`;
}

const LEADING_PREFIXES = new RegExp(`^\\s*(?:${prefix([...REPLY_WORDS, ...FORWARD_WORDS])}\\s*)+`, 'iu');
/** Old Mozilla wrapped the whole forwarded subject in brackets: "[Fwd: VPN down]". */
const FORWARD_PREFIX = new RegExp(`^[\\s[]*${prefix(FORWARD_WORDS)}`, 'iu');

/** "RE: AW: Fwd: VPN down" → "VPN down"; a word that merely starts like one ("Reunion: …") stays. */
export function withoutSubjectPrefixes(subject: string): string {
  return subject.replace(LEADING_PREFIXES, '');
}

export function startsWithSubjectPrefix(subject: string): boolean {
  return LEADING_PREFIXES.test(subject);
}

export function isForwardSubject(subject: string): boolean {
  return FORWARD_PREFIX.test(subject);
}
