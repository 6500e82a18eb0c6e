/**
 * What the HTTP app hands the pipeline: a form, a status-page answer or an API call written as an
 * RFC 5322 message (by MailComposer), stored beside inbound mail and run through the very same
 * inbound steps, so triage, duplicates, asks, acknowledgements and staff notices behave as they
 * do for mail. The receipt says what the app proved about the sender (receipt.ts, WebProof);
 * nothing written in the message itself counts.
 */
import { createHash, randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Config } from '../config.js';
import type { Receipt, WebProof } from '../domain/receipt.js';
import { processInbound, quarantine, type InboundPorts, type InboundResult } from '../pipeline/inbound.js';

export interface WebAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface WebMail {
  source: 'web' | 'api';
  proof: WebProof;
  from: { name: string; address: string };
  subject: string;
  text: string;
  attachments?: WebAttachment[];
  /** On a ticket's thread: the Message-ID that opened it. */
  inReplyTo?: string;
  /**
   * Makes the Message-ID, so the same request sent twice (an API client's retry with the same
   * Idempotency-Key) is one mail, and the second is a re-delivery. Absent: a fresh id.
   */
  sameAs?: string;
}

/** The Message-ID of a web mail: ours, on the host of `web.baseUrl`. */
export function webMessageId(mail: Pick<WebMail, 'source' | 'sameAs'>, config: Config): string {
  const host = new URL(config.web.baseUrl).hostname;
  const id = mail.sameAs ? createHash('sha256').update(mail.sameAs).digest('hex').slice(0, 32) : randomUUID();
  return `${mail.source}-${id}@${host}`;
}

export async function composeWebMail(mail: WebMail, config: Config, now: Date): Promise<Buffer> {
  const composer = new MailComposer({
    from: mail.from,
    to: config.supportAddresses[0],
    subject: mail.subject,
    messageId: `<${webMessageId(mail, config)}>`,
    date: now,
    inReplyTo: mail.inReplyTo ? `<${mail.inReplyTo}>` : undefined,
    references: mail.inReplyTo ? [`<${mail.inReplyTo}>`] : undefined,
    text: { content: mail.text, contentType: 'text/plain; charset=utf-8' },
    attachments: mail.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    // Informational only: the receipt, not this header, says where the mail came from.
    headers: { 'X-Ticketing-Source': mail.proof.kind === 'slack' ? 'Slack' : mail.source === 'web' ? 'web form' : 'REST API' },
    textEncoding: 'B',
    disableFileAccess: true,
    disableUrlAccess: true,
    newline: 'win',
  });
  return composer.compile().build();
}

/** Stores the mail where raw mail is kept (not under the inbound prefix: nothing else picks it up) and runs the pipeline on it. */
export async function deliverWebMail(mail: WebMail, ports: Omit<InboundPorts, 'order'>, config: Config): Promise<InboundResult> {
  const now = ports.clock.now();
  const raw = await composeWebMail(mail, config, now);
  const rawKey = `${mail.source}/${now.toISOString().slice(0, 10)}/${randomUUID()}`;
  await ports.blobs.put(rawKey, raw, 'message/rfc822');
  const receipt: Receipt = { source: mail.source, rawKey, receivedAt: now.toISOString(), recipients: config.supportAddresses.slice(0, 1), verdicts: null, proof: mail.proof };
  try {
    return await processInbound(receipt, ports, config);
  } catch (err) {
    // No one retries a web request for us: the mail is held where `ticketing replay --quarantined`
    // finds it (a replay finishes what this attempt began and repeats nothing), and the caller hears it failed.
    await quarantine(ports.store, receipt, null, `the pipeline failed on it (${(err as Error).name}: ${(err as Error).message}); replay it once the cause is fixed`).catch(() => undefined);
    throw new WebDeliveryError(`the request was kept at ${rawKey}, but the pipeline failed on it: ${(err as Error).message}`, { cause: err });
  }
}

export class WebDeliveryError extends Error {
  override name = 'WebDeliveryError';
}
