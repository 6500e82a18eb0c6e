/** The text of an HTML body, for a mail that has no text/plain part; and whether a "text/plain" part is really HTML. */
import { convert, type HtmlToTextOptions } from 'html-to-text';

/** Characters of HTML converted to text at most (html-to-text's own limit is 16 M). */
export const MAX_HTML_TO_TEXT_CHARS = 4 * 1024 * 1024;

const HTML_TO_TEXT: HtmlToTextOptions = {
  wordwrap: false,
  limits: { maxDepth: 256 },
  selectors: [
    { selector: 'img', format: 'skip' },
    {
      selector: 'a',
      options: {
        hideLinkHrefIfSameAsText: true,
        noAnchorUrl: true,
        // "mailto:x@y" around the text "x@y" is the same link
        pathRewrite: (path: string) => path.replace(/^mailto:/i, ''),
      },
    },
  ],
};

/** Plain text of an HTML body: no wrapping, no images, a link's address only where it differs from its text. */
export function htmlToText(html: string): string {
  return convert(html, HTML_TO_TEXT);
}

/** An opening tag that HTML mail starts with (after a BOM, whitespace, a comment), up to the tag's name. */
const HTML_START = /^\uFEFF?\s*(?:<!--[\s\S]{0,2000}?-->\s*)?(<(?:!doctype\s+html|html|head|body|div|p|table|span|font|meta|style|center|blockquote))(?=[\s>/])/i;
/** A closing tag: text that only starts with something tag-like is not yet HTML. */
const CLOSING_TAG = /<\/[a-z][a-z0-9]*\s*>/i;

/** How a text that is clearly HTML starts (`<div`, `<!DOCTYPE html`, …), or null when it is not clearly HTML. */
export function htmlStart(text: string): string | null {
  const start = HTML_START.exec(text.slice(0, 4096))?.[1];
  return start !== undefined && CLOSING_TAG.test(text) ? start : null;
}
