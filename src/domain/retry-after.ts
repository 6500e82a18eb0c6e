/**
 * An HTTP Retry-After value (RFC 9110 §10.2.3), as the mailbox APIs and identity platforms send
 * it on 429 and 503: delay-seconds or an HTTP date. In milliseconds from `now`; null when absent
 * or unreadable, so each caller picks its own default.
 */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
