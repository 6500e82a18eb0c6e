/** SES receipt verdicts, as the receipt rule reports them (and the CLI's sidecar file). */

export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

export interface Verdicts {
  spam: VerdictStatus;
  virus: VerdictStatus;
  spf: VerdictStatus;
  dkim: VerdictStatus;
  dmarc: VerdictStatus;
}

export const ALL_PASS: Verdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };

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
}

/** Staff power needs DKIM or SPF to pass and DMARC not to fail. */
export function authentication(verdicts: Verdicts): { passed: boolean; detail: string } {
  const aligned = verdicts.dkim === 'PASS' || verdicts.spf === 'PASS';
  if (verdicts.dmarc === 'FAIL') return { passed: false, detail: 'DMARC failed' };
  if (!aligned) return { passed: false, detail: `neither DKIM (${verdicts.dkim}) nor SPF (${verdicts.spf}) passed` };
  return { passed: true, detail: `${verdicts.dkim === 'PASS' ? 'DKIM' : 'SPF'} passed` };
}

/** Mail we must not turn into a ticket at all; it is kept in quarantine for a person to look at. */
export function quarantineVerdict(verdicts: Verdicts): string | null {
  if (verdicts.virus === 'FAIL') return 'SES virus scan: FAIL (held so no one opens the attachment)';
  if (verdicts.spam === 'FAIL') return 'SES spam filter: FAIL';
  return null;
}

const VERDICT_WORDS: Record<string, VerdictStatus> = {
  pass: 'PASS',
  fail: 'FAIL',
  softfail: 'FAIL',
  none: 'GRAY',
  neutral: 'GRAY',
  temperror: 'PROCESSING_FAILED',
  permerror: 'PROCESSING_FAILED',
};

/**
 * Verdicts from the headers SES writes into stored mail (X-SES-*-Verdict and its own
 * Authentication-Results), for deliveries that arrive as plain S3 events without a receipt.
 */
export function verdictsFromHeaders(headers: Record<string, string[]>, authservId = 'amazonses.com'): Verdicts {
  const ses = (name: string): VerdictStatus => {
    const value = headers[name]?.[0]?.trim().toUpperCase();
    return value === 'PASS' || value === 'FAIL' || value === 'GRAY' || value === 'PROCESSING_FAILED' ? value : 'GRAY';
  };
  const results = (headers['authentication-results'] ?? []).find((h) => h.trim().toLowerCase().startsWith(authservId));
  const method = (name: string): VerdictStatus => {
    const word = results ? new RegExp(`\\b${name}=([a-z]+)`, 'i').exec(results)?.[1]?.toLowerCase() : undefined;
    return (word && VERDICT_WORDS[word]) || 'GRAY';
  };
  return {
    spam: ses('x-ses-spam-verdict'),
    virus: ses('x-ses-virus-verdict'),
    spf: method('spf'),
    dkim: method('dkim'),
    dmarc: method('dmarc'),
  };
}
