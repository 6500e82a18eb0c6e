/**
 * How far a mail's From address can be believed, and what that allows. Any header can be
 * forged; the evidence is only ever what our own border said: the SES receipt's verdicts, or
 * the topmost Authentication-Results header of an authserv-id the configuration names for that
 * mailbox (auth-results.ts). With neither, nothing is believed. A Microsoft 365 mailbox has one
 * more: Exchange Online's own mark on mail sent from inside the organisation (below).
 *
 * - Authenticated: DMARC passed, or a DKIM signature passed whose domain is aligned with the
 *   From domain. SPF alone never counts: it checks the envelope domain, which the sender picks.
 * - Forged: DMARC failed, i.e. the From domain's own policy says the mail is not from it.
 */
import { borderVerdict } from './auth-results.js';
import type { Verdicts, VerdictStatus } from './receipt.js';

export interface SenderAuthentication {
  /**
   * Where the verdict comes from: the receipt SES handed over, our border's header, the
   * mailbox's own organisation (a mailbox user of the same Microsoft 365 tenant), or nothing.
   */
  source: 'receipt' | 'border' | 'organisation' | 'none';
  spf: VerdictStatus;
  dkim: VerdictStatus;
  dmarc: VerdictStatus;
  /** The domain of a passing DKIM signature aligned with the From domain, if any. */
  dkimAlignedDomain: string | null;
  /** Where the verdict was read, in words (for reasons). */
  evidence: string;
}

export interface AuthenticationEvidence {
  /** SES receipt verdicts, when the mail came with a receipt. */
  verdicts: Verdicts | null;
  /** Every Authentication-Results value of the mail, topmost first. */
  authResults: string[];
  /** The authserv-ids our border writes for this mailbox; empty: headers prove nothing. */
  trustedIds: string[];
  fromDomain: string | null;
  /**
   * For a Microsoft 365 mailbox (read through Graph, or IMAP with the app's token): every
   * X-MS-Exchange-Organization-AuthAs value of the mail. Null: not such a mailbox, not read.
   */
  exchangeAuthAs?: string[] | null;
}

/**
 * Exchange Online stamps `X-MS-Exchange-Organization-AuthAs: Internal` on mail a signed-in user of
 * the organisation sent (as an address Exchange lets that user send as), and its header firewall
 * removes every X-MS-Exchange-Organization- header from mail that comes from outside. Mail between
 * two people of one tenant carries no DMARC verdict (Exchange writes `dmarc=none`), so without
 * this a support mailbox in Microsoft 365 would never see its own staff as authenticated.
 */
const EXCHANGE_INTERNAL = 'Exchange Online marked it as sent by a signed-in user of the organisation (X-MS-Exchange-Organization-AuthAs: Internal, a header it removes from mail from outside)';

export function senderAuthentication(e: AuthenticationEvidence): SenderAuthentication {
  const border = e.trustedIds.length ? borderVerdict(e.authResults, e.trustedIds, e.fromDomain) : null;
  if (e.verdicts) {
    const { spf, dkim, dmarc } = e.verdicts;
    // SES's own header (the topmost, written as it stored the mail) says which domain signed.
    return { source: 'receipt', spf, dkim, dmarc, dkimAlignedDomain: dkim === 'PASS' ? (border?.dkimAlignedDomain ?? null) : null, evidence: 'the SES receipt' };
  }
  // Exactly one mark, and no DMARC failure: a second AuthAs would be a header that got past the firewall.
  const internal = e.exchangeAuthAs?.length === 1 && e.exchangeAuthAs[0]!.trim().toLowerCase() === 'internal';
  if (border && (border.dmarc === 'PASS' || border.dkimAlignedDomain !== null || border.dmarc === 'FAIL' || !internal)) {
    const { spf, dkim, dmarc, dkimAlignedDomain, evidence } = border;
    return { source: 'border', spf, dkim, dmarc, dkimAlignedDomain, evidence };
  }
  if (internal) {
    return { source: 'organisation', spf: border?.spf ?? 'GRAY', dkim: border?.dkim ?? 'GRAY', dmarc: border?.dmarc ?? 'GRAY', dkimAlignedDomain: null, evidence: EXCHANGE_INTERNAL };
  }
  const why = e.trustedIds.length
    ? `no Authentication-Results header of ${e.trustedIds.map((id) => id || '(no authserv-id)').join(' or ')} on top`
    : 'no receipt, and no authserv-id is trusted for this mailbox';
  return { source: 'none', spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY', dkimAlignedDomain: null, evidence: why };
}

/** The From domain, or the mailbox's own organisation, vouches for the mail. */
export function isAuthenticated(a: SenderAuthentication): boolean {
  return a.dmarc === 'PASS' || a.dkimAlignedDomain !== null || a.source === 'organisation';
}

/** The From domain's own DMARC policy says the mail is not from it. */
export function isForged(a: SenderAuthentication): boolean {
  return a.dmarc === 'FAIL';
}

/** The verdict in a few words: "DMARC pass", "DKIM aligned with x", "DMARC fail", "not authenticated (…)". */
export function authenticationWords(a: SenderAuthentication): string {
  if (a.dmarc === 'PASS') return `DMARC pass (${a.evidence})`;
  if (a.dkimAlignedDomain) return `DKIM pass aligned with ${a.dkimAlignedDomain} (${a.evidence})`;
  if (a.dmarc === 'FAIL') return `DMARC fail (${a.evidence})`;
  if (a.source === 'organisation') return `sent from inside the organisation (${a.evidence})`;
  if (a.source === 'none') return `not authenticated: ${a.evidence}`;
  const spf = a.spf === 'PASS' ? ', SPF pass does not count: it checks a domain the sender chooses' : '';
  return `not authenticated: DMARC ${a.dmarc}, DKIM ${a.dkim}${a.dkim === 'PASS' ? ' but not aligned with From' : ''}${spf} (${a.evidence})`;
}
