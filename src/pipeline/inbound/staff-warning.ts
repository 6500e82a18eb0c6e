/**
 * Tells a staff member whose mail was refused staff powers why nothing happened, at most once an
 * hour per address (a slot keyed by this mail, so a replay takes nothing more). It goes only to
 * the staff address itself: a forger learns nothing, the real person learns someone tried.
 */
import type { Ticket } from '../../domain/ticket.js';
import { staffTemplates } from '../../mail/templates/staff.js';
import { planned, type PlannedEffect } from '../effects.js';
import { limitHour } from '../ports.js';
import { planTicketMail, receivingAddress } from '../outbound.js';
import { staffSubject } from '../staff.js';
import { cause, type Delivery } from './context.js';

export async function staffWarning(ticket: Ticket, d: Delivery): Promise<PlannedEffect | null> {
  // Machine mail from a staff address (an out-of-office) is nobody trying anything.
  const refused = d.machine ? null : d.standing.refused;
  if (!refused) return null;
  const hour = limitHour(d.now);
  if (!(await d.ports.store.takeSlot({ scope: `staff-warning#${refused.address}`, hour, max: 1, member: d.ownKey }))) return null;
  const { config, book } = d;
  const body = staffTemplates.staffWarning({
    ticketId: ticket.id,
    subject: ticket.subject,
    requesterName: '',
    supportAddress: receivingAddress(d.msg, book),
    teamName: config.teamName,
    address: refused.address,
    why: refused.why,
  });
  const mail = planTicketMail(
    { kind: 'staff-warning', to: [refused.address], cc: [], fromName: config.teamName, subject: `Not applied: ${staffSubject(ticket)}`, body, automatic: 'auto-replied', limitFor: null },
    cause(ticket, d),
    config,
    book,
  );
  return planned('staff-warning', { type: 'mail', mail });
}
