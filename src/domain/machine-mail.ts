import type { InboundMessage } from '../mail/types.js';
import { isSupportAddress, localPart, type AddressBook } from './addresses.js';

export type MachineKind = 'bounce' | 'out-of-office' | 'auto-reply' | 'list' | 'bulk' | 'own-mail';

export interface MachineVerdict {
  kind: MachineKind;
  reason: string;
}

const OOO_SUBJECT =
  /^\s*(automatic reply|auto(matic)?[- ]?(reply|response)|out of (the )?office|abwesenheitsnotiz|r[ée]ponse automatique|respuesta autom[aá]tica|risposta automatica|automatisch antwoord|autosvar|i'?m away|vacation reply)\b/i;
const BOUNCE_SUBJECT =
  /^\s*(undeliver(able|ed)|delivery status notification \(failure\)|mail delivery (failed|failure|subsystem)|returned mail|delivery has failed|failure notice|non[- ]?delivery)/i;
const BOUNCE_SENDER = /^(mailer-daemon|postmaster)$/i;

function header(msg: InboundMessage, name: string): string | undefined {
  return msg.headers[name]?.[0]?.trim();
}

/**
 * Is this mail written by a machine rather than a person? Every rule is here, in order,
 * so the loop guard can be read in one place (RFC 3834 and common practice).
 * `X-Auto-Response-Suppress` alone is NOT a signal: Exchange adds it to ordinary mail.
 */
export function classifyMachineMail(msg: InboundMessage, book: AddressBook): MachineVerdict | null {
  const from = msg.from?.address ?? '';
  const contentType = msg.contentType.toLowerCase();
  const reportType = /report-type\s*=\s*"?([\w-]+)/i.exec(msg.headers['content-type']?.[0] ?? '')?.[1]?.toLowerCase();

  if (contentType === 'multipart/report' && reportType === 'delivery-status') {
    return { kind: 'bounce', reason: 'delivery status report (multipart/report; report-type=delivery-status)' };
  }
  if (from && BOUNCE_SENDER.test(localPart(from))) {
    return { kind: 'bounce', reason: `sent by ${localPart(from)}, a mail system` };
  }
  if (BOUNCE_SUBJECT.test(msg.subject) && header(msg, 'return-path') === '<>') {
    return { kind: 'bounce', reason: `bounce subject "${msg.subject}" with an empty Return-Path` };
  }
  if (from && isSupportAddress(from, book)) {
    return { kind: 'own-mail', reason: `sent from our own address ${from}: never answer ourselves` };
  }
  const autoSubmitted = header(msg, 'auto-submitted')?.toLowerCase();
  const oooHeader = header(msg, 'x-autoreply') ?? header(msg, 'x-autorespond');
  if (OOO_SUBJECT.test(msg.subject) && (autoSubmitted?.startsWith('auto-replied') || oooHeader || header(msg, 'x-auto-response-suppress'))) {
    return { kind: 'out-of-office', reason: `out-of-office reply ("${msg.subject}", Auto-Submitted: ${autoSubmitted ?? 'absent'})` };
  }
  if (autoSubmitted && autoSubmitted !== 'no') {
    return { kind: 'auto-reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  }
  if (oooHeader) return { kind: 'auto-reply', reason: 'X-Autoreply/X-Autorespond header' };
  if (OOO_SUBJECT.test(msg.subject)) {
    return { kind: 'out-of-office', reason: `out-of-office subject "${msg.subject}"` };
  }
  if (header(msg, 'list-id') || header(msg, 'list-unsubscribe')) {
    return { kind: 'list', reason: `mailing-list mail (${header(msg, 'list-id') ? 'List-Id' : 'List-Unsubscribe'})` };
  }
  const precedence = header(msg, 'precedence')?.toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) {
    return { kind: precedence === 'list' ? 'list' : 'bulk', reason: `Precedence: ${precedence}` };
  }
  if (header(msg, 'return-path') === '<>') {
    return { kind: 'auto-reply', reason: 'empty Return-Path (<>): a machine notification' };
  }
  return null;
}
