// Visible-reply extraction: what the person actually wrote in this message, without quoted
// history, forwarded-reply headers or signatures. Pure functions, no I/O.
//
// The body is read in a few passes over its lines. Patterns are only tried on lines of bounded
// length and are written without overlapping quantifiers, so the work stays linear in the size
// of the body (a 1 MB single-line quote parses in milliseconds).
//
// Policy choices where public corpora disagree (a person reading a support ticket decides):
// - A bare sign-off with a name ("Thanks,\nSam", "-Abhishek Kona") stays: it is part of the
//   message's voice and costs nothing. A sign-off followed by a contact card (name + title,
//   phone, company...) is a signature block and goes.
// - Quoted lines without a quote header that are answered below ("> question\n\nanswer") stay
//   as context; the automatic quote under an "On ... wrote:" header goes, unless the reply is
//   interleaved with two or more quoted blocks (an inline answer needs its questions).
// - A forward keeps the forwarded message: that is what the sender wants us to read.
// - Blocks repeating text we sent earlier go even when '>'-quoted and answered: the ticket
//   already shows our message right above.
// - When everything looks quoted, the original body is returned rather than nothing.

import { escapeRegExp, wordCount } from '../domain/text.js';

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

/** Lines longer than this are never headers or signatures, which keeps every regex cheap. */
const MAX_PATTERN_LINE = 1000;
const MAX_HEADER_LINE = 300;
const MAX_HEADER_TEXT = 500;
/** A reply header may be wrapped over this many lines after its first one. */
const HEADER_LOOKBACK = 4;

// ---------------------------------------------------------------------------------------------
// Patterns

/** "wrote" in the languages mail clients localise their quote header into. */
const WROTE_WORDS = [
  'wrote', 'writes', 'schrieb', 'schreef', 'geschreven', 'escribió', 'escribio', 'escreveu', 'escrit',
  'écrit', 'ecrit', 'scritto', 'skrev', 'skrivit', 'kirjoitti', 'napisał\\(a\\)', 'napisała', 'napisał',
  'napisal', 'pisze', 'написал\\(а\\)', 'написала', 'написал', 'написав', 'пише', '写道', '寫道', '작성',
  'のメッセージ', 'írta', 'yazdı', 'napsal', 'napísal',
].join('|');
const WROTE_COLON_END = new RegExp(`(?:${WROTE_WORDS})\\s*[:：]$`, 'iu');
const WROTE_END = new RegExp(`(?:${WROTE_WORDS})$`, 'iu');
const WROTE_END_OPTIONAL_COLON = new RegExp(`(?:${WROTE_WORDS})\\s*[:：]?$`, 'iu');
/** "> wrote:" or ">:" — the tail of a header whose address wrapped into a quote marker. */
const QUOTED_HEADER_TAIL = new RegExp(`^\\s*>\\s*(?:(?:${WROTE_WORDS})\\s*)?[:：]$`, 'iu');
/** Headers that put the verb before the name: "Am 25.06.2015 um 10:55 schrieb Test user:". */
const WROTE_BEFORE_NAME = /(?<!\p{L})(?:schrieb|skrev|schreef|wrote|escribió|a écrit)(?!\p{L})/iu;
const WROTE_ANYWHERE = new RegExp(`(?<!\\p{L})(?:${WROTE_WORDS})(?!\\p{L})`, 'iu');
const COLON_END = /[:：]$/;
/** "... Name <a@b>:" — a date and an address followed by a colon, no verb (Gmail in some locales). */
const ADDRESS_COLON_END = /[>)\]]\s*[:：]$/;
/** Gmail's ISO form, sometimes without the address or the colon: "2016-03-03 17:21 GMT+01:00 Name". */
const GMAIL_ISO_LINE = /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2} GMT[+-]\d{1,2}:?\d{2}(?!\d)/;
/** "2013/7/20 sam via Discourse <info@x>" directly above a quoted block. */
const DATE_ADDRESS_LINE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)[^<>]{0,120}<[^<>\s@]+@[^<>\s]+>$/;
/** Words a reply header starts with: "On", "Am", "Le", "El", "Em", "Op", "Il", "Den", a date... */
const HEADER_OPENER = /^(?:[-*>]+\s*)?(?:on|am|le|el|em|op|il|in data|den|på|dnia|w dniu|dne|at|\d|在)(?=[\s\d,.])/iu;
const SENTENCE_END = /(?:[!?]|\p{L}{2}\.)$/u;
const HEADER_TIME = /\d{1,2}[:.h]\d{2}(?!\d)/;
const HEADER_YEAR = /(?<!\d)(?:19|20)\d{2}(?!\d)/;

const ORIGINAL_MESSAGE = new RegExp(
  '^[\\s*]*-{2,}\\s*(?:original message|ursprüngliche nachricht|message d\'origine|message original|' +
    'mensaje original|mensagem original|messaggio originale|oorspronkelijk bericht|origineel bericht|' +
    'ursprungligt meddelande|oprindelig (?:meddelelse|besked)|opprinnelig melding|alkuperäinen viesti|' +
    'wiadomość oryginalna|oryginalna wiadomość|исходное сообщение|原始邮件|原始郵件|元のメッセージ)' +
    '\\s*-{2,}[\\s*]*$',
  'iu',
);
const FORWARD_SEPARATOR = new RegExp(
  '^[\\s*]*-{2,}\\s*(?:forwarded message|forwarded e-?mail|weitergeleitete nachricht|' +
    'message transféré|message transfere|mensaje reenviado|mensagem encaminhada|messaggio inoltrato|' +
    'doorgestuurd bericht|vidarebefordrat meddelande|videresendt (?:meddelelse|melding|besked)|' +
    'välitetty viesti|wiadomość przekazana|пересылаемое сообщение|转发的邮件|転送されたメッセージ)' +
    '\\s*-{2,}[\\s*]*$',
  'iu',
);
const FORWARD_INTRO =
  /^\s*(?:begin forwarded message|début du message réexpédié|début du message transféré|anfang der weitergeleiteten nachricht|inizio messaggio inoltrato|comienzo del mensaje reenviado|início da mensagem reencaminhada)\s*(?::\s*)?$/iu;
const FORWARD_SUBJECT = /^[\s[]*(?:fwd?|wg|tr|rv|enc|vs|vb|doorst)\s*:/i;

/** "-- " (RFC 3676 signature delimiter), also without the space. */
const SIGNATURE_DELIMITER = /^\s*--\s*$/;
/** Disclaimers included, a signature is rarely longer than this. */
const MAX_SIGNATURE_LINES = 25;
/** Outlook's separator above the header block, and mailing-list footer rules. */
const UNDERSCORE_LINE = /^\s*_{2,}\s*$/;
/** Lines with nothing but a rule, dropped when they end the text. */
const TRAILING_RULE = /^\s*(?:[-_=*#~+]{2,}|[ᐧ•·])\s*$/u;

/** Outlook header block keys, by what they mean, in the languages Outlook is localised into. */
type HeaderKey = 'from' | 'date' | 'to' | 'subject' | 'cc' | 'replyTo';
const HEADER_KEYS: Record<HeaderKey, string[]> = {
  from: [
    'from', 'von', 'de', 'van', 'da', 'från', 'fra', 'frá', 'lähettäjä', 'od', 'от', 'від', 'feladó', 'kimden',
    'afzender', 'remitente', 'mittente', 'expéditeur', '发件人', '寄件者', '寄件人', '差出人', '보낸 사람', '보낸사람',
  ],
  date: [
    'sent', 'sent at', 'date', 'gesendet', 'datum', 'envoyé', 'envoyé le', 'enviado', 'enviado el', 'enviada',
    'verzonden', 'verstuurd', 'inviato', 'data', 'skickat', 'sendt', 'dato', 'lähetetty', 'päivämäärä', 'wysłano',
    'отправлено', 'дата', 'надіслано', 'elküldve', 'dátum', 'gönderildi', 'tarih', '发送时间', '發送時間', '日期',
    '送信日時', '날짜', '보낸 날짜', 'message du',
  ],
  to: [
    'to', 'an', 'à', 'a', 'para', 'aan', 'till', 'til', 'vastaanottaja', 'do', 'кому', 'címzett', 'kime', '收件人',
    '宛先', '받는 사람', 'destinataire', 'destinatario', 'destinatário',
  ],
  subject: [
    'subject', 'betreff', 'objet', 'asunto', 'assunto', 'onderwerp', 'oggetto', 'ämne', 'emne', 'aihe', 'temat',
    'тема', 'tárgy', 'konu', '主题', '主旨', '件名', '제목', 'sujet', 'predmet',
  ],
  cc: ['cc', 'kopie', 'copie', 'copie à', 'kopia', 'копия', '抄送'],
  replyTo: ['reply-to', 'risposta', 'antwort an', 'répondre à', 'responder a'],
};
const HEADER_KEY_CATEGORY = new Map<string, HeaderKey>(
  (Object.entries(HEADER_KEYS) as [HeaderKey, string[]][]).flatMap(([category, keys]) =>
    keys.map((key) => [key, category] as [string, HeaderKey]),
  ),
);
const HEADER_KEY_LINE = new RegExp(
  `^\\s*[*_]{0,2}(${[...HEADER_KEY_CATEGORY.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|')})[*_]{0,2}\\s*[:：]`,
  'iu',
);
/** An Outlook block spans at most this many lines (wrapped From: lines included). */
const HEADER_BLOCK_WINDOW = 9;

/** Mobile and webmail signatures, matched against a whole line with links removed. */
const MOBILE_SIGNATURES: RegExp[] = [
  /^sent (?:from|with|via|using|by|on) \S/i,
  /^(?:get|download) outlook for (?:ios|android)/i,
  /^from my (?:iphone|ipad|ipod|android|mobile|phone|cell|smartphone|samsung|galaxy|blackberry|pixel|huawei)\b/i,
  /^envoy[ée] (?:de|depuis|à partir de|a partir de|avec|via) \S/iu,
  /^von meinem .+ gesendet\.?$/iu,
  /^gesendet (?:von|mit|vom|über) \S/iu,
  /^enviad[oa] (?:desde|de|do|con|com|a partir do|pelo) \S/iu,
  /^(?:verzonden|verstuurd) (?:vanaf|met|van|via) \S/iu,
  /^skickat från \S/iu,
  /^sendt fra \S/iu,
  /^lähetetty \S/iu,
  /^inviato da \S/iu,
  /^wysłano z \S/iu,
  /^(?:отправлено|надіслано) (?:с|из|з) \S/iu,
  /^diese nachricht wurde von meinem .+ gesendet\.?$/iu,
  /^(?:寄自|发自|發自|從)我的/u,
  /^.{1,30}から送信$/u,
];
const MOBILE_SIGNATURE_MAX_WORDS = 8;
/** Cheap first test, so ordinary lines skip the clean-up below. */
const MOBILE_SIGNATURE_HINT =
  /sent|outlook|from my|envoy|gesendet|enviad|verzonden|verstuurd|skickat|sendt|lähetetty|inviato|wysłano|отправлено|надіслано|nachricht|我的|から送信/iu;

/** Sign-off lines, matched only when the whole line is the sign-off. */
const SIGN_OFF =
  /^(?:best|best wishes|all the best|kind regards|best regards|warm regards|warmest regards|regards|many thanks|thanks|thanks again|thank you|thx|cheers|sincerely|yours sincerely|yours truly|yours|respectfully|br|mvh|mfg|mit freundlichen grüßen|freundliche grüße|viele grüße|beste grüße|liebe grüße|gruß|grüße|cordialement|bien cordialement|bien à vous|salutations|saludos|un saludo|atentamente|cumprimentos|atenciosamente|abraços|met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|groeten|vänliga hälsningar|med vänlig hälsning|hälsningar|med venlig hilsen|venlig hilsen|ystävällisin terveisin|terveisin|cordiali saluti|distinti saluti|saluti)[\s,.!]*$/iu;
/** A contact card under a sign-off: 2–6 short lines (name, title, company, phone...). */
const CARD_MIN_LINES = 2;
const CARD_MAX_LINES = 6;
const CARD_MAX_WORDS = 8;
/** The card's first line is a name: one to four capitalised words ("John Doe", "—Jef"). */
const CARD_NAME = /^[-–—~/]*\s*\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}$/u;

/** Prior-text matching works on word n-grams, so wrapping and quoting do not matter. */
const PRIOR_SHINGLE = 5;
const PRIOR_MIN_CHARS = 20;

// ---------------------------------------------------------------------------------------------
// Entry point

type LineRole = 'own' | 'blank' | 'header' | 'quote' | 'cut' | 'signoff';

interface QuoteBlock {
  start: number;
  end: number;
  /** The quote directly under an "On ... wrote:" header: the client's automatic full quote. */
  afterHeader: boolean;
}

type CutKind = 'reply-header' | 'outlook' | 'original-message' | 'forward' | 'footer' | 'signature' | 'mobile';

interface Cut {
  kind: CutKind;
  start: number;
  /** The line that triggered the cut, for the reason text. */
  marker: string;
}

interface Scan {
  role: LineRole[];
  quoteBlocks: QuoteBlock[];
  cut?: Cut;
  notes: string[];
}

export function extractVisibleText(body: string, options: VisibleTextOptions = {}): VisibleText {
  const lines = splitLines(body);
  const original = joinTrimmed(lines);
  if (original === '') {
    return { text: '', quoted: false, signatureRemoved: false, reason: 'empty body' };
  }

  const inFence = codeFenceMask(lines);
  const headers = findReplyHeaders(lines, inFence);
  const outlookBlocks = findOutlookBlocks(lines, inFence);

  const forward = findForward(lines, inFence, headers, outlookBlocks, options.subject);
  if (forward) {
    return keepForward(lines, forward);
  }

  const scan = scanLines(lines, inFence, headers, outlookBlocks);
  const signOff = findSignOffCard(lines, scan.role);
  if (signOff) {
    for (let k = signOff.start; k <= signOff.end; k++) if (scan.role[k] === 'own') scan.role[k] = 'signoff';
  }
  const quoteDecision = decideQuotes(lines, scan);

  // Reasons in document order: quotes, sign-off, then whatever ended the own text.
  const notes = [...scan.notes, ...quoteDecision.notes];
  let quoted = quoteDecision.removedAny || scan.role.includes('header');
  let signatureRemoved = false;
  if (signOff) {
    notes.push(`removed sign-off block '${abbreviate(lines[signOff.start]!.trim())}' (${plural(signOff.lines, 'line')})`);
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

// ---------------------------------------------------------------------------------------------
// Line helpers

function splitLines(body: string): string[] {
  return body.split(/\r\n|\r|\n/).map((line) => line.trimEnd());
}

/** Joins lines and trims the result: no leading/trailing blank lines or whitespace. */
function joinTrimmed(lines: string[]): string {
  return lines.join('\n').trim();
}

function isBlank(line: string | undefined): boolean {
  return line === undefined || line.trim() === '';
}

function isQuoted(line: string | undefined): boolean {
  return line !== undefined && /^\s*>/.test(line);
}

function nextNonBlank(lines: string[], from: number): number {
  let k = from;
  while (k < lines.length && isBlank(lines[k])) k++;
  return k;
}



function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function abbreviate(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/** Marks lines inside ``` / ~~~ fences (only closed ones): code is never a quote or signature. */
function codeFenceMask(lines: string[]): boolean[] {
  const mask = new Array<boolean>(lines.length).fill(false);
  let open = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > MAX_PATTERN_LINE || !/^\s*(?:```|~~~)/.test(line)) continue;
    if (open < 0) {
      open = i;
    } else {
      for (let k = open; k <= i; k++) mask[k] = true;
      open = -1;
    }
  }
  return mask;
}

// ---------------------------------------------------------------------------------------------
// Reply headers: "On Mon, Jan 5, 2026 at 10:01 AM Name <a@b> wrote:" and its localised,
// wrapped and verb-less variants.

/** Header start line → header end line. */
type HeaderSpans = Map<number, number>;

function findReplyHeaders(lines: string[], inFence: boolean[]): HeaderSpans {
  const spans: HeaderSpans = new Map();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inFence[i] || line.length > MAX_HEADER_LINE || !mayEndHeader(line.trim())) continue;
    const start = headerStartFor(lines, i);
    if (start === undefined || inFence[start]) continue;
    const known = spans.get(start);
    if (known === undefined || known < i) spans.set(start, i);
  }
  return spans;
}

function mayEndHeader(trimmed: string): boolean {
  return (
    COLON_END.test(trimmed) ||
    WROTE_END.test(trimmed) ||
    (trimmed.startsWith('--') && trimmed.endsWith('--')) ||
    GMAIL_ISO_LINE.test(trimmed) ||
    DATE_ADDRESS_LINE.test(trimmed)
  );
}

/** Where the header ending at line `end` starts, or undefined when it is no header. */
function headerStartFor(lines: string[], end: number): number | undefined {
  const endLine = lines[end]!;
  if (isQuoted(endLine) && !isQuotedHeaderTail(endLine)) return undefined;

  // Wrapped header with a recognisable first line ("On ...", "Am ...", a date).
  for (let j = Math.max(0, end - HEADER_LOOKBACK); j <= end; j++) {
    if (!HEADER_OPENER.test(lines[j]!.trim()) || !isHeaderSpan(lines, j, end)) continue;
    if (isReplyHeader(spanText(lines, j, end), true)) return j;
  }
  // Name-first header wrapped over two or three lines ("Name <a@b> schrieb am Fr., 28.\nApr. ...").
  for (let j = Math.max(0, end - 2); j < end; j++) {
    const first = lines[j]!;
    if (!(first.includes('@') || WROTE_ANYWHERE.test(first)) || !isHeaderSpan(lines, j, end)) continue;
    if (isReplyHeader(spanText(lines, j, end), false)) return j;
  }
  if (isQuoted(endLine)) return undefined;
  const single = endLine.trim();
  const standalone =
    isReplyHeader(single, HEADER_OPENER.test(single)) ||
    GMAIL_ISO_LINE.test(single) ||
    (DATE_ADDRESS_LINE.test(single) && /^\s*[>|]/.test(lines[nextNonBlank(lines, end + 1)] ?? ''));
  if (!standalone) return undefined;
  // A date wrapped onto the line above: "pe 20. lokakuuta 2017 klo 17.50 John Coe\n<a@b> kirjoitti:".
  let start = end;
  while (start > 0 && end - start < 2 && isHeaderContinuation(lines[start - 1]!)) start--;
  return start;
}

function isQuotedHeaderTail(line: string): boolean {
  return QUOTED_HEADER_TAIL.test(line);
}

/** Zoho frames its header in dashes: "---- On Tue, 22 Dec 2015 ... wrote ----" → "On ... wrote". */
function withoutDashFrame(text: string): string {
  if (!text.startsWith('--') || !text.endsWith('--')) return text;
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === '-') start++;
  while (end > start && text[end - 1] === '-') end--;
  return text.slice(start, end).trim();
}

function isHeaderContinuation(line: string): boolean {
  const trimmed = line.trim();
  return (
    trimmed !== '' &&
    trimmed.length <= 120 &&
    !isQuoted(line) &&
    /\d/.test(trimmed) &&
    !/[.,;:!?]$/.test(trimmed)
  );
}

/** Lines j..end can be one wrapped header: short, unquoted, no sentence ends, at most one gap. */
function isHeaderSpan(lines: string[], j: number, end: number): boolean {
  if (isBlank(lines[j]) || isQuoted(lines[j])) return false;
  let gaps = 0;
  for (let k = j; k <= end; k++) {
    const line = lines[k]!;
    if (isBlank(line)) {
      if (++gaps > 1) return false;
      continue;
    }
    if (line.length > MAX_HEADER_LINE) return false;
    if (k < end) {
      const trimmed = line.trim();
      if (isQuoted(line) || SENTENCE_END.test(trimmed) || COLON_END.test(trimmed)) return false;
    } else if (isQuoted(line) && !isQuotedHeaderTail(line)) {
      return false;
    }
  }
  return true;
}

function spanText(lines: string[], j: number, end: number): string {
  const parts: string[] = [];
  for (let k = j; k <= end; k++) {
    const trimmed = lines[k]!.trim();
    if (trimmed !== '') parts.push(trimmed);
  }
  return parts.join(' ');
}

function isReplyHeader(text: string, startsWithOpener: boolean): boolean {
  if (text.length > MAX_HEADER_TEXT) return false;
  const inner = withoutDashFrame(text);
  const hasDigit = /\d/.test(inner);
  const hasAddress = inner.includes('@');
  if (!hasDigit && !hasAddress) return false;
  // Real headers carry a time, a year or an address; "In ticket 1234 I wrote:" carries none.
  const hasDateEvidence = hasAddress || HEADER_TIME.test(inner) || HEADER_YEAR.test(inner);
  if (WROTE_COLON_END.test(inner)) return hasDateEvidence;
  if (!hasDigit) return false;
  if (hasAddress && (WROTE_END.test(inner) || ADDRESS_COLON_END.test(inner))) return true;
  return (startsWithOpener || hasAddress) && COLON_END.test(inner) && WROTE_BEFORE_NAME.test(inner);
}

/** Names the client behind an English quote header, for the reason text. */
function headerClient(text: string): string {
  if (/^On \d{1,2}[./]\d{1,2}[./]\d{2,4},? \d/.test(text)) return 'Thunderbird ';
  if (/^On .+, at \d/.test(text)) return 'Apple Mail ';
  if (/^On \w{3}, \w{3} \d{1,2}, \d{4},? at /.test(text)) return 'Gmail ';
  return '';
}

/** "On … wrote:", "Am … schrieb …:", "2016-03-03 …" — short enough for a reason text. */
function abbreviateHeader(text: string): string {
  const inner = withoutDashFrame(text.trim());
  const words = inner.split(/\s+/);
  if (words.length <= 2) return inner;
  const first = words[0]!;
  const wroteAtEnd = WROTE_END_OPTIONAL_COLON.exec(inner);
  if (wroteAtEnd) return `${first} … ${wroteAtEnd[0].replace(/\s+/g, '')}`;
  const wrote = WROTE_ANYWHERE.exec(inner);
  const colon = COLON_END.test(inner) ? ':' : '';
  return wrote ? `${first} … ${wrote[0]} …${colon}` : `${first} …${colon}`;
}

// ---------------------------------------------------------------------------------------------
// Outlook header blocks: "From: … Sent: … To: … Subject: …", localised, with or without bold.

/** Block start line → the block's lines (for the reason text). */
type OutlookBlocks = Map<number, { end: number; keys: string[] }>;

function headerKeyOf(line: string): { key: string; category: HeaderKey } | undefined {
  if (line.length > MAX_PATTERN_LINE) return undefined;
  const match = HEADER_KEY_LINE.exec(line);
  if (!match) return undefined;
  const key = match[1]!.toLowerCase();
  const category = HEADER_KEY_CATEGORY.get(key);
  return category ? { key: match[1]!, category } : undefined;
}

function findOutlookBlocks(lines: string[], inFence: boolean[]): OutlookBlocks {
  const blocks: OutlookBlocks = new Map();
  const keyOf = lines.map((line, i) => (inFence[i] ? undefined : headerKeyOf(line)));
  let coveredUntil = -1;
  for (let i = 0; i < lines.length; i++) {
    if (i <= coveredUntil || !keyOf[i]) continue;
    const categories = new Set<HeaderKey>();
    const keys: string[] = [];
    let end = i;
    for (let k = i; k < Math.min(lines.length, i + HEADER_BLOCK_WINDOW); k++) {
      const line = lines[k]!;
      if (isBlank(line)) break;
      const found = keyOf[k];
      if (found) {
        categories.add(found.category);
        keys.push(found.key);
        end = k;
      }
    }
    // From plus two other fields: a prose line starting "To:" or "Date:" is not enough.
    if (categories.has('from') && categories.size >= 3) {
      blocks.set(i, { end, keys });
      coveredUntil = end;
    }
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// Forwards

interface Forward {
  start: number;
  marker: string;
}

/** The mail is a forward when its first history marker is a forward marker (or the subject says so). */
function findForward(
  lines: string[],
  inFence: boolean[],
  headers: HeaderSpans,
  outlookBlocks: OutlookBlocks,
  subject: string | undefined,
): Forward | undefined {
  const forwardBySubject = subject !== undefined && FORWARD_SUBJECT.test(subject);
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

function isForwardMarker(line: string): boolean {
  return line.includes('--') ? FORWARD_SEPARATOR.test(line) : line.length < 80 && FORWARD_INTRO.test(line);
}

function isOriginalMessageLine(line: string): boolean {
  return line.includes('--') && ORIGINAL_MESSAGE.test(line);
}

function keepForward(lines: string[], forward: Forward): VisibleText {
  // The forwarder's own "Sent from my iPhone" above the forwarded message is still noise.
  const kept = lines.filter((line, i) => i >= forward.start || !isMobileSignature(line));
  const removedSignature = kept.length < lines.length;
  return {
    text: joinTrimmed(kept),
    quoted: false,
    signatureRemoved: removedSignature,
    reason:
      `kept the forwarded message below '${abbreviate(forward.marker)}'` +
      (removedSignature ? '; removed the mobile signature above it' : ''),
  };
}

// ---------------------------------------------------------------------------------------------
// The scan: one pass that classifies lines and stops at the first point where history begins.

function scanLines(lines: string[], inFence: boolean[], headers: HeaderSpans, outlookBlocks: OutlookBlocks): Scan {
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
    if (SIGNATURE_DELIMITER.test(line) && isSignatureSized(lines, i + 1, headers, outlookBlocks)) {
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

/**
 * A "-- " or "____" line starts a signature or list footer when what follows it, up to the
 * quoted history, is signature-sized; a long text after such a rule is more likely content.
 */
function isSignatureSized(lines: string[], from: number, headers: HeaderSpans, outlookBlocks: OutlookBlocks): boolean {
  let nonBlank = 0;
  for (let k = from; k < lines.length; k++) {
    const line = lines[k]!;
    if (headers.has(k) || outlookBlocks.has(k) || isQuoted(line)) break;
    if (line.length <= MAX_PATTERN_LINE && (isOriginalMessageLine(line) || UNDERSCORE_LINE.test(line))) break;
    if (!isBlank(line) && ++nonBlank > MAX_SIGNATURE_LINES) return false;
  }
  return true;
}

/** Marks the quoted block starting at `start` and returns the index after it. */
function markQuoteBlock(
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
    if (isWrappedQuoteLine(lines, k)) {
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

function describeCut(
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

// ---------------------------------------------------------------------------------------------
// Mobile signatures

export function isMobileSignature(line: string): boolean {
  if (line.length > 200 || !MOBILE_SIGNATURE_HINT.test(line) || isQuoted(line) || /[:：]\s*$/.test(line)) return false;
  const text = withoutSignatureDecoration(line);
  if (text === '' || wordCount(text) > MOBILE_SIGNATURE_MAX_WORDS || text.includes(':')) return false;
  return MOBILE_SIGNATURES.some((pattern) => pattern.test(text));
}

/** Links, brackets and "please excuse typos" tails removed; every step is linear in the line. */
function withoutSignatureDecoration(line: string): string {
  let text = line
    .trim()
    .replace(/<(?:https?:|mailto:)[^<>]{0,300}>/gi, ' ') // "Sent from Outlook Mobile<https://...>"
    .replace(/\[([^[\]]{0,100})\]\([^()\s]{0,300}\)/g, '$1') // "Get [Outlook for Android](https://...)"
    .replace(/https?:\/\/\S+/gi, ' ')
    .replace(/,\s+an? [^,]{0,40}(?:smartphone|phone|device)\.?$/i, ''); // "..., an AT&T 5G smartphone"
  const excuse = /(?:please )?(?:excuse|pardon|sorry for)\b/i.exec(text); // "..., please excuse typos"
  if (excuse) text = text.slice(0, excuse.index);
  return trimChars(text, ' \t.,;!-()<>[]').replace(/\s+/g, ' '); // "(sent from a phone)", "<<sent by galaxy>>"
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

/** "Regards,\n\nJohn Doe\nCEO @ Acme" at the end of the own text; a bare "Thanks,\nJohn" is kept. */
function findSignOffCard(lines: string[], role: LineRole[]): { start: number; end: number; lines: number } | undefined {
  let end = -1;
  for (let k = role.length - 1; k >= 0; k--) {
    if (role[k] === 'own') {
      end = k;
      break;
    }
    if (role[k] === 'quote' || role[k] === 'header') return undefined;
  }
  if (end < 0) return undefined;

  let cardLines = 0;
  let firstCardLine = '';
  for (let k = end; k >= 0; k--) {
    if (role[k] === 'blank') continue;
    if (role[k] !== 'own') return undefined;
    const line = lines[k]!;
    if (line.length <= MAX_PATTERN_LINE && SIGN_OFF.test(line.trim())) {
      if (cardLines < CARD_MIN_LINES || k === 0 || !hasOwnTextBefore(role, k)) return undefined;
      if (!CARD_NAME.test(firstCardLine)) return undefined;
      return { start: k, end, lines: cardLines + 1 };
    }
    cardLines++;
    firstCardLine = line.trim();
    if (cardLines > CARD_MAX_LINES || line.length > 80 || isCardSentence(firstCardLine)) return undefined;
  }
  return undefined;
}

/** "The printer is in room 5." or "P.S. ..." under a "Thanks!" is content, not a card. */
function isCardSentence(line: string): boolean {
  const words = wordCount(line);
  return words > CARD_MAX_WORDS || (words >= 5 && /[.?!]$/.test(line)) || /^p\.?\s?s\b/i.test(line);
}

function hasOwnTextBefore(role: LineRole[], index: number): boolean {
  for (let k = index - 1; k >= 0; k--) if (role[k] === 'own') return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Which quoted blocks stay

function decideQuotes(lines: string[], scan: Scan): { keep: Set<QuoteBlock>; removedAny: boolean; notes: string[] } {
  let lastOwn = -1;
  for (let k = scan.role.length - 1; k >= 0; k--) {
    if (scan.role[k] === 'own') {
      lastOwn = k;
      break;
    }
  }
  const answered = scan.quoteBlocks.filter((block) => block.end < lastOwn);
  const inline = answered.length >= 2;
  const keep = new Set<QuoteBlock>();
  const notes: string[] = [];
  let headerQuoteLines = 0;
  let trailingLines = 0;
  let headerCount = 0;
  let headerExample = { client: '', text: '' };

  for (const block of scan.quoteBlocks) {
    const quotedLines = countRole(scan.role, block.start, block.end, 'quote');
    if (block.end < lastOwn && (inline || !block.afterHeader)) {
      keep.add(block);
    } else if (block.afterHeader) {
      headerQuoteLines += quotedLines;
    } else {
      trailingLines += quotedLines;
    }
    if (block.afterHeader) {
      headerCount++;
      if (headerExample.text === '') headerExample = headerTextAbove(lines, scan.role, block.start);
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
function composeKeptLines(lines: string[], role: LineRole[], keep: Set<QuoteBlock>): string[] {
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

// ---------------------------------------------------------------------------------------------
// Text we sent earlier, pasted back without quote markers

function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/^[ \t]*(?:>[ \t]?)+/gm, '').match(/[\p{L}\p{N}]+/gu) ?? [];
}

function buildShingles(priorTexts: string[]): Set<string> {
  const shingles = new Set<string>();
  for (const text of priorTexts) {
    const words = wordsOf(text);
    for (let size = 1; size <= PRIOR_SHINGLE; size++) {
      for (let k = 0; k + size <= words.length; k++) shingles.add(words.slice(k, k + size).join(' '));
    }
  }
  return shingles;
}

/** Every run of PRIOR_SHINGLE words (or the whole text when shorter) occurs in what we sent. */
function repeatsPrior(words: string[], shingles: Set<string>): boolean {
  if (words.length === 0) return false;
  const size = Math.min(PRIOR_SHINGLE, words.length);
  for (let k = 0; k + size <= words.length; k++) {
    if (!shingles.has(words.slice(k, k + size).join(' '))) return false;
  }
  return true;
}

function removePriorText(
  lines: string[],
  priorTexts: string[],
): { lines: string[]; removedParagraphs: number; removedLines: number } {
  const shingles = buildShingles(priorTexts);
  const paragraphs = splitParagraphs(lines);
  const removed = new Array<boolean>(lines.length).fill(false);
  const paragraphRemoved = paragraphs.map(() => false);
  let removedParagraphs = 0;

  paragraphs.forEach((paragraph, p) => {
    const text = paragraph.lines.map((k) => lines[k]!).join('\n');
    const words = wordsOf(text);
    if (text.replace(/\s+/g, ' ').trim().length >= PRIOR_MIN_CHARS && repeatsPrior(words, shingles)) {
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
    const words = wordsOf(paragraph.lines.map((k) => lines[k]!).join('\n'));
    if (nextToRemoved && words.length <= 6 && repeatsPrior(words, shingles)) {
      for (const k of paragraph.lines) removed[k] = true;
    }
  });

  const removedLines = removed.filter(Boolean).length;
  return { lines: lines.filter((_, k) => !removed[k]), removedParagraphs, removedLines };
}

function removeRepeatedLineRuns(lines: string[], indices: number[], shingles: Set<string>, removed: boolean[]): number {
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
    if (words.length >= 3 && repeatsPrior(words, shingles)) run.push(k);
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

// ---------------------------------------------------------------------------------------------
// Trailing noise

/** Drops blank lines, bare rules ("----", "____") and quoted lines from the end. */
function dropTrailingNoise(lines: string[]): { lines: string[]; quotedLines: number } {
  let end = lines.length;
  let quotedLines = 0;
  while (end > 0) {
    const line = lines[end - 1]!;
    if (isBlank(line) || (line.length <= MAX_PATTERN_LINE && TRAILING_RULE.test(line))) {
      end--;
    } else if (isQuoted(line)) {
      quotedLines++;
      end--;
    } else {
      break;
    }
  }
  return { lines: lines.slice(0, end), quotedLines };
}
