/**
 * The staff mails of an incident: the one notice that several people report one outage, and a
 * short note for each later report, threaded on it. A reply to either answers everyone.
 *
 * To reword a mail, edit its function below: render.ts makes the plain-text and HTML versions.
 */
import { address, facts, list, p, renderMail, type Paragraph, type RenderedMail, type TicketContext } from './render.js';

/** One report, as staff see it in an incident mail. */
export interface IncidentReportLine {
  ticketId: string;
  /** `Name <address>` or the address. */
  from: string;
  /** HH:MM (UTC) */
  time: string;
  excerpt: string;
}

interface IncidentContext {
  incidentId: string;
  /** "Wi-Fi and network down (floor 3)" */
  title: string;
  supportAddress: string;
  teamName: string;
  staffList: string;
  ticketPrefix: string;
}

export const incidentTemplates = {
  /** To the staff list, once per incident: who reported what, why they are one, and how to answer all. */
  notification(ctx: IncidentContext & { reason: string; reports: IncidentReportLine[] }): RenderedMail {
    const n = ctx.reports.length;
    return renderMail(frame(ctx), {
      preview: p`${String(n)} people report the same problem: ${ctx.title}`,
      heading: p`Incident ${ctx.incidentId}: ${ctx.title}`,
      blocks: [
        p`${String(n)} people reported this close together, so their tickets are grouped as one incident and you get this one email instead of one per ticket.`,
        facts([
          ['Why', p`${ctx.reason}`],
          ['Reports', p`${String(n)}`],
        ]),
        reportLines(ctx.reports),
        ...howToAnswer(ctx),
      ],
      signOff: [],
      footer: p`You're getting this as a member of ${address(ctx.staffList)}.`,
    });
  },

  /** To the staff list: one more report joined the incident (threaded on its notice). */
  update(ctx: IncidentContext & { reason: string; report: IncidentReportLine; count: number }): RenderedMail {
    return renderMail(frame(ctx), {
      preview: p`Report ${String(ctx.count)} of ${ctx.incidentId}: ${ctx.report.ticketId} from ${ctx.report.from}`,
      heading: p`Another report of ${ctx.incidentId}`,
      blocks: [p`${ctx.title}: ${String(ctx.count)} reports now.`, reportLines([ctx.report]), p`${ctx.reason}`, ...howToAnswer(ctx)],
      signOff: [],
      footer: p`You're getting this as a member of ${address(ctx.staffList)}.`,
    });
  },
};

function frame(ctx: IncidentContext): TicketContext {
  return { ticketId: ctx.incidentId, subject: ctx.title, requesterName: '', supportAddress: ctx.supportAddress, teamName: ctx.teamName };
}

/** One line per report, labelled with its ticket and time: no bullet indent, so a long address gets the whole width. */
function reportLines(reports: IncidentReportLine[]) {
  return facts(reports.map((r) => [`${r.ticketId} at ${r.time} UTC`, p`${address(r.from)}: “${r.excerpt}”`]));
}

function howToAnswer(ctx: IncidentContext): Array<Paragraph | ReturnType<typeof list>> {
  const example = `${ctx.ticketPrefix}-7`;
  return [
    p`Reply to this email to answer everyone in the incident: each person gets your text on their own ticket, from ${address(ctx.supportAddress)}.`,
    p`Commands at the top of your reply act on every ticket in the incident:`,
    list([
      '#resolve, to resolve every ticket: each person gets your text, or a short note that it is fixed',
      `#unlink ${example}, to take a ticket that is a different problem out of the incident`,
      '#note, to keep your mail internal',
      '#priority, #category and #assign, as on a single ticket',
    ]),
  ];
}
