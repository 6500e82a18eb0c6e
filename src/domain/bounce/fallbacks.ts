/**
 * Human-readable bounces without an RFC 3464 part: the texts of qmail, Postfix, Exim, Sendmail,
 * Exchange, Office 365, Gmail and others (FALLBACKS, tried in order), delay notices in words,
 * and the status code of a recipient found that way. No I/O.
 */
import { ADDRESS, REPLY_AND_STATUS, squeeze, STATUS_CODE } from './failed-recipient.js';

/** Diagnostic text of a fallback: the lines after the address, up to a blank line. */
function paragraphAfter(all: string[], from: number, firstRest = ''): string | null {
  const parts = [firstRest];
  for (let i = from + 1; i < all.length && i < from + 12; i++) {
    const line = all[i] as string;
    if (line.trim() === '') break;
    parts.push(line);
  }
  const s = squeeze(parts.join(' '));
  return s || null;
}

/**
 * Where a bounce's copy of the returned message begins: a "copy follows" line, or a trace
 * header. The copy's To and Cc name addresses that did not fail, and its Received lines hold
 * numbers that look like status codes, so the loosest rules below read only what comes before.
 */
const RETURNED_COPY =
  /^\s*-*\s*(original message|returned message|unsent message|undelivered message|below this line is a copy|this is a copy of the message|the header of the original message|included is a copy|original message headers|message headers follow)\b|^(received|return-path|dkim-signature|x-received|arc-seal|message-id)\s*:/i;

export function ownWords(all: string[]): string[] {
  const end = all.findIndex((line) => RETURNED_COPY.test(line));
  return end === -1 ? all : all.slice(0, end);
}

/** An address opening a line: `x@y`, `<x@y>`, `"x@y":`, `* x@y`, Exchange's `x@y<mailto:x@y>`; the rest of the line follows. */
const ADDRESS_LINE = /^\s{0,8}(?:[*-]\s+)?['"]?<?([^\s@<>()'",;:]+@[^\s@<>()'",;:]+?)>?['"]?(?:<mailto:[^<>\s]*>)?(?:\s|:|,|$)(.*)$/;

interface Found {
  address: string;
  diagnostic: string | null;
}

interface Fallback {
  /** What the pattern is, for reading. */
  name: string;
  find(all: string[]): Found[];
}

/**
 * A heading line (or one broken over two lines) followed, after optional blank lines, by one
 * address per line, each with an optional indented explanation.
 */
function listAfterHeading(heading: RegExp): Fallback['find'] {
  return (all) => {
    const found: Found[] = [];
    for (let i = 0; i < all.length; i++) {
      if (!heading.test(all[i] as string) && !(i > 0 && heading.test(`${(all[i - 1] as string).trim()} ${(all[i] as string).trim()}`))) continue;
      let j = i + 1;
      while (j < all.length && (all[j] as string).trim() === '') j++;
      // GMX and 1&1 put the explanation, unindented, under an address line ending in ":"
      let explained = false;
      for (; j < all.length; j++) {
        const line = all[j] as string;
        if (line.trim() === '') {
          // a blank line between entries is allowed when the next line is another address
          const next = all[j + 1] ?? '';
          if (/^\s*<?[^\s@<>]+@[^\s@<>]+>?\s*(\(|$)/.test(next) && !/:\s*$/.test(next)) continue;
          break;
        }
        const m = ADDRESS_LINE.exec(line);
        if (m && !/^\s{9,}/.test(line)) {
          const address = (m[1] as string).toLowerCase().replace(/[.,;:]+$/, '');
          if (!ADDRESS.test(address)) break;
          const rest = (m[2] as string).trim();
          found.push({ address, diagnostic: rest ? squeeze(rest) : null });
          explained = !rest && /:\s*$/.test(line);
        } else if (found.length && (explained || /^\s/.test(line))) {
          const last = found[found.length - 1]!;
          last.diagnostic = squeeze(`${last.diagnostic ?? ''} ${line}`);
        } else {
          break;
        }
      }
      if (found.length) return found;
    }
    return found;
  };
}

/** One sentence naming the address: "Your message to x@y couldn't be delivered". */
function sentence(pattern: RegExp): Fallback['find'] {
  return (all) => {
    const found: Found[] = [];
    for (let i = 0; i < all.length; i++) {
      const line = all[i] as string;
      const m = pattern.exec(line);
      if (!m) continue;
      const address = (m[1] as string).toLowerCase().replace(/[.,;:]+$/, '');
      if (ADDRESS.test(address)) found.push({ address, diagnostic: paragraphAfter(all, i, line) });
    }
    return found;
  };
}

/** qmail and Postfix: a paragraph starting `<x@y>:` (the rest of the line and the lines below say why). */
function anglePrefixed(all: string[]): Found[] {
  const found: Found[] = [];
  for (let i = 0; i < all.length; i++) {
    const m = /^<([^\s@<>]+@[^\s@<>]+)>(?:\s*\(expanded from <[^<>]*>\))?:\s*(.*)$/.exec(all[i] as string);
    if (!m) continue;
    // must open a paragraph, or follow a sentence (qmail leaves out the blank line)
    if (i > 0 && !/^\s*$|[.:]\s*$/.test(all[i - 1] as string)) continue;
    found.push({ address: (m[1] as string).toLowerCase(), diagnostic: paragraphAfter(all, i, m[2] as string) });
  }
  return found;
}

/** Last resort: a line of the bounce's own words that starts with an address and gives an SMTP error (`x@y: 550 5.1.1 …`). */
function addressWithError(all: string[]): Found[] {
  const found: Found[] = [];
  for (const line of ownWords(all)) {
    const m = ADDRESS_LINE.exec(line);
    const rest = (m?.[2] ?? '').trim();
    if (!m || !(/\b[45]\d\d\b/.test(rest) || STATUS_CODE.test(rest))) continue;
    const address = (m[1] as string).toLowerCase().replace(/[.,;:]+$/, '');
    if (ADDRESS.test(address)) found.push({ address, diagnostic: squeeze(rest) });
  }
  return found;
}

export const FALLBACKS: Fallback[] = [
  { name: 'qmail / Postfix "<x@y>:" paragraph', find: anglePrefixed },
  { name: 'Exim, GMX, 1&1 "The following address(es) failed"', find: listAfterHeading(/following address(?:\(es\)|es)? failed:?\s*$/i) },
  {
    name: 'Sendmail "The following addresses had permanent fatal errors"',
    find: listAfterHeading(/-*\s*The following addresses? (had|has) (permanent fatal errors|delivery problems|delivery errors|transient non-fatal errors)\s*-*\s*$/i),
  },
  {
    name: 'Exchange "Delivery has failed to these recipients or groups" / "did not reach the following recipient(s)"',
    find: listAfterHeading(/^\s*(Delivery has failed to these recipients or groups|did not reach the following recipient\(s\)):?\s*$/i),
  },
  { name: 'Exchange "The following recipient(s) cannot be reached"', find: listAfterHeading(/^\s*The following recipient\(s\) (cannot|could not) be reached:?\s*$/i) },
  { name: 'Gmail "Delivery to the following recipient(s) failed"', find: listAfterHeading(/^\s*Delivery to the following recipients? failed[\w ]*[.:]?\s*$/i) },
  {
    name: 'generic "could not be delivered to the following recipient(s)"',
    find: listAfterHeading(
      /^\s*(?:[\w ,'’]*)?(?:could not be delivered|was not delivered|undeliverable|delivery failed|failed to deliver|unable to deliver)[\w ,'’]*(?:to )?(?:the )?following (?:recipients?|addresses?|address\(es\)|recipient\(s\))\s*[.:]?\s*$/i,
    ),
  },
  {
    name: 'Exchange / Office 365 "Your message to x@y couldn\'t be delivered"',
    find: sentence(/Your message to\s+<?([^\s@<>]+@[^\s@<>]+?)>?\s+couldn['’]?t be delivered/i),
  },
  {
    name: 'Gmail "Your message wasn\'t delivered to x@y"',
    find: sentence(/Your message (?:wasn['’]?t|was not|could not be|couldn['’]?t be) delivered to\s+<?([^\s@<>]+@[^\s@<>]+?)>?(?:\s|$)/i),
  },
  {
    name: 'DragonFly, InterScan, KDDI, … "could not be delivered to: <x@y>" / "error delivering your mail to <x@y>"',
    find: sentence(
      /(?:unable to deliver|could not deliver|could not be delivered|couldn['’]?t be delivered|error delivering)(?: (?:your|the|this) (?:message|mail|e-?mail))?(?: message)? to:?\s+<?([^\s@<>()"',;]+@[^\s@<>()"',;]+)/i,
    ),
  },
  {
    name: 'OpenSMTPD "An error has occurred … for the following list of recipients"',
    find: listAfterHeading(/error has occurred while attempting to deliver a message for the following list of recipients:?\s*$/i),
  },
  { name: 'an address opening a line with an SMTP error', find: addressWithError },
];

/**
 * A warning that delivery is delayed, in words (Exim, OpenSMTPD, Sendmail and others without a
 * report part): nothing has failed yet, so no recipient is read from it.
 */
export const DELAY_NOTICE =
  /\b(message (is|has been) delayed|delayed for more than|has not yet been delivered|temporary failure report|could not (be delivered|send message) for (the )?past|will (continue to )?(retry|try)|still (be(ing)? )?(retried|trying)|do(es)? not need to re-?send|no action is required on your part)\b/i;

/** The status code on a line of the bounce's own words that names the address (`x@y: 550 5.1.1 …`). */
export function statusNaming(address: string, own: string[]): string | null {
  const naming = own.filter((line) => line.toLowerCase().includes(address));
  const named = naming.map((line) => REPLY_AND_STATUS.exec(line)).find(Boolean) ?? naming.map((line) => STATUS_CODE.exec(line)).find(Boolean);
  return (named?.[1] as string | undefined) ?? null;
}

/**
 * A fallback recipient's status code: from its own explanation; else from a line naming it;
 * else, when it is the only recipient, from the first SMTP error in the bounce's own words
 * (Gmail and DragonFly give it a paragraph below the address).
 */
export function fallbackStatus(found: Found, own: string[], only: boolean): string | null {
  const inDiagnostic = found.diagnostic ? (REPLY_AND_STATUS.exec(found.diagnostic) ?? STATUS_CODE.exec(found.diagnostic)) : null;
  if (inDiagnostic) return inDiagnostic[1] as string;
  const named = statusNaming(found.address, own);
  if (named || !only) return named;
  for (const line of own) {
    const m = REPLY_AND_STATUS.exec(line);
    if (m) return m[1] as string;
  }
  return null;
}
