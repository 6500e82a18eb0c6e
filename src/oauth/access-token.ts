/**
 * An OAuth2 access token for a mailbox API or IMAP's XOAUTH2, from whichever identity platform
 * issues it (Microsoft's, Google's). Sources cache the token and fetch a new one shortly before
 * it expires; a caller that is told the token was refused (HTTP 401) calls `refresh`.
 * A token is a secret: it never goes into an error message or a log line.
 */
export interface AccessTokenSource {
  /** A token valid for at least the source's margin from now. */
  token(): Promise<string>;
  /** The API refused the cached token (revoked, expired early): the next token() fetches a new one. */
  refresh(): void;
}

export interface IssuedToken {
  accessToken: string;
  /** When the issuer says it stops working. */
  expiresAt: Date;
}

/** Fetch again this long before expiry, so a token never runs out in the middle of a poll's request. */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Caches what `issue` returns until `margin` before its expiry. Concurrent callers share one
 * request; a failed request is not cached.
 */
export function cachedTokenSource(issue: () => Promise<IssuedToken>, now: () => Date, marginMs = DEFAULT_REFRESH_MARGIN_MS): AccessTokenSource {
  let current: IssuedToken | null = null;
  let inFlight: Promise<IssuedToken> | null = null;
  return {
    async token() {
      if (current && current.expiresAt.getTime() - marginMs > now().getTime()) return current.accessToken;
      inFlight ??= issue().finally(() => {
        inFlight = null;
      });
      current = await inFlight;
      return current.accessToken;
    },
    refresh() {
      current = null;
    },
  };
}
