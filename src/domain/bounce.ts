/**
 * What a bounce says: which recipients failed, why, and which of our messages it is about.
 *
 * Input: the texts the pipeline has of a bounce — first its text body (mailparser puts a
 * `message/delivery-status` part there too), then the first 64 KiB of each
 * `message/delivery-status`, `text/rfc822-headers` and `message/rfc822` part. A part that opens
 * with mail headers is the returned message: it is read for its Message-ID, and for recipients
 * only when the bounce has no report of its own (a relay that wraps the whole bounce).
 *
 * In order of trust:
 * 1. RFC 3464 per-recipient fields (`Original-Recipient`, `Final-Recipient`, `Action`,
 *    `Status`, `Diagnostic-Code`), one block per recipient, in whatever order the MTA writes
 *    them. The address reported is the Original-Recipient when there is one (the address as we
 *    sent it; the Final-Recipient may be an alias it expanded to), else the Final-Recipient.
 *    A bare `Status: 5.0.0` gives way to the server's own code in its words.
 * 2. An Amazon SES bounce notification (JSON, as SNS mails it, raw or in SNS's envelope).
 * 3. Only when neither found a recipient, the human-readable text of MTAs that send no
 *    RFC 3464 part: qmail/Postfix `<x@y>:` paragraphs, Exim and GMX "The following address(es)
 *    failed", Sendmail "The following addresses had permanent fatal errors", Exchange and
 *    Office 365 "Your message to x@y couldn't be delivered" / "Delivery has failed to these
 *    recipients", Gmail "Your message wasn't delivered to x@y" / "Delivery to the following
 *    recipient failed permanently", and a few more (see FALLBACKS).
 *
 * Each reader is a module of its own under bounce/: dsn.ts (1), ses.ts (2), fallbacks.ts (3),
 * with failed-recipient.ts for the pieces all of them read.
 *
 * Only failures are returned: recipients whose Action is delivered, relayed, expanded or
 * deliverable (a success DSN) or delayed (a warning; the MTA is still trying) are left out, so
 * that the caller can stop mailing every address it gets back. Lines quoted with `>` (a person
 * forwarding a bounce) are never read.
 */
import { fromBlock, rfc3464Blocks } from './bounce/dsn.js';
import { DELAY_NOTICE, FALLBACKS, fallbackStatus, ownWords, statusNaming } from './bounce/fallbacks.js';
import { lines, type FailedRecipient } from './bounce/failed-recipient.js';
import { fromSes, sesNotification } from './bounce/ses.js';

// What this module exported before its readers moved to bounce/; importers keep importing from here.
export type { FailedRecipient } from './bounce/failed-recipient.js';
export { sesNotification, type SesNotification } from './bounce/ses.js';

export interface DeliveryReport {
  failedRecipients: FailedRecipient[];
  /** The bounce only warns that delivery is delayed (Action: delayed, or says so in words): nothing failed yet. */
  delayWarning: boolean;
  /** Message-IDs (without angle brackets) of the returned message, in order of appearance. */
  originalMessageIds: string[];
}

/** Actions that mean the message was (or will be) delivered: not failures. */
const NOT_FAILED = new Set(['delivered', 'relayed', 'expanded', 'deliverable', 'delayed']);

/** Message-IDs named by `Message-ID:` lines (unquoted, possibly folded) in the texts, in order. */
function messageIds(texts: string[]): string[] {
  const ids: string[] = [];
  for (const text of texts) {
    const all = lines(text);
    for (let i = 0; i < all.length; i++) {
      const m = /^[ \t]*Message-ID[ \t]*:[ \t]*(.*)$/i.exec(all[i] as string);
      if (!m) continue;
      let value = (m[1] as string).trim();
      if (!value && /^[ \t]+\S/.test(all[i + 1] ?? '')) value = (all[i + 1] as string).trim(); // folded
      const id = /<([^<>\s]+@[^<>\s]+)>/.exec(value)?.[1] ?? (/^([^\s<>]+@[^\s<>]+)$/.exec(value)?.[1] ?? null);
      if (id) ids.push(id);
    }
  }
  return ids;
}

/**
 * A returned message or its headers rather than a report: it opens with a mail header. Its own
 * recipients did not fail (and if it is itself an old bounce, neither did its), so only its
 * Message-ID is read.
 */
const MESSAGE_HEADER = /^(received|return-path|from|to|cc|subject|date|message-id|mime-version|dkim-signature|arc-seal|delivered-to|content-type|authentication-results|received-spf)[ \t]*:/i;

function isReturnedMessage(text: string): boolean {
  const first = lines(text).find((line) => line.trim() !== '');
  return first !== undefined && MESSAGE_HEADER.test(first);
}

/** Read one bounce (`texts[0]` its body, then its parts); see the top of this file for what is read, in which order. */
export function deliveryReport(texts: string[]): DeliveryReport {
  const reports = texts.filter((text, i) => i === 0 || !isReturnedMessage(text));
  const byAddress = new Map<string, FailedRecipient>();
  const add = (r: FailedRecipient) => {
    const seen = byAddress.get(r.address);
    if (!seen) byAddress.set(r.address, r);
    else byAddress.set(r.address, { ...seen, status: seen.status ?? r.status, diagnostic: seen.diagnostic ?? r.diagnostic });
  };

  // 1. RFC 3464 blocks
  let anyBlock = false;
  let delayed = false;
  const readBlocks = (from: string[]) => {
    for (const text of from) {
      for (const block of rfc3464Blocks(text)) {
        const r = fromBlock(block);
        if (!r) continue;
        anyBlock = true;
        delayed ||= r.action === 'delayed';
        if (!NOT_FAILED.has(r.action)) add(r);
      }
    }
  };
  readBlocks(reports);
  // A relay that forwards a bounce wraps the whole report as a message/rfc822 part.
  if (!anyBlock) readBlocks(texts.filter((text) => !reports.includes(text)));

  // 2. Amazon SES notification
  const sesIds: string[] = [];
  if (!anyBlock) {
    for (const text of reports) {
      const n = sesNotification(text);
      if (!n) continue;
      const { recipients, ids } = fromSes(n);
      anyBlock ||= recipients.length > 0;
      for (const r of recipients) {
        delayed ||= r.action === 'delayed';
        if (!NOT_FAILED.has(r.action)) add(r);
      }
      sesIds.push(...ids);
    }
  }

  // 3. Human-readable fallbacks, only when no machine-readable recipient was found
  if (!anyBlock) {
    for (const text of reports) {
      const all = lines(text).filter((line) => !/^\s*>/.test(line));
      const own = ownWords(all);
      if (DELAY_NOTICE.test(own.join(' '))) {
        delayed = true;
        continue;
      }
      for (const fallback of FALLBACKS) {
        const found = fallback.find(all);
        for (const f of found) add({ address: f.address, action: 'failed', status: fallbackStatus(f, own, found.length === 1), diagnostic: f.diagnostic });
        if (found.length) break; // the first pattern that matches a text decides for it
      }
    }
  }

  // A report that says only 5.0.0 (OpenSMTPD): the bounce's own words may give the server's code.
  const own = ownWords(lines(texts[0] ?? '').filter((line) => !/^\s*>/.test(line)));
  for (const r of byAddress.values()) {
    if (r.status && !/^\d\.0\.0$/.test(r.status)) continue;
    const named = statusNaming(r.address, own);
    if (named && !/^\d\.0\.0$/.test(named)) r.status = named;
  }

  const originalMessageIds = [...new Set([...sesIds, ...messageIds(texts)])];
  return { failedRecipients: [...byAddress.values()], delayWarning: delayed && byAddress.size === 0, originalMessageIds };
}
