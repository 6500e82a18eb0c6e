/**
 * The first bytes of the parts of a mail that carry another mail's headers: a bounce's copy of
 * the message it is about (RFC 3464 / RFC 6533 report parts), which names the mail we sent.
 */
import { PassThrough, type Readable } from 'node:stream';

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

/** Collects the start of each embedded-headers part as the parts stream past (latin1, as bytes). */
export class EmbeddedHeaders {
  readonly texts: string[] = [];

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
      out.on('end', () => this.texts.push(Buffer.concat(chunks).toString('latin1')));
    }
    content.pipe(out);
    return out;
  }
}
