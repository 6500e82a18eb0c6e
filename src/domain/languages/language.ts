/**
 * What one language's mail clients write around a message, by what it marks. A language module
 * holds only its words; the rules that use them compile them once, from every language in
 * `index.ts`, so a new language reaches every rule without any other edit.
 *
 * Words are plain text, matched case-insensitively (they are escaped when compiled). Mobile
 * signatures are whole-line patterns instead, as their phones and apps fill in a name
 * ("Von meinem iPhone gesendet"). A word may stand in several languages ("de", "sv").
 */
import { escapeRegExp } from '../text.js';
import * as listed from './index.js';

export interface Language {
  /** BCP 47 tag. */
  code: string;
  /** Verbs ending a reply header: "On … Sam <sam@x.example> wrote:". */
  wrote?: readonly string[];
  /** Those of them that also stand before the name: "Am 25.06.2015 um 10:55 schrieb Sam:". */
  wroteBeforeName?: readonly string[];
  /** First words of a reply header: "On", "Am", "Le"; a date is one in every language. */
  headerOpeners?: readonly string[];
  /** Between dashes above a quoted message: "-----Original Message-----". */
  originalMessage?: readonly string[];
  /** Between dashes above a forwarded message: "---------- Forwarded message ---------". */
  forwardSeparator?: readonly string[];
  /** A line of its own above a forwarded message (Apple Mail): "Begin forwarded message:". */
  forwardIntro?: readonly string[];
  /** Field names of Outlook's header block ("From:", "Sent:", …), by what the field means. */
  headerFields?: Partial<Record<HeaderField, readonly string[]>>;
  /** Mobile and webmail signatures, tried on a whole line with its links removed. */
  mobileSignatures?: readonly RegExp[];
  /** Words of the banner a mail system puts at the top of mail from outside: "originated from outside of the organization". */
  externalSenderBanners?: readonly string[];
  /** Sign-offs, matched only when the whole line is one: "Kind regards,". */
  signOffs?: readonly string[];
  /** Subject prefixes of a reply ("Re:", "AW:") and of a forward ("Fwd:", "WG:"), without the colon. */
  replyPrefixes?: readonly string[];
  forwardPrefixes?: readonly string[];
}

export type HeaderField = 'from' | 'date' | 'to' | 'subject' | 'cc' | 'replyTo';

/** The languages listed in index.ts. */
export const LANGUAGES: readonly Language[] = Object.values(listed);

/** One kind of word (or pattern) from every language, each once. */
export function fromEveryLanguage<T>(pick: (language: Language) => readonly T[] | undefined): T[] {
  return [...new Set(LANGUAGES.flatMap((language) => pick(language) ?? []))];
}

/**
 * Words as one regular-expression alternation, escaped, longest first: where two words start
 * alike ("napisał(a)", "napisał"), a match reports the longer one. No words match nothing.
 */
export function alternation(words: readonly string[]): string {
  if (words.length === 0) return '(?!)';
  return [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
}
