// Signatures: the "-- " block, mobile "Sent from my iPhone" lines and sign-off cards.

import { alternation, fromEveryLanguage } from '../../domain/languages/language.js';
import { keywordCheck } from '../../domain/patterns/required-text.js';
import { wordCount } from '../../domain/text.js';
import { isBlank, isQuoted, isRuleLine, MAX_PATTERN_LINE, type LineRole } from './lines.js';
import { isOriginalMessageLine, UNDERSCORE_LINE, type OutlookBlocks } from './outlook-blocks.js';
import type { HeaderSpans } from './reply-headers.js';

/** "-- " (RFC 3676 signature delimiter), also without the space. */
export const SIGNATURE_DELIMITER = /^\s*--\s*$/;
/** Disclaimers included, a signature is rarely longer than this. */
const MAX_SIGNATURE_LINES = 25;

/**
 * A "-- " or "____" line starts a signature or list footer when what follows it, up to the
 * quoted history, is signature-sized; a long text after such a rule is more likely content.
 */
export function isSignatureSized(lines: string[], from: number, headers: HeaderSpans, outlookBlocks: OutlookBlocks): boolean {
  let nonBlank = 0;
  for (let k = from; k < beforeHistory(lines, from, headers, outlookBlocks); k++) {
    if (!isBlank(lines[k]!) && ++nonBlank > MAX_SIGNATURE_LINES) return false;
  }
  return true;
}

/**
 * A "--" with another "-- " under it, before the quoted history, is the writer's own rule: a mail
 * has one signature, under the last delimiter ("--\nSide note: …\nThanks,\nHannah\n-- \nHannah Schulz").
 */
export function hasLaterSignatureDelimiter(lines: string[], from: number, headers: HeaderSpans, outlookBlocks: OutlookBlocks): boolean {
  const end = beforeHistory(lines, from, headers, outlookBlocks);
  for (let k = from; k < end; k++) if (lines[k]!.length <= MAX_PATTERN_LINE && SIGNATURE_DELIMITER.test(lines[k]!)) return true;
  return false;
}

/** The first line from `from` on that starts the quoted history (a header, a quote, a separator). */
function beforeHistory(lines: string[], from: number, headers: HeaderSpans, outlookBlocks: OutlookBlocks): number {
  for (let k = from; k < lines.length; k++) {
    const line = lines[k]!;
    if (headers.has(k) || outlookBlocks.has(k) || isQuoted(line)) return k;
    if (line.length <= MAX_PATTERN_LINE && (isOriginalMessageLine(line) || UNDERSCORE_LINE.test(line))) return k;
  }
  return lines.length;
}

// ---------------------------------------------------------------------------------------------
// Mobile signatures

/** Mobile and webmail signatures, matched against a whole line with links removed. */
const MOBILE_SIGNATURES = fromEveryLanguage((language) => language.mobileSignatures);
const MOBILE_SIGNATURE_MAX_LINE = 200;
const MOBILE_SIGNATURE_MAX_WORDS = 8;

/**
 * Words one of which every mobile signature holds ("sent", "gesendet", "から送信"), read from the
 * signatures themselves, so a new one needs no other edit; false when one names none (then every
 * line is cleaned up and tried). The clean-up below trims and cuts a line, blanks out links and
 * joins runs of white space, so a word without spaces is in the line as it came, unless it was
 * pieced together from a Markdown link: such lines skip the check.
 */
let mobileSignatureWords: RegExp | false | undefined;

/**
 * Tried on every line of own text, so the cheap tests go first and the word count last: the
 * words every signature holds rule out most lines before any clean-up.
 */
export function isMobileSignature(line: string): boolean {
  if (line.length > MOBILE_SIGNATURE_MAX_LINE) return false;
  // Read from the signatures on first use, not at import: a cold start only pays for what it runs.
  const words = (mobileSignatureWords ??= keywordCheck(MOBILE_SIGNATURES, { whiteSpace: 'collapsed' }) ?? false);
  if (words && !words.test(line) && !line.includes('](')) return false;
  if (isQuoted(line) || /[:：]\s*$/.test(line)) return false;
  const text = withoutSignatureDecoration(line);
  if (text === '' || text.includes(':') || !MOBILE_SIGNATURES.some((pattern) => pattern.test(text))) return false;
  return wordCount(text) <= MOBILE_SIGNATURE_MAX_WORDS;
}

/** Links, brackets and "please excuse typos" tails removed; every step is linear in the line. */
function withoutSignatureDecoration(line: string): string {
  // Each step runs only where its marker is: most lines are no signature and have none.
  let text = line.trim();
  if (text.includes('<')) text = text.replace(/<(?:https?:|mailto:)[^<>]{0,300}>/gi, ' '); // "Sent from Outlook Mobile<https://...>"
  if (text.includes('](')) text = text.replace(/\[([^[\]]{0,100})\]\([^()\s]{0,300}\)/g, '$1'); // "Get [Outlook for Android](https://...)"
  if (text.includes('://')) text = text.replace(/https?:\/\/\S+/gi, ' ');
  if (text.includes(',')) text = text.replace(/,\s+an? [^,]{0,40}(?:smartphone|phone|device)\.?$/i, ''); // "..., an AT&T 5G smartphone"
  // "..., please excuse typos", "– bitte entschuldigen Sie Tippfehler", ". Disculpa la brevedad y las erratas"
  const excuse = /(?:please )?(?:excuse|pardon|sorry for)\b|\b(?:bitte )?entschuldigen sie\b|\bentschuldige\b|\bdisculp[ae]\b|\bperdon[ae]\b|\bexcusez\b|\bpardonnez\b|\bursäkta\b|\b(?:excuses|sorry) voor\b|\bscusa(?:te)?\b/i.exec(text);
  if (excuse) text = text.slice(0, excuse.index);
  return trimChars(text, ' \t.,;!-–—()<>[]').replace(/\s+/g, ' '); // "(sent from a phone)", "<<sent by galaxy>>"
}

/** Like trim(), for the given characters; a loop, so a run of them costs nothing extra. */
function trimChars(text: string, chars: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && chars.includes(text[start]!)) start++;
  while (end > start && chars.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

// ---------------------------------------------------------------------------------------------
// Sign-off cards

/**
 * Sign-off lines, matched only when the whole line is the sign-off (Hungarian ends one with a
 * colon: "Üdvözlettel:"), or a sign-off with a few words and a comma: "Thanks for the quick fix,".
 */
const SIGN_OFF = new RegExp(
  `^(?:${alternation(fromEveryLanguage((language) => language.signOffs))})(?:\\s+(?:aus|from|från|uit|van|de|desde|da)\\s+\\p{Lu}[\\p{L}-]+)?(?:[\\s,.!:。、！]*|\\s[^.!?:\\n]{1,40},)$`,
  'iu',
);

export function isSignOff(line: string | undefined): boolean {
  return line !== undefined && SIGN_OFF.test(line.trim());
}
/**
 * A name: one to four capitalised words ("John Doe", "—Jef"), with the small words of family
 * names between them ("Sanne de Vries", "Ludwig van der Berg"), or in a script without capitals
 * one or two short runs of its characters ("佐藤 健", "김민준"); pronouns may follow ("Sam Okafor (they/them)").
 */
const CARD_NAME = /^(?:[-–—~/]*\s*\p{Lu}[\p{L}'’.-]*(?:\s+(?:(?:de|van|der|den|von|zu|af|la|le|di|da|del|dos|du|ten|ter)\s+)*\p{Lu}[\p{L}'’.-]*){0,3}(?:\s+\([\p{L}/ ]{2,20}\))?|[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]{1,6}(?:[\s\u3000][\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]{1,6})?)$/u;
/** A sign-off and a first name on one line: "Thanks, Maria", "Gruß, Tom". */
const SIGN_OFF_AND_NAME = new RegExp(
  `^(?:${alternation(fromEveryLanguage((language) => language.signOffs))})[\\s,.!]+(\\p{L}[\\p{L}'’.-]*(?:\\s+\\p{L}[\\p{L}'’.-]*)?)$`,
  'iu',
);
/** A confidentiality notice, in the offices' languages: "Ce message et toutes les pièces jointes sont confidentiels…". */
const DISCLAIMER = /\b(?:confidential|confidentiels?|confidentielles?|vertraulich\w*|vertrouwelijk\w*|konfidentiell\w*|fortrolig\w*|confidencial\w*|riservat\w*)\b[^\n]{0,200}\b(?:intended|addressee|recipient|destinataires?|empfänger|geadresseerde|mottagare|modtager|destinatario)/iu;
/** A way to reach someone on a card: a phone number (seven digits or more), an address, a link. */
const CONTACT = /(?:\+?\d[\d ()./-]{6,}\d)|@[\w-]+\.|https?:\/\/|www\./u;
/** A name signed with a dash or slash ("/Lars", "-Sam"): a sign-off and a name in one line. */
const MARKED_NAME = /^[-–—~/]\s*\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]*){0,2}$/u;
const CARD_LINE_MAX_CHARS = 80;
const CARD_LINE_MAX_WORDS = 8;

/**
 * The contact card under a sign-off and name at the end of the own text ("Regards,\nJohn Doe\n
 * CEO @ Acme\n+46 8 …"): the card goes, the sign-off and name stay, as a bare "Thanks,\nJohn"
 * does. The card starts with a card-like line (a title, a company, a phone number, not a
 * sentence or a P.S.); once it has, a disclaimer or footer under it goes with it, up to a
 * signature's size.
 */
export function findSignOffCard(lines: string[], role: LineRole[]): { signOff: number; start: number; end: number; lines: number } | undefined {
  // The own text's last line: the quote under it (a reply's history) is passed over, and so is
  // a rule under the card ("----", an HTML <hr>), which is no line of it.
  let end = -1;
  for (let k = role.length - 1; k >= 0; k--) {
    if (role[k] === 'own' && !isRuleLine(lines[k]!)) {
      end = k;
      break;
    }
  }
  if (end < 0) return undefined;

  let seen = 0;
  for (let k = end; k >= 0 && seen <= MAX_SIGNATURE_LINES; k--) {
    if (role[k] === 'blank') continue;
    if (role[k] !== 'own') return undefined;
    const line = lines[k]!.trim();
    seen++;
    if (line.length > MAX_PATTERN_LINE) continue;
    // A list item ("- Apples") is no signed name: that stands apart, under a blank line.
    const marked = (MARKED_NAME.test(line) && role[k - 1] === 'blank') || isSignOffAndName(line);
    if (!marked && !SIGN_OFF.test(line)) continue;
    if (!hasOwnTextBefore(role, k)) return undefined;
    const name = marked ? k : nextOwn(role, k);
    // A marked name or a sign-off with a name is its own name line.
    if (name === undefined || name > end || (name !== k && !CARD_NAME.test(lines[name]!.trim()))) return undefined;
    const card = nextOwn(role, name);
    // A confidentiality notice between the name and the card is the signature's too.
    if (card !== undefined && card <= end && (isCardLine(lines[card]!.trim()) || DISCLAIMER.test(lines[card]!))) {
      return untilPostscript(lines, role, { signOff: k, start: card, end });
    }
    // A P.S. or a note between the signed name and a card: the card's own name repeats the
    // signature, so it goes with the card ("Groet,\nBas\n\nIk ben vrijdag afwezig…\n\nBas Jansen\nWerkvoorbereider…").
    const unsigned = unsignedCard(lines, role, end);
    return unsigned && unsigned.signOff > name ? untilPostscript(lines, role, withItsName(unsigned)) : undefined;
  }
  const unsigned = unsignedCard(lines, role, end);
  if (!unsigned) return undefined;
  // "Dan" signed by hand above a card that starts "Dan Hughes": the card's name goes with it.
  const signed = previousOwn(role, unsigned.signOff);
  const first = lines[unsigned.signOff]!.trim().split(/\s+/)[0];
  return untilPostscript(lines, role, signed !== undefined && lines[signed]!.trim() === first ? withItsName(unsigned) : unsigned);
}

type Card = { signOff: number; start: number; end: number };

/** The card from its name line on: the name repeats one the writer already signed with. */
function withItsName(card: Card): Card {
  return { ...card, start: card.signOff };
}

/** The card up to a P.S. written under it ("PS: Können Sie uns noch zwei Mäuse schicken?"), which stays; with its line count. */
function untilPostscript(lines: string[], role: LineRole[], card: Card): Card & { lines: number } {
  let end = card.end;
  for (let k = card.start; k <= card.end; k++) {
    if (role[k] === 'own' && /^p\.?\s?s\b/i.test(lines[k]!.trim())) {
      end = previousOwn(role, k) ?? card.start;
      break;
    }
  }
  return { ...card, end, lines: countOwn(role, card.start, end) };
}

function previousOwn(role: LineRole[], k: number): number | undefined {
  for (let j = k - 1; j >= 0; j--) {
    if (role[j] === 'own') return j;
    if (role[j] !== 'blank') return undefined;
  }
  return undefined;
}

/**
 * A card with no sign-off above it ("…clearing the cache.\nPaul Harris\nSenior Accountant\n
 * Tailwind Traders Ltd\nDirect: +44 …"): the last unbroken run of card-like lines, at least
 * three, that starts with a name and has a way to reach the person. The name stays. Not under a
 * line ending in ":", which introduces what follows (an address to send something to).
 */
function unsignedCard(lines: string[], role: LineRole[], end: number): { signOff: number; start: number; end: number; lines: number } | undefined {
  let top = end;
  while (top > 0 && role[top - 1] === 'own' && isCardLine(lines[top - 1]!.trim())) top--;
  // The run may have grown into the text above it: its name is the first name from the top.
  let name = top;
  while (name < end && !CARD_NAME.test(lines[name]!.trim())) name++;
  if (end - name < 2 || !hasOwnTextBefore(role, name)) return undefined;
  const card = lines.slice(name + 1, end + 1);
  if (!card.some((l) => CONTACT.test(l))) return undefined;
  const above = lines[name - 1]?.trim() ?? '';
  if (above.endsWith(':')) return undefined;
  return { signOff: name, start: name + 1, end, lines: end - name };
}

/** "Thanks, Maria": a sign-off, then a capitalised name ("Best regards" is a sign-off alone). */
function isSignOffAndName(line: string): boolean {
  const name = SIGN_OFF_AND_NAME.exec(line)?.[1];
  return name !== undefined && !SIGN_OFF.test(line) && name.split(/\s+/).every((word) => /^\p{Lu}/u.test(word));
}

/** A title, company, address or phone line; not a sentence or a P.S. ("The printer is in room 5."). */
function isCardLine(line: string): boolean {
  if (line.length > CARD_LINE_MAX_CHARS || /^p\.?\s?s\b/i.test(line)) return false;
  // Numbers are no words here: "Phone: +46 8 555 012 34" is two.
  const words = line.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
  return words <= CARD_LINE_MAX_WORDS && !(words >= 5 && /[.?!]$/.test(line) && !CARD_PARTS.test(line));
}

/** A card's parts in one line ("Title | Company"), or a company's legal form at its end ("Kaveri Motors Ltd."): no sentence. */
const CARD_PARTS = /\s[|•·]\s|\b(?:Ltd|Inc|Corp|Co|GmbH|AG|AB|BV|B\.V|NV|SA|S\.A|SAS|SpA|S\.p\.A|Kft|A\.Ş|s\.r\.o|a\.s|Sp\. z o\.o|Lda|Ltda|LLC|PLC|Pty)\.$/u;

function nextOwn(role: LineRole[], after: number): number | undefined {
  for (let k = after + 1; k < role.length; k++) {
    if (role[k] === 'own') return k;
    if (role[k] !== 'blank') return undefined;
  }
  return undefined;
}

function countOwn(role: LineRole[], from: number, to: number): number {
  let n = 0;
  for (let k = from; k <= to; k++) if (role[k] === 'own') n++;
  return n;
}

function hasOwnTextBefore(role: LineRole[], index: number): boolean {
  for (let k = index - 1; k >= 0; k--) if (role[k] === 'own') return true;
  return false;
}
