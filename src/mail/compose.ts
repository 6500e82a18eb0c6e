/**
 * Outbound mail as raw RFC 5322 bytes, built by nodemailer's MailComposer (never by hand):
 * multipart/alternative text + HTML in UTF-8, our own Message-ID, the thread headers and the
 * auto-reply markers that keep mail loops from starting.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { encodeWord } from 'nodemailer/lib/mime-funcs';
import { withoutSubjectPrefixes } from '../domain/subject-prefixes.js';
import { escapeRegExp } from '../domain/text.js';
import { parseThreadIndex } from './thread-index.js';

export interface OutboundMail {
  /** The support address. */
  from: { name: string; address: string };
  to: string[];
  cc: string[];
  /** The ticket's plus-address, e.g. support+tkt-42@northwind.example. */
  replyTo: string;
  subject: string;
  /** Without <>; we choose it. */
  messageId: string;
  /** Without <>. */
  inReplyTo: string | null;
  /** Without <>, oldest first. */
  references: string[];
  text: string;
  html: string;
  date: Date;
  /**
   * How the mail marks itself (RFC 3834): `auto-replied` answers a mail automatically,
   * `auto-generated` is a notice nobody wrote (staff notifications), `null` a person's words
   * (a relayed staff reply, which the requester should answer like any mail). Default `auto-replied`.
   */
  automatic?: 'auto-replied' | 'auto-generated' | null;
  /**
   * Outlook's conversation (src/mail/thread-index.ts): Thread-Index, base64, and Thread-Topic,
   * the conversation's subject without prefixes. Outlook groups by these, not by References.
   * Both or neither; a plan made before they existed has neither.
   */
  threadIndex?: string;
  threadTopic?: string;
}

export class ComposeError extends Error {
  override name = 'ComposeError';
}

/**
 * How many ids References keeps. RFC 5322 §3.6.4 wants the parent's References plus the
 * parent's id, which grows without bound on a long ticket; clients and MTAs cope badly with
 * huge headers (and some truncate them). We keep the first id (the thread root, which every
 * client threads on) and the most recent ones, ending with the In-Reply-To id — the trimming
 * Usenet (RFC 5537 §3.4.4) uses for the same problem.
 */
export const MAX_REFERENCES = 10;

/**
 * Headers that mark the mail as an automatic response.
 *
 * - `Auto-Submitted: auto-replied` is the standard signal (RFC 3834 §5): responders conforming to
 *   it do not answer, so no vacation-reply ping-pong.
 * - `X-Auto-Response-Suppress: All` is Exchange/Outlook's own switch for out-of-office replies,
 *   read receipts and the like; Exchange does not honour Auto-Submitted for all of them.
 * - `Precedence` is deliberately NOT set. It was never standardized (RFC 2076 calls it
 *   "non-standard, controversial, discouraged"); RFC 3834 §3.1.8 only says a response MAY carry
 *   `bulk`/`junk`/`list` for responders that predate it. The cost is real: mailbox providers
 *   (Gmail among them) use `Precedence: bulk` to file mail as bulk, and the acknowledgement with
 *   the ticket number is exactly the mail the user must see. An old responder that still
 *   answers is caught on our side: the inbound rules treat auto-replies as machine mail (never
 *   a ticket) and outbound replies are rate-limited per sender and per ticket.
 */
function automaticHeaders(kind: 'auto-replied' | 'auto-generated' | null): Record<string, string> {
  return kind ? { 'Auto-Submitted': kind, 'X-Auto-Response-Suppress': 'All' } : {};
}

/**
 * RFC 5322 §2.1.1: a header line is at most 998 characters (SES refuses longer ones). The
 * composer folds only at whitespace, so a subject word longer than "Subject: " and the rest of
 * a line (a pasted token or URL) would make a longer line: such a subject goes out as encoded
 * words, which fold anywhere and decode to the same text.
 */
const LONGEST_SUBJECT_WORD = 998 - 'Subject: '.length;
const TOO_LONG_FOR_A_LINE = new RegExp(`\\S{${LONGEST_SUBJECT_WORD + 1}}`);

/** Thread-Index and Thread-Topic, when the mail is in an Outlook conversation. */
function conversationHeaders(mail: Pick<OutboundMail, 'threadIndex' | 'threadTopic'>): Record<string, string> {
  if (mail.threadIndex === undefined) return {};
  if (!parseThreadIndex(mail.threadIndex)) throw new ComposeError(`invalid Thread-Index "${mail.threadIndex.slice(0, 80)}": expected base64 of a conversation index`);
  const topic = mail.threadTopic ?? '';
  return topic ? { 'Thread-Topic': subjectValue(topic), 'Thread-Index': mail.threadIndex } : { 'Thread-Index': mail.threadIndex };
}

function subjectValue(subject: string): string {
  if (!TOO_LONG_FOR_A_LINE.test(subject)) return subject;
  // line breaks become spaces, as the composer does for any unstructured header
  return encodeWord(subject.replace(/\r?\n|\r/g, ' '), 'B', 52);
}

/**
 * A msg-id without its brackets, as a header can carry it: printable US-ASCII (RFC 5322 §3.6.4;
 * a UTF-8 id needs SMTPUTF8, which SES does not offer), no brackets, one @ with text either side,
 * and short enough that "In-Reply-To: <id>" fits on a 998-character line.
 */
const MSG_ID = /^[!-;=?A-~]+@[!-;=?A-~]+$/;
const LONGEST_MSG_ID = 998 - 'In-Reply-To: <>'.length;

function isMsgId(id: string): boolean {
  return id.length <= LONGEST_MSG_ID && MSG_ID.test(id);
}

export async function composeMail(mail: OutboundMail): Promise<Buffer> {
  const messageId = stripBrackets(mail.messageId);
  if (!isMsgId(messageId)) throw new ComposeError(`invalid Message-ID "${mail.messageId}": expected local@domain without <>`);
  if (mail.to.length === 0 && mail.cc.length === 0) throw new ComposeError('no recipients: To and Cc are both empty');
  const inReplyTo = mail.inReplyTo === null ? null : cleanId(mail.inReplyTo);
  const references = referencesChain(mail.references, inReplyTo, messageId);

  const composer = new MailComposer({
    from: { name: mail.from.name, address: mail.from.address },
    to: mail.to,
    cc: mail.cc.length ? mail.cc : undefined,
    replyTo: mail.replyTo,
    subject: subjectValue(mail.subject),
    messageId: `<${messageId}>`,
    date: mail.date,
    inReplyTo: inReplyTo ? `<${inReplyTo}>` : undefined,
    references: references.length ? references.map((id) => `<${id}>`) : undefined,
    // Explicit charset so the parts never depend on the composer's guess.
    text: { content: mail.text, contentType: 'text/plain; charset=utf-8' },
    html: { content: mail.html, contentType: 'text/html; charset=utf-8' },
    headers: { ...automaticHeaders(mail.automatic === undefined ? 'auto-replied' : mail.automatic), ...conversationHeaders(mail) },
    // Encoded words in base64: shorter than Q for CJK and emoji subjects and names.
    textEncoding: 'B',
    // Content is always the strings above: no reading files or fetching URLs, ever.
    disableFileAccess: true,
    disableUrlAccess: true,
    newline: 'win',
  });
  return composer.compile().build();
}

/**
 * The References chain: ids cleaned and de-duplicated (oldest occurrence kept), our own id
 * left out, the In-Reply-To id last, and at most MAX_REFERENCES ids (the first plus the most
 * recent). Ids from inbound mail that a header cannot carry (see `isMsgId`) are dropped rather
 * than breaking the header.
 */
export function referencesChain(references: string[], inReplyTo: string | null, ownId?: string): string[] {
  const seen = new Set<string>();
  const chain: string[] = [];
  const parent = inReplyTo === null ? null : cleanId(inReplyTo);
  for (const raw of references) {
    const id = cleanId(raw);
    if (!id || id === ownId || id === parent || seen.has(id)) continue;
    seen.add(id);
    chain.push(id);
  }
  if (parent && parent !== ownId) chain.push(parent);
  if (chain.length <= MAX_REFERENCES) return chain;
  return [chain[0]!, ...chain.slice(chain.length - (MAX_REFERENCES - 1))];
}

function stripBrackets(id: string): string {
  return id.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
}

function cleanId(id: string): string | null {
  const bare = stripBrackets(id);
  return isMsgId(bare) ? bare : null;
}

/**
 * `Re: [TKT-42] VPN down` from whatever subject the mail had: every reply/forward prefix and
 * every ticket tag of our prefix (`[TKT-7]`, any number, any case) is removed so the subject
 * carries exactly one tag, the right one. Other bracketed text (`[External]`, `[urgent]`) stays.
 */
export function replySubject(prefix: string, ticketNumber: number, originalSubject: string): string {
  const tagPattern = new RegExp(`\\[\\s*${escapeRegExp(prefix)}\\s*-\\s*\\d+\\s*\\]`, 'giu');
  let subject = originalSubject.replace(/[\r\n\t]+/g, ' ').replace(tagPattern, ' ');
  // Leading prefixes, also behind other leading bracket tags (`[External] RE: …`), which stay.
  const kept: string[] = [];
  let previous: string;
  do {
    previous = subject;
    subject = withoutSubjectPrefixes(subject);
    const bracket = /^\s*(\[[^\]]*\])\s*/u.exec(subject);
    if (bracket) {
      kept.push(bracket[1]!);
      subject = subject.slice(bracket[0].length);
    }
  } while (subject !== previous);
  subject = [...kept, subject].join(' ').replace(/\s{2,}/g, ' ').trim();
  const tag = `[${prefix}-${ticketNumber}]`;
  return subject ? `Re: ${tag} ${subject}` : `Re: ${tag}`;
}

