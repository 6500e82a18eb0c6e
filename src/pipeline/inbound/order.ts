/**
 * What one mail's decision shares with other mails' decisions: for a caller that delivers many
 * mails at once (`ticketing ingest`) and must end where delivering them one by one ends.
 *
 * A mail from a person, on no thread (no In-Reply-To, no References), with no ticket tag and no
 * staff standing, reads and writes only what belongs to its own Message-ID and bytes and to the
 * people it names as sender and requester: their profiles, limits and open tickets. Two such
 * mails with nobody in common are independent, but for the ticket numbers they take (the caller
 * hands those out in its own order), and for outages: a report of a service reads other people's
 * reports of that service (incident detection), so reports of one service are decided in order.
 * Any other mail may read or change any ticket (a reply, a bounce, a staff command, a tag): it is
 * decided alone.
 */
import type { IncidentRules } from '../../domain/incidents/rules.js';
import type { Receipt } from '../../domain/receipt.js';
import type { InboundMessage } from '../../mail/types.js';
import type { SenderFacts } from './context.js';
import { outageReportOf } from './incident-report.js';

export interface DecisionScope {
  /** Decided after every mail before it and before any mail after it. */
  alone: boolean;
  /** What its decision reads and writes: `id:` its Message-ID, `raw:` its bytes' sha256, `addr:` sender and requester, `service:` an outage report's service. */
  touches: string[];
}

/** The caller's order of decisions; absent, each mail is decided when it comes. */
export interface InboundOrder {
  /** Resolves once every decision this one may depend on (or change) is made. */
  turn(scope: DecisionScope): Promise<void>;
}

export function decisionScope(msg: InboundMessage, facts: SenderFacts, receipt: Receipt, incidents: IncidentRules): DecisionScope {
  const onThread = msg.inReplyTo.length > 0 || msg.references.length > 0;
  const alone = onThread || facts.tag !== null || facts.machine !== null || facts.choice === null || facts.standing.isStaff || Boolean(receipt.replayed);
  const people = [facts.sender, facts.choice?.requester.address].filter((a): a is string => Boolean(a));
  const report = alone ? null : outageReportOf(msg, incidents);
  return { alone, touches: [`id:${msg.messageId}`, `raw:${msg.rawSha256}`, ...new Set(people.map((a) => `addr:${a}`)), ...(report ? [`service:${report.service}`] : [])] };
}
