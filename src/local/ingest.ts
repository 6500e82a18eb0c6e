import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { verdictSchema as verdict } from '../aws/events.js';
import { handleInboundEvent, type InboundDeps } from '../aws/inbound-handler.js';
import type { InboundResult } from '../pipeline/inbound.js';

/** The sidecar `FILE.receipt.json`: SES receipt verdicts for a local delivery; absent ones PASS. */
export const receiptSidecarSchema = z
  .object({ spamVerdict: verdict, virusVerdict: verdict, spfVerdict: verdict, dkimVerdict: verdict, dmarcVerdict: verdict })
  .partial()
  .strict();

export type ReceiptSidecar = z.infer<typeof receiptSidecarSchema>;

/** SES message ids are 20+ lower-case alphanumerics; ours look the same so keys look as on AWS. */
export function sesLikeId(): string {
  return randomBytes(16).toString('hex').slice(0, 20);
}

/** A receipt event as SES's Lambda action sends it, for a raw object stored under the inbound prefix. */
export function sesEventFor(sesMessageId: string, receivedAt: Date, recipients: string[], verdicts: ReceiptSidecar) {
  const pass = { status: 'PASS' as const };
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: { messageId: sesMessageId, timestamp: receivedAt.toISOString(), destination: recipients },
          receipt: {
            recipients,
            timestamp: receivedAt.toISOString(),
            spamVerdict: verdicts.spamVerdict ?? pass,
            virusVerdict: verdicts.virusVerdict ?? pass,
            spfVerdict: verdicts.spfVerdict ?? pass,
            dkimVerdict: verdicts.dkimVerdict ?? pass,
            dmarcVerdict: verdicts.dmarcVerdict ?? pass,
            action: { type: 'Lambda', invocationType: 'Event', functionArn: 'arn:aws:lambda:local:000000000000:function:inbound' },
          },
        },
      },
    ],
  };
}

/**
 * Does locally what SES inbound does on AWS: the S3 action stores the raw mail under the
 * inbound prefix, then the Lambda action invokes the inbound handler with a receipt event.
 */
export async function deliverAsSes(raw: Buffer, verdicts: ReceiptSidecar, deps: InboundDeps): Promise<InboundResult[]> {
  const { config } = deps;
  const id = sesLikeId();
  await deps.blobsFor(config.aws.bucket).put(`${config.aws.inboundPrefix}${id}`, raw, 'message/rfc822');
  const event = sesEventFor(id, deps.clock.now(), config.supportAddresses.slice(0, 1), verdicts);
  return (await handleInboundEvent(event, deps)).results;
}
