/**
 * One recipient a bounce says failed, and the pieces every bounce reader picks out of the words:
 * a mailbox address, an enhanced status code, the remote server's diagnostic. No I/O.
 */

export interface FailedRecipient {
  /** Lower-cased mailbox address. */
  address: string;
  /** RFC 3464 Action (lower-cased), or 'failed' when the bounce does not say. */
  action: string;
  /** Enhanced status code such as 5.1.1, when the bounce gives one. */
  status: string | null;
  /** The remote server's words (Diagnostic-Code, or the fallback paragraph), whitespace squeezed. */
  diagnostic: string | null;
}

export const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/;
/** Not part of a longer dotted number: `10.5.1.2` is an IP address, not status 5.1.2. */
export const STATUS_CODE = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)/;
/** An SMTP reply code followed by an enhanced status code: `550 5.1.1`, `550-5.7.26`, `550-'5.7.1`. */
export const REPLY_AND_STATUS = /\b[245]\d\d[ -]['"]?#?([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)/;
const MAX_DIAGNOSTIC = 500;

export function lines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

export function squeeze(text: string): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > MAX_DIAGNOSTIC ? `${s.slice(0, MAX_DIAGNOSTIC - 1)}…` : s;
}

/** `rfc822; <X@Y>` → `x@y`; null when there is no mailbox address in it. */
export function addressOf(value: string): string | null {
  const typed = /^\s*[\w.-]+\s*;\s*(.*)$/.exec(value);
  const raw = (typed ? (typed[1] as string) : value).trim().replace(/^<|>$/g, '').trim().toLowerCase();
  return ADDRESS.test(raw) ? raw : null;
}

/** `smtp; 550 5.1.1 …` → `550 5.1.1 …`. */
export function diagnosticOf(value: string): string | null {
  const s = squeeze(value.replace(/^\s*[\w.-]+\s*;\s*/, ''));
  return s || null;
}
