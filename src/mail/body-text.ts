/** The text of an HTML body, for a mail that has no text/plain part. */
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
