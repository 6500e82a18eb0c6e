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
  source: 'ses' | 's3' | 'imap' | 'graph' | 'gmail' | 'smtp' | 'web' | 'api';
  /** Blob key of the raw message (kept before and after processing). */
  rawKey: string;
  receivedAt: string;
  /** Envelope recipients, when the receiver knows them. */
  recipients: string[];
  /** null: read them from the headers SES wrote into the stored mail. */
  verdicts: Verdicts | null;
  /** An operator re-ran this mail (`ticketing replay`): the limits for new mail do not apply. */
  replayed?: boolean;
  /** A mail our HTTP app wrote (source web or api): what it proved about the sender. */
  proof?: WebProof;
}

/**
 * What our own HTTP app proved about the sender of a mail it wrote for a form, a status page or
 * an API call. The app writes the mail, so no header in it counts; this is our border's word.
 */
export type WebProof =
  /** An address typed into the form or an API call (by that API key): nothing proves the person owns it. */
  | { kind: 'typed'; apiKey?: string }
  /** The holder of a signed status link, which was mailed to this ticket's requester only. */
  | { kind: 'status-link'; ticketKey: string; solved?: boolean }
  /** A request with this API key: staff powers, in the key's name. */
  | { kind: 'api-key'; name: string }
  /** A staff member signed in to the console (a session begun with a link mailed to this address). */
  | { kind: 'console'; staff: string }
  /** A request Slack signed with the app's signing secret, from a Slack user whose profile email Slack says is `staff`. */
  | { kind: 'slack'; staff: string; slackUser: string };

/**
 * The door a staff action came through, when it was not mail or the console: its history lines
 * say so ("#assign me from alex@… via Slack").
 */
export function actedVia(proof: WebProof | undefined): string | null {
  return proof?.kind === 'slack' ? 'Slack' : null;
}

/** An API call, the console and Slack tell their caller the commands' result in the response: no result by mail. */
export function resultInResponse(proof: WebProof | undefined): boolean {
  return proof?.kind === 'api-key' || proof?.kind === 'console' || proof?.kind === 'slack';
}

/** The address an API key acts as in history and command results (RFC 2606: never deliverable). */
export function apiKeyActor(name: string): string {
  return `${name}@api-key.invalid`;
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
