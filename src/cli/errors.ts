/** How a failed command ends: one line on stderr, whatever failed, and an exit code. */
import { ConfigError } from '../config.js';
import { UnknownEventError } from '../aws/events.js';
import { StackOutputsError } from '../aws/stack-outputs.js';
import { GmailApiError } from '../gmail/client.js';
import { GmailConfigError } from '../gmail/poller.js';
import { GraphError } from '../graph/client.js';
import { GraphFolderError } from '../graph/folders.js';
import { GraphConfigError } from '../graph/poller.js';
import { ImapConfigError, ImapConnectionError, ImapLoginError } from '../imap/poller.js';
import { GoogleTokenError, ServiceAccountKeyError } from '../oauth/google-service-account.js';
import { MicrosoftIdentityError } from '../oauth/microsoft-identity.js';
import { DataDirError, NoDataError } from '../local/data-dir.js';
import { SmtpGatewayError } from '../local/smtp-gateway.js';
import { LocalStackError } from '../local/stack.js';
import { ForgetError } from '../pipeline/forget.js';
import { RawMailMissingError } from '../pipeline/inbound.js';

/** The user's mistake on the command line: one line on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Says what went wrong on stderr and returns the exit code; rethrows only under TICKETING_DEBUG. */
export function reportFailure(err: unknown): number {
  if (err instanceof NoDataError) {
    console.error(`ticketing: ${err.message}`);
    return 1;
  }
  if (
    err instanceof UsageError ||
    err instanceof ConfigError ||
    err instanceof DataDirError ||
    err instanceof LocalStackError ||
    err instanceof StackOutputsError ||
    err instanceof ForgetError ||
    err instanceof UnknownEventError ||
    err instanceof SmtpGatewayError ||
    err instanceof ImapConfigError ||
    err instanceof ImapLoginError ||
    err instanceof ImapConnectionError ||
    // A mailbox API refused or failed: each says which mailbox, what it answered and what to check.
    err instanceof MicrosoftIdentityError ||
    err instanceof GraphError ||
    err instanceof GraphFolderError ||
    err instanceof GraphConfigError ||
    err instanceof GoogleTokenError ||
    err instanceof ServiceAccountKeyError ||
    err instanceof GmailApiError ||
    err instanceof GmailConfigError
  ) {
    console.error(`ticketing: ${oneLine(err.message)}`);
    return 2;
  }
  // Not a mistake of the user's: one line all the same, and the way to the whole story.
  if (err instanceof RawMailMissingError) {
    console.error(`ticketing: ${oneLine(err.message)}; check the key (ticketing tickets lists quarantined mail with its raw key)`);
    return 2;
  }
  if (process.env.TICKETING_DEBUG) throw err;
  const e = err instanceof Error ? err : new Error(String(err));
  console.error(`ticketing: ${e.name}: ${oneLine(e.message)} (run again with TICKETING_DEBUG=1 for where it happened)`);
  return 1;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}
