/** Message-IDs, In-Reply-To and References: how an id is read, and how long it may be. */

/**
 * Bytes a Message-ID (or a thread id) may have. RFC 5322 sets none beyond the 998-character
 * line; real clients write at most a few hundred. A longer one cannot be echoed on a header
 * line (In-Reply-To, References) and is not an identity anyone threads on.
 */
export const MAX_MESSAGE_ID_BYTES = 900;

export const idTooLong = (id: string) => Buffer.byteLength(id, 'utf8') > MAX_MESSAGE_ID_BYTES;

/**
 * A Message-ID (or one In-Reply-To value) as stored: the first `<...>` token's content, or the
 * first whitespace-separated token without brackets; whitespace removed; case kept as is.
 * Returns '' when nothing is left.
 */
export function normaliseMessageId(value: string): string {
  const trimmed = value.trim();
  const bracketed = /<([^<>]*)>/.exec(trimmed);
  const id = bracketed ? (bracketed[1] as string) : (trimmed.split(/[\s,]+/)[0] ?? '').replace(/^<+|>+$/g, '');
  return id.replace(/\s+/g, '');
}

/**
 * All message ids in an In-Reply-To/References value, in order, without duplicates: the
 * `<...>` tokens; when there are none, the whitespace/comma-separated words that contain an
 * `@` (so "Your message of Monday" yields nothing).
 */
export function extractMessageIds(value: string): string[] {
  let ids = [...value.matchAll(/<([^<>]*)>/g)].map((m) => (m[1] as string).replace(/\s+/g, '')).filter(Boolean);
  if (!ids.length) {
    ids = value
      .split(/[\s,]+/)
      .map((word) => word.replace(/^[<(]+|[>),;]+$/g, ''))
      .filter((word) => word.includes('@') && !/[<>]/.test(word));
  }
  return [...new Set(ids)];
}
