/**
 * The first bytes of the parts of a mail that carry another mail's headers: a bounce's copy of
 * the message it is about (RFC 3464 / RFC 6533 report parts), which names the mail we sent; a
 * message forwarded as an attachment, whose sender a staff forward opens the ticket for.
 */
import { PassThrough, type Readable } from 'node:stream';
import { MalformedMailError, parseMail, type ParseLimits } from './parse.js';
import type { InboundMessage } from './types.js';

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
/** A whole mail attached (forwarded as an attachment), not a report about one. */
const ATTACHED_MESSAGE_TYPES: ReadonlySet<string> = new Set(['message/rfc822', 'message/global']);
/** More attached messages than this are not read: which of them would be the request? */
export const MAX_ATTACHED_MESSAGES = 3;

/** Collects the start of each embedded-headers part as the parts stream past (latin1, as bytes). */
export class EmbeddedHeaders {
  readonly texts: string[] = [];
  /** The start of each attached whole message (message/rfc822, message/global), in the mail's order. */
  readonly messages: string[] = [];

  /** The part's content, passed on unchanged; its first bytes are kept when its type is one of ours. */
  tap(contentType: string, content: Readable): Readable {
    const out = new PassThrough();
    if (EMBEDDED_HEADER_TYPES.has(contentType.toLowerCase())) {
      let seen = 0;
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => {
        if (seen < EMBEDDED_SNIFF_BYTES) chunks.push(c.subarray(0, EMBEDDED_SNIFF_BYTES - seen));
        seen += c.length;
      });
      const whole = ATTACHED_MESSAGE_TYPES.has(contentType.toLowerCase());
      out.on('end', () => {
        const text = Buffer.concat(chunks).toString('latin1');
        this.texts.push(text);
        if (whole) this.messages.push(text);
      });
    }
    content.pipe(out);
    return out;
  }
}

/**
 * The attached messages, parsed from their first bytes (their headers and text come first; a
 * long one is read as far as it was kept, and says so in its parse warnings). One that is not a
 * mail at all is left out.
 */
export async function readAttachedMessages(starts: string[], limits: ParseLimits): Promise<InboundMessage[]> {
  const read: InboundMessage[] = [];
  for (const start of starts.slice(0, MAX_ATTACHED_MESSAGES)) {
    try {
      read.push(await parseMail(Buffer.from(start, 'latin1'), { limits }));
    } catch (err) {
      if (!(err instanceof MalformedMailError)) throw err;
    }
  }
  return read;
}
