/**
 * The one inbound pipeline: every way mail comes in (SES, S3, IMAP, the local SMTP gateway,
 * replay) ends here. A short, ordered list of steps, each in its own module under inbound/,
 * each either answering for the mail or passing it on:
 *
 *   1. envelope       not addressed to a support address: left alone
 *   2. read-mail      parsed (attachments to blobs), or quarantined: unparseable, flagged by SES
 *   3. sender-facts   authentication, machine mail, requester, staff standing, ticket tag
 *                     (a batch's order, when one is given, lets the decision start here)
 *   4. lookup         every read the decision needs, in one round trip
 *   5. redelivery     a mail already handled: nothing decided again; an interrupted one finished
 *   6. route          where the mail goes, as a typed decision; handlers.ts carries it out
 */
import type { Config } from '../config.js';
import type { Receipt } from '../domain/receipt.js';
import { addressBook, type InboundPorts } from './inbound/context.js';
import { notAddressedToUs } from './inbound/envelope.js';
import { handle } from './inbound/handlers.js';
import { lookUp } from './inbound/lookup.js';
import { decisionScope } from './inbound/order.js';
import { quarantine } from './inbound/quarantine.js';
import { readMail } from './inbound/read-mail.js';
import { finishDecision } from './inbound/record-on-ticket.js';
import { previousDelivery, redelivered } from './inbound/redelivery.js';
import type { InboundResult } from './inbound/result.js';
import { route } from './inbound/route.js';
import { senderFacts } from './inbound/sender-facts.js';
import { isPermanentStoreError } from './store-errors.js';

export { messageKey } from '../domain/ticket.js';
export { addressBook, deliveryPlanKey, type InboundPorts } from './inbound/context.js';
export { decisionScope, type DecisionScope, type InboundOrder } from './inbound/order.js';
export { quarantine } from './inbound/quarantine.js';
export { RawMailMissingError } from './inbound/read-mail.js';
export type { InboundResult, Outcome } from './inbound/result.js';

export async function processInbound(receipt: Receipt, ports: InboundPorts, config: Config): Promise<InboundResult> {
  const { store } = ports;
  const book = addressBook(config);
  const now = ports.clock.now();

  const stray = await notAddressedToUs(receipt, book, store, now);
  if (stray) return stray;

  const read = await readMail(receipt, ports.blobs, store, config);
  if ('quarantined' in read) return read.quarantined;
  const { msg } = read;

  const facts = senderFacts(msg, read.embedded, receipt, config, book);
  if (!facts.choice && !facts.machine) {
    const why = msg.parseWarnings.length ? ` (${msg.parseWarnings.slice(0, 3).join('; ')})` : '';
    return quarantine(store, receipt, msg, `no From or Reply-To address: there is no one to answer${why}`);
  }

  await ports.order?.turn(decisionScope(msg, facts, receipt, config.incidents));
  const delivery = await lookUp(msg, receipt, now, facts, ports, config, book);

  const previous = await previousDelivery(delivery);
  if (previous) return redelivered(previous, delivery);
  // An earlier attempt decided and stopped before its receipts: repeat its decision, decide nothing anew.
  if (delivery.found.plan?.decision) return finishDecision(delivery.found.plan, delivery, false);

  try {
    return await handle(await route(delivery), delivery);
  } catch (err) {
    // A write DynamoDB refuses for good (an item too large for it): quarantined, not retried for ever.
    if (!isPermanentStoreError(err)) throw err;
    return quarantine(store, receipt, msg, `cannot be stored: ${(err as Error).message}`);
  }
}
