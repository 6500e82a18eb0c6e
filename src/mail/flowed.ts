/**
 * Decoding text/plain format=flowed (RFC 3676) with quote depth. mailparser decodes flowed text
 * through libmime's decodeFlowed, which joins a soft-broken line with the next whatever their
 * quote depth: a reply written right under a quote (Thunderbird does this) becomes the tail of
 * the last quoted line, and the whole body reads as quoted. RFC 3676 §4.5: a soft break joins
 * only lines of the same quote depth; a line of another depth ends the paragraph.
 */

/** The quote marks at a line's start, e.g. ">>" of ">> text" (RFC 3676 §4.5: no spaces between them). */
const QUOTE_MARKS = /^>+/;
/** RFC 3676 §4.3: the signature separator is never a soft break. */
const SIGNATURE_SEPARATOR = '-- ';

/**
 * The flowed text unwrapped: soft-broken lines of the same quote depth joined, quote marks
 * kept once at the start of each paragraph ("> "), space-stuffing removed, `delSp` spaces
 * dropped. Works on strings of any encoding read byte for byte (latin1), as mailparser passes.
 */
export function decodeFlowed(text: string, delSp = false): string {
  const out: string[] = [];
  let open: { depth: number; text: string } | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const marks = QUOTE_MARKS.exec(raw)?.[0] ?? '';
    const depth = marks.length;
    // Space-stuffing (§4.4): one space after the quote marks (or at the start) is not content.
    const content = raw.slice(depth).replace(/^ /, '');
    const soft = content.endsWith(' ') && content !== SIGNATURE_SEPARATOR;
    const piece = soft && delSp ? content.slice(0, -1) : content;
    if (open && open.depth === depth) open.text += piece;
    else {
      if (open) out.push(line(open));
      open = { depth, text: piece };
    }
    if (!soft) {
      out.push(line(open));
      open = null;
    }
  }
  if (open) out.push(line(open));
  return out.join('\n');
}

function line(p: { depth: number; text: string }): string {
  return p.depth ? `${'>'.repeat(p.depth)} ${p.text}` : p.text;
}
