/**
 * Step 2: the raw mail, parsed, with its attachments streamed to blobs beside it; a mail that
 * cannot be parsed, or that SES flagged (virus, spam), is quarantined with its reason.
 */
import type { Readable } from 'node:stream';
import type { Config } from '../../config.js';
import { quarantineVerdict, sesVerdictsFromHeaders, type Receipt } from '../../domain/receipt.js';
import { isForwardSubject } from '../../domain/subject-prefixes.js';
import { EmbeddedHeaders, readAttachedMessages } from '../../mail/embedded-parts.js';
import { MalformedMailError, parseMail, type AttachmentSink } from '../../mail/parse.js';
import type { InboundMessage } from '../../mail/types.js';
import type { BlobStore, TicketStore } from '../ports.js';
import { quarantine, sha256Of } from './quarantine.js';
import type { InboundResult } from './result.js';

export class RawMailMissingError extends Error {
  override name = 'RawMailMissingError';
}

/** What a mail carries of other mails: report parts (a bounce's copy of our mail), messages forwarded as attachments. */
export interface EmbeddedMail {
  /** The first bytes of every part that carries another mail's headers. */
  texts: string[];
  /** The attached messages of a forward (a Fwd: subject), parsed; none otherwise. */
  attached: InboundMessage[];
  /** How many whole messages were attached (more than are read, when there are many). */
  attachedCount: number;
}

export type ReadMail = { msg: InboundMessage; embedded: EmbeddedMail } | { quarantined: InboundResult };

export async function readMail(receipt: Receipt, blobs: BlobStore, store: TicketStore, config: Config): Promise<ReadMail> {
  let raw: Readable;
  try {
    raw = await blobs.get(receipt.rawKey);
  } catch (err) {
    throw new RawMailMissingError(`raw mail ${receipt.rawKey} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const embedded = new EmbeddedHeaders();
  const knownProblem = receipt.verdicts ? quarantineVerdict(receipt.verdicts) : null;
  let msg: InboundMessage;
  try {
    msg = await parseMail(raw, {
      limits: config.mail,
      // A virus-flagged mail's attachments are not copied anywhere: the raw stays as evidence.
      attachments: knownProblem ? undefined : attachmentSink(blobs, receipt.rawKey, embedded),
    });
  } catch (err) {
    if (!(err instanceof MalformedMailError)) throw err;
    // Held under the hash of its bytes, so the same broken mail delivered again is one entry.
    return { quarantined: await quarantine(store, receipt, null, `cannot be parsed: ${err.message}`, await sha256Of(await blobs.get(receipt.rawKey))) };
  }
  const verdicts = receipt.verdicts ?? (receipt.source === 's3' ? sesVerdictsFromHeaders(msg.headers) : null);
  const verdictProblem = verdicts ? quarantineVerdict(verdicts) : null;
  if (verdictProblem) return { quarantined: await quarantine(store, receipt, msg, verdictProblem) };
  // Only a forward's attached message may name a requester: nothing else is parsed twice.
  const attached = embedded.messages.length && isForwardSubject(msg.subject) ? await readAttachedMessages(embedded.messages, config.mail) : [];
  return { msg, embedded: { texts: embedded.texts, attached, attachedCount: embedded.messages.length } };
}

/**
 * Streams attachments to blobs beside the raw mail, and keeps the first bytes of embedded
 * header blocks (a bounce's copy of our message) so the bounce can be matched to its ticket.
 */
function attachmentSink(blobs: BlobStore, rawKey: string, embedded: EmbeddedHeaders): AttachmentSink {
  const safe = (name: string) => name.replace(/[^\w.\-]+/g, '_').slice(0, 120) || 'attachment';
  return {
    async put({ index, filename, contentType, content }) {
      // Not under the inbound prefix: our own writes must never look like newly arrived mail.
      const blobKey = `attachments/${rawKey}/${index}-${safe(filename)}`;
      await blobs.put(blobKey, embedded.tap(contentType, content as Readable), contentType);
      return { blobKey };
    },
  };
}
