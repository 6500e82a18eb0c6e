/**
 * A local-part character: letters, digits and marks of any script, RFC 5322 atext, emoji
 * (RFC 6531 allows any non-ASCII), and the zero-width joiners some scripts need. Not quotes,
 * brackets, commas, colons, semicolons or whitespace: those surround addresses in text.
 */
const LOCAL = String.raw`\p{L}\p{N}\p{M}\p{So}\u200C\u200D!#$%&'*+\/=?^_\x60{|}~.\-`;
/** A domain-label character, IDN (Unicode) and punycode (`xn--`) alike. */
const LABEL = String.raw`\p{L}\p{N}\p{M}\-`;

/**
 * local-part @ domain. The lookbehind makes a dot-atom local part start where its run of
 * local-part characters starts, so each run is scanned once (linear, even on a megabyte with no
 * `@`) and no tail of a longer local part is ever taken for the whole. The domain needs a dot and
 * a last label starting with a letter (no `@mention`, `user@host`, `pkg@1.2.3`); an address
 * literal (`[192.0.2.1]`) also counts.
 */
const ADDRESS = new RegExp(
  String.raw`(?:"((?:[^"\\\r\n]|\\.){1,64})"|(?<![${LOCAL}])([${LOCAL}]+))@` +
    String.raw`(?=(?:[${LABEL}]+\.)+\p{L}|\[[0-9A-Fa-f:.]+\])`,
  'gu',
);

/**
 * Log-safe text: addresses keep their domain and the first character of their local part
 * (`m…@northwind.example`, `"j…"@x.example` for a quoted local part), in any script.
 */
export function redactAddresses(text: string): string {
  return text.replace(ADDRESS, (_match: string, quoted: string | undefined, dotAtom: string) =>
    quoted !== undefined ? `"${firstCharacter(quoted)}…"@` : `${firstCharacter(dotAtom)}…@`,
  );
}

function firstCharacter(text: string): string {
  return String.fromCodePoint(text.codePointAt(0)!);
}
