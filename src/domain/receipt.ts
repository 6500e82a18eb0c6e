/** SES receipt verdicts, as the receipt rule reports them (and the CLI's sidecar file). */

export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

export interface Verdicts {
  spam: VerdictStatus;
  virus: VerdictStatus;
  spf: VerdictStatus;
  dkim: VerdictStatus;
  dmarc: VerdictStatus;
}


/** Where a raw mail came from and what the receiving side said about it. */
export interface Receipt {
  source: 'ses' | 's3' | 'imap' | 'smtp';
  /** Blob key of the raw message (kept before and after processing). */
  rawKey: string;
  receivedAt: string;
  /** Envelope recipients, when the receiver knows them. */
  recipients: string[];
  /** null: read them from the headers SES wrote into the stored mail. */
  verdicts: Verdicts | null;
  /** An operator re-ran this mail (`ticketing replay`): the limits for new mail do not apply. */
  replayed?: boolean;
}

/** Mail we must not turn into a ticket at all; it is kept in quarantine for a person to look at. */
export function quarantineVerdict(verdicts: Verdicts): string | null {
  if (verdicts.virus === 'FAIL') return 'SES virus scan: FAIL (held so no one opens the attachment)';
  if (verdicts.spam === 'FAIL') return 'SES spam filter: FAIL';
  return null;
}

/**
 * The spam and virus verdicts SES writes into the mail it stores (X-SES-Spam-Verdict,
 * X-SES-Virus-Verdict), for S3-triggered deliveries that come without a receipt. Sender
 * authentication is read from SES's own Authentication-Results header (sender-trust.ts).
 */
export function sesVerdictsFromHeaders(headers: Record<string, string[]>): Verdicts {
  const ses = (name: string): VerdictStatus => {
    const value = headers[name]?.[0]?.trim().toUpperCase();
    return value === 'PASS' || value === 'FAIL' || value === 'GRAY' || value === 'PROCESSING_FAILED' ? value : 'GRAY';
  };
  return { spam: ses('x-ses-spam-verdict'), virus: ses('x-ses-virus-verdict'), spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY' };
}
