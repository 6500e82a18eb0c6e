/**
 * What a bounce says: which recipients failed, why, and which of our messages it is about.
 *
 * Input: the texts the pipeline has of a bounce — first its text body (mailparser puts a
 * `message/delivery-status` part there too), then the first 64 KiB of each
 * `message/delivery-status`, `text/rfc822-headers` and `message/rfc822` part. A part that opens
 * with mail headers is the returned message: it is read for its Message-ID, and for recipients
 * only when the bounce has no report of its own (a relay that wraps the whole bounce).
 *
 * In order of trust:
 * 1. RFC 3464 per-recipient fields (`Original-Recipient`, `Final-Recipient`, `Action`,
 *    `Status`, `Diagnostic-Code`), one block per recipient, in whatever order the MTA writes
 *    them. The address reported is the Original-Recipient when there is one (the address as we
 *    sent it; the Final-Recipient may be an alias it expanded to), else the Final-Recipient.
 *    A bare `Status: 5.0.0` gives way to the server's own code in its words.
 * 2. An Amazon SES bounce notification (JSON, as SNS mails it, raw or in SNS's envelope).
 * 3. Only when neither found a recipient, the human-readable text of MTAs that send no
 *    RFC 3464 part: qmail/Postfix `<x@y>:` paragraphs, Exim and GMX "The following address(es)
 *    failed", Sendmail "The following addresses had permanent fatal errors", Exchange and
 *    Office 365 "Your message to x@y couldn't be delivered" / "Delivery has failed to these
 *    recipients", Gmail "Your message wasn't delivered to x@y" / "Delivery to the following
 *    recipient failed permanently", and a few more (see FALLBACKS).
 *
 * Only failures are returned: recipients whose Action is delivered, relayed, expanded or
 * deliverable (a success DSN) or delayed (a warning; the MTA is still trying) are left out, so
 * that the caller can stop mailing every address it gets back. Lines quoted with `>` (a person
 * forwarding a bounce) are never read.
 */

/** MIME parts of a bounce whose first bytes name the message it is about (our copy, its headers). */
export const EMBEDDED_HEADER_TYPES: ReadonlySet<string> = new Set([
  'message/rfc822',
  'text/rfc822-headers',
  'message/rfc822-headers',
  'message/global-headers',
  'message/global',
  'message/delivery-status',
  'message/global-delivery-status',
]);
/** The headers and report fields sit at the start: this much of each such part is kept. */
export const EMBEDDED_SNIFF_BYTES = 64 * 1024;

export interface FailedRecipient {
  /** Lower-cased mailbox address. */
  address: string;
  /** RFC 3464 Action (lower-cased), or 'failed' when the bounce does not say. */
  action: string;
  /** Enhanced status code such as 5.1.1, when the bounce gives one. */
  status: string | null;
  /** The remote server's words (Diagnostic-Code, or the fallback paragraph), whitespace squeezed. */
  diagnostic: string | null;
}

export interface DeliveryReport {
  failedRecipients: FailedRecipient[];
  /** The bounce only warns that delivery is delayed (Action: delayed, or says so in words): nothing failed yet. */
  delayWarning: boolean;
  /** Message-IDs (without angle brackets) of the returned message, in order of appearance. */
  originalMessageIds: string[];
}

/** Actions that mean the message was (or will be) delivered: not failures. */
const NOT_FAILED = new Set(['delivered', 'relayed', 'expanded', 'deliverable', 'delayed']);

const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/;
/** Not part of a longer dotted number: `10.5.1.2` is an IP address, not status 5.1.2. */
const STATUS_CODE = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)/;
/** An SMTP reply code followed by an enhanced status code: `550 5.1.1`, `550-5.7.26`, `550-'5.7.1`. */
const REPLY_AND_STATUS = /\b[245]\d\d[ -]['"]?#?([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)/;
const MAX_DIAGNOSTIC = 500;

function lines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

function squeeze(text: string): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > MAX_DIAGNOSTIC ? `${s.slice(0, MAX_DIAGNOSTIC - 1)}…` : s;
}

/** `rfc822; <X@Y>` → `x@y`; null when there is no mailbox address in it. */
function addressOf(value: string): string | null {
  const typed = /^\s*[\w.-]+\s*;\s*(.*)$/.exec(value);
  const raw = (typed ? (typed[1] as string) : value).trim().replace(/^<|>$/g, '').trim().toLowerCase();
  return ADDRESS.test(raw) ? raw : null;
}

/** `smtp; 550 5.1.1 …` → `550 5.1.1 …`. */
function diagnosticOf(value: string): string | null {
  const s = squeeze(value.replace(/^\s*[\w.-]+\s*;\s*/, ''));
  return s || null;
}

// ---------------------------------------------------------------------------------------------
// RFC 3464 per-recipient blocks

interface Block {
  original?: string;
  final?: string;
  action?: string;
  status?: string;
  diagnostic?: string;
}

/** Header-style fields of a text (continuation lines unfolded), grouped at blank lines. */
function fieldGroups(text: string): { name: string; value: string }[][] {
  const groups: { name: string; value: string }[][] = [];
  let group: { name: string; value: string }[] = [];
  const close = () => {
    if (group.length) groups.push(group);
    group = [];
  };
  for (const line of lines(text)) {
    if (line.trim() === '') {
      close();
      continue;
    }
    const last = group[group.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last.value += ` ${line.trim()}`;
      continue;
    }
    const m = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (m) group.push({ name: (m[1] as string).toLowerCase(), value: (m[2] as string).trim() });
    else close(); // prose (or a quoted `>` line) ends a field group
  }
  close();
  return groups;
}

const BLOCK_FIELDS: Record<string, keyof Block> = {
  'original-recipient': 'original',
  'final-recipient': 'final',
  action: 'action',
  status: 'status',
  'diagnostic-code': 'diagnostic',
};

/**
 * One block per recipient. MTAs differ in field order (RFC 3464 puts Original- before
 * Final-Recipient, Postfix the other way round, PMDF puts Action and Status first) and some
 * leave out the blank line between recipients, so a block ends where one of its fields repeats.
 */
function rfc3464Blocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const group of fieldGroups(text)) {
    let block: Block = {};
    for (const { name, value } of group) {
      const key = BLOCK_FIELDS[name];
      if (!key) continue;
      if (block[key] !== undefined) {
        blocks.push(block);
        block = {};
      }
      block[key] = value;
    }
    blocks.push(block);
  }
  return blocks.filter((b) => b.original !== undefined || b.final !== undefined);
}

/**
 * The most specific enhanced status code: `Status: 5.0.0` says only "failed", and the remote
 * server's words often carry the real one (`550-'5.7.1 … Access denied'`). A code right after an
 * SMTP reply code is the server's own; any other code in the words comes next.
 */
function specificStatus(status: string | null, diagnostic: string | null): string | null {
  if (status && !/^\d\.0\.0$/.test(status)) return status;
  const fromServer = diagnostic ? (REPLY_AND_STATUS.exec(diagnostic)?.[1] ?? STATUS_CODE.exec(diagnostic)?.[1] ?? null) : null;
  return fromServer && !/^\d\.0\.0$/.test(fromServer) ? fromServer : (status ?? fromServer);
}

function fromBlock(b: Block): FailedRecipient | null {
  const address = (b.original !== undefined ? addressOf(b.original) : null) ?? (b.final !== undefined ? addressOf(b.final) : null);
  if (!address) return null;
  const diagnostic = b.diagnostic !== undefined ? diagnosticOf(b.diagnostic) : null;
  const status = specificStatus(b.status ? (STATUS_CODE.exec(b.status)?.[1] ?? null) : null, diagnostic);
  // Without an Action, a 4.x.x status is not a delay: "message expired" reports come like that.
  const action = b.action?.trim().split(/[\s;(]/)[0]?.toLowerCase() || (status?.startsWith('2') ? 'delivered' : 'failed');
  return { address, action, status, diagnostic };
}

// ---------------------------------------------------------------------------------------------
// Amazon SES notifications (mailed by SNS as JSON)

export interface SesNotification {
  notificationType?: string;
  eventType?: string;
  bounce?: {
    bounceType?: string;
    bouncedRecipients?: { emailAddress?: string; action?: string; status?: string; diagnosticCode?: string }[];
  };
  mail?: { commonHeaders?: { messageId?: string }; headers?: { name?: string; value?: string }[] };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The SES event in a mail from SNS: as it is (an "email" subscription) or inside SNS's envelope
 * (`{"Type":"Notification","Message":"{…}"}`, an "email-json" one). Sendmail breaks lines
 * longer than 990 characters with "!", a newline and a space; that is undone first.
 */
export function sesNotification(text: string): SesNotification | null {
  const start = text.search(/\{\s*"/);
  if (start === -1 || !/"(notificationType|eventType|Type)"\s*:/.test(text)) return null;
  const json = text.slice(start, text.lastIndexOf('}') + 1).replace(/!\r?\n /g, '');
  // the JSON is the first line of the SNS mail, or all of it up to the unsubscribe footer
  for (const candidate of [json.split('\n')[0] as string, json]) {
    const value = parseObject(candidate);
    const event = value?.Type === 'Notification' && typeof value.Message === 'string' ? parseObject(value.Message) : value;
    if (event && (typeof event.notificationType === 'string' || typeof event.eventType === 'string')) return event as SesNotification;
  }
  return null;
}

function fromSes(n: SesNotification): { recipients: FailedRecipient[]; ids: string[] } {
  const type = (n.notificationType ?? n.eventType ?? '').toLowerCase();
  const recipients: FailedRecipient[] = [];
  if (type === 'bounce') {
    const transient = n.bounce?.bounceType?.toLowerCase() === 'transient';
    for (const r of n.bounce?.bouncedRecipients ?? []) {
      const address = r.emailAddress ? addressOf(r.emailAddress) : null;
      if (!address) continue;
      const diagnostic = r.diagnosticCode ? diagnosticOf(r.diagnosticCode) : null;
      recipients.push({
        address,
        action: r.action?.toLowerCase() || (transient ? 'delayed' : 'failed'),
        status: (r.status && STATUS_CODE.exec(r.status)?.[1]) || (diagnostic ? (STATUS_CODE.exec(diagnostic)?.[1] ?? null) : null),
        diagnostic,
      });
    }
  }
  const ids = [n.mail?.commonHeaders?.messageId, ...(n.mail?.headers ?? []).filter((h) => h.name?.toLowerCase() === 'message-id').map((h) => h.value)]
    .filter((v): v is string => typeof v === 'string')
    .map((v) => (/<([^<>\s]+)>/.exec(v)?.[1] ?? v.trim()))
    .filter((v) => v.includes('@'));
  return { recipients, ids };
}

// ---------------------------------------------------------------------------------------------
// Human-readable bounces without an RFC 3464 part

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

function ownWords(all: string[]): string[] {
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

const FALLBACKS: Fallback[] = [
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
const DELAY_NOTICE =
  /\b(message (is|has been) delayed|delayed for more than|has not yet been delivered|temporary failure report|could not (be delivered|send message) for (the )?past|will (continue to )?(retry|try)|still (be(ing)? )?(retried|trying)|do(es)? not need to re-?send|no action is required on your part)\b/i;

/** The status code on a line of the bounce's own words that names the address (`x@y: 550 5.1.1 …`). */
function statusNaming(address: string, own: string[]): string | null {
  const naming = own.filter((line) => line.toLowerCase().includes(address));
  const named = naming.map((line) => REPLY_AND_STATUS.exec(line)).find(Boolean) ?? naming.map((line) => STATUS_CODE.exec(line)).find(Boolean);
  return (named?.[1] as string | undefined) ?? null;
}

/**
 * A fallback recipient's status code: from its own explanation; else from a line naming it;
 * else, when it is the only recipient, from the first SMTP error in the bounce's own words
 * (Gmail and DragonFly give it a paragraph below the address).
 */
function fallbackStatus(found: Found, own: string[], only: boolean): string | null {
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

// ---------------------------------------------------------------------------------------------

/** Message-IDs named by `Message-ID:` lines (unquoted, possibly folded) in the texts, in order. */
function messageIds(texts: string[]): string[] {
  const ids: string[] = [];
  for (const text of texts) {
    const all = lines(text);
    for (let i = 0; i < all.length; i++) {
      const m = /^[ \t]*Message-ID[ \t]*:[ \t]*(.*)$/i.exec(all[i] as string);
      if (!m) continue;
      let value = (m[1] as string).trim();
      if (!value && /^[ \t]+\S/.test(all[i + 1] ?? '')) value = (all[i + 1] as string).trim(); // folded
      const id = /<([^<>\s]+@[^<>\s]+)>/.exec(value)?.[1] ?? (/^([^\s<>]+@[^\s<>]+)$/.exec(value)?.[1] ?? null);
      if (id) ids.push(id);
    }
  }
  return ids;
}

/**
 * A returned message or its headers rather than a report: it opens with a mail header. Its own
 * recipients did not fail (and if it is itself an old bounce, neither did its), so only its
 * Message-ID is read.
 */
const MESSAGE_HEADER = /^(received|return-path|from|to|cc|subject|date|message-id|mime-version|dkim-signature|arc-seal|delivered-to|content-type|authentication-results|received-spf)[ \t]*:/i;

function isReturnedMessage(text: string): boolean {
  const first = lines(text).find((line) => line.trim() !== '');
  return first !== undefined && MESSAGE_HEADER.test(first);
}

/** Read one bounce (`texts[0]` its body, then its parts); see the top of this file for what is read, in which order. */
export function deliveryReport(texts: string[]): DeliveryReport {
  const reports = texts.filter((text, i) => i === 0 || !isReturnedMessage(text));
  const byAddress = new Map<string, FailedRecipient>();
  const add = (r: FailedRecipient) => {
    const seen = byAddress.get(r.address);
    if (!seen) byAddress.set(r.address, r);
    else byAddress.set(r.address, { ...seen, status: seen.status ?? r.status, diagnostic: seen.diagnostic ?? r.diagnostic });
  };

  // 1. RFC 3464 blocks
  let anyBlock = false;
  let delayed = false;
  const readBlocks = (from: string[]) => {
    for (const text of from) {
      for (const block of rfc3464Blocks(text)) {
        const r = fromBlock(block);
        if (!r) continue;
        anyBlock = true;
        delayed ||= r.action === 'delayed';
        if (!NOT_FAILED.has(r.action)) add(r);
      }
    }
  };
  readBlocks(reports);
  // A relay that forwards a bounce wraps the whole report as a message/rfc822 part.
  if (!anyBlock) readBlocks(texts.filter((text) => !reports.includes(text)));

  // 2. Amazon SES notification
  const sesIds: string[] = [];
  if (!anyBlock) {
    for (const text of reports) {
      const n = sesNotification(text);
      if (!n) continue;
      const { recipients, ids } = fromSes(n);
      anyBlock ||= recipients.length > 0;
      for (const r of recipients) {
        delayed ||= r.action === 'delayed';
        if (!NOT_FAILED.has(r.action)) add(r);
      }
      sesIds.push(...ids);
    }
  }

  // 3. Human-readable fallbacks, only when no machine-readable recipient was found
  if (!anyBlock) {
    for (const text of reports) {
      const all = lines(text).filter((line) => !/^\s*>/.test(line));
      const own = ownWords(all);
      if (DELAY_NOTICE.test(own.join(' '))) {
        delayed = true;
        continue;
      }
      for (const fallback of FALLBACKS) {
        const found = fallback.find(all);
        for (const f of found) add({ address: f.address, action: 'failed', status: fallbackStatus(f, own, found.length === 1), diagnostic: f.diagnostic });
        if (found.length) break; // the first pattern that matches a text decides for it
      }
    }
  }

  // A report that says only 5.0.0 (OpenSMTPD): the bounce's own words may give the server's code.
  const own = ownWords(lines(texts[0] ?? '').filter((line) => !/^\s*>/.test(line)));
  for (const r of byAddress.values()) {
    if (r.status && !/^\d\.0\.0$/.test(r.status)) continue;
    const named = statusNaming(r.address, own);
    if (named && !/^\d\.0\.0$/.test(named)) r.status = named;
  }

  const originalMessageIds = [...new Set([...sesIds, ...messageIds(texts)])];
  return { failedRecipients: [...byAddress.values()], delayWarning: delayed && byAddress.size === 0, originalMessageIds };
}
