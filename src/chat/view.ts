/**
 * What a chat message needs beyond the event itself: where a ticket can be opened (the staff
 * console when it is on, else the ticket's reply address), whose team is speaking, and whether
 * the message may carry buttons (Slack with a signing secret, so someone can answer them).
 */
import type { Config } from '../config.js';
import { parseTicketId } from '../domain/ticket.js';
import { ticketAddress } from '../pipeline/outbound.js';

export interface ChatView {
  teamName: string;
  /** The console page of a ticket, or null when the console is off. */
  consoleUrl(ticketId: string): string | null;
  /** The console's incident page, or null when the console is off. */
  incidentUrl(incidentId: string): string | null;
  /** The address that lands on the ticket's thread (support+tkt-42@…). */
  replyAddress(ticketId: string): string;
  /** Buttons (Assign to me, Resolve, Set priority) are shown: someone answers them. */
  interactive: boolean;
}

export function chatView(config: Config, interactive: boolean): ChatView {
  const console = config.web.console.enabled ? config.web.baseUrl : null;
  return {
    teamName: config.teamName,
    consoleUrl: (ticketId) => (console ? `${console}/console/tickets/${encodeURIComponent(ticketId)}` : null),
    incidentUrl: (incidentId) => (console ? `${console}/console/incidents/${encodeURIComponent(incidentId)}` : null),
    replyAddress: (ticketId) => ticketAddress(config.supportAddresses[0]!, config.ticketPrefix, parseTicketId(config.ticketPrefix, ticketId) ?? 0),
    interactive,
  };
}
