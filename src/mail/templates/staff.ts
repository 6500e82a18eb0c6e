/**
 * The mails of staff work on a ticket: the notices to staff (a ticket needs a look, an internal
 * note, what their commands did, held requests, a mail that was not taken as staff) and a staff
 * member's answer, relayed to the requester.
 *
 * To reword a mail, edit its function below: each one lists the mail's parts, and render.ts
 * makes them both the plain-text and the HTML version.
 */
import { becauseYouEmailed, statusPageLine } from './requester.js';
import { address, facts, link, list, message, p, quote, renderMail, strong, type Paragraph, type RenderedMail, type TicketContext } from './render.js';

/** What staff mails show about a ticket. */
export interface StaffTicketFacts {
  requester: string;
  status: string;
  priority: string | null;
  category: string | null;
  assignee: string | null;
  triageReasons: string[];
  missing: string[];
  /** Typed into the web form or an API call, and not yet confirmed by the requester. */
  unverified?: boolean;
}

export const staffTemplates = {
  /** To the staff list (or the assignee): a ticket needs a look, and why; Reply reaches the requester. */
  notification(
    ctx: TicketContext & { headline: string; facts: StaffTicketFacts; from: string; text: string; attachments: string[]; staffList: string; ticketPrefix: string; remarks?: string[] },
  ): RenderedMail {
    const f = ctx.facts;
    const rows: Array<[string, Paragraph]> = [
      ['Requester', f.unverified ? p`${address(f.requester)} (typed into the web form and not confirmed yet, so it may not be theirs)` : p`${address(f.requester)}`],
      ['Status', f.missing.length ? p`${f.status} (we asked the requester for: ${f.missing.join(', ')})` : p`${f.status}`],
      ['Priority', f.priority ? p`${f.priority}` : p`not set`],
      ['Category', f.category ? p`${f.category}` : p`not set`],
      ['Assigned to', f.assignee ? p`${address(f.assignee)}` : p`nobody yet`],
    ];
    if (ctx.attachments.length) rows.push(['Attachments', p`${ctx.attachments.join(', ')}`]);
    const requester = ctx.requesterName || f.requester;
    return renderMail(ctx, {
      preview: p`${ctx.headline}`,
      heading: p`${address(ctx.headline)}`,
      blocks: [
        quote(ctx.subject),
        ...(ctx.remarks ?? []).map((remark) => p`${strong('Note:')} ${remark}`),
        facts(rows),
        ...(f.triageReasons.length ? [p`Why this priority and category:`, list(f.triageReasons)] : []),
        p`${address(ctx.from)} wrote:`,
        message(ctx.text || '(no text)'),
        p`Reply to this email to answer ${address(requester)}: your text goes to them from ${address(ctx.supportAddress)}.`,
        p`To change the ticket, start your reply with commands, one per line. A reply with only commands is not sent to the requester.`,
        list(['#status open, waiting, resolved or closed', '#priority P1 to P4', '#category and a category name', '#assign me, or a staff address', `#merge ${ctx.ticketPrefix}-7, to close this as a duplicate of ${ctx.ticketPrefix}-7`, '#note, to keep your mail internal (not sent to the requester)']),
      ],
      signOff: [],
      // The notice goes to the assignee when there is one, else to the staff list.
      footer: f.assignee ? p`You're getting this because ${ctx.ticketId} is assigned to you.` : p`You're getting this as a member of ${address(ctx.staffList)}.`,
    });
  },

  /** A staff member's answer, relayed to the requester and the people in Cc. */
  relay(ctx: TicketContext & { staffName: string; text: string }): RenderedMail {
    return renderMail(ctx, {
      preview: p`${firstLine(ctx.text)}`,
      heading: p`${ctx.staffName || ctx.teamName} replied to your request`,
      blocks: [message(ctx.text), p`To answer, just reply to this email. Please keep ${strong(`[${ctx.ticketId}]`)} in the subject.`, ...statusPageLine(ctx)],
      signOff: [ctx.staffName ? p`${ctx.staffName}, ${ctx.teamName}` : p`${ctx.teamName}`],
      footer: becauseYouEmailed(ctx),
    });
  },

  /** What a staff member's commands did, to that staff member only. */
  commandResult(ctx: TicketContext & { applied: string[]; rejected: string[]; staffList: string }): RenderedMail {
    const some = ctx.applied.length > 0;
    return renderMail(ctx, {
      preview: !ctx.rejected.length
        ? p`Done: your commands on ${ctx.ticketId} are applied.`
        : some
          ? p`Some of your commands on ${ctx.ticketId} were not applied.`
          : p`None of your commands on ${ctx.ticketId} were applied.`,
      heading: !ctx.rejected.length ? p`Done` : some ? p`Not everything was applied` : p`Nothing was changed`,
      blocks: [
        quote(ctx.subject),
        ...(some ? [p`Applied:`, list(ctx.applied.map((line) => p`${address(line)}`))] : []),
        ...(ctx.rejected.length
          ? [
              some ? p`These were not applied, so they changed nothing:` : p`These were not applied, so nothing changed:`,
              list(ctx.rejected.map((line) => p`${address(line)}`)),
              p`To try again, reply to this email with the corrected commands alone: any other text in your reply goes to the requester.`,
            ]
          : []),
      ],
      signOff: [p`${ctx.teamName} ticketing`],
      footer: p`Only you get this; the requester does not.`,
    });
  },

  /** To the staff list, at most once an hour per address: that address's new requests are being held. */
  limitNotice(ctx: { teamName: string; supportAddress: string; staffList: string; requester: string; max: number; hour: string; heldSubject: string }): RenderedMail {
    const about: TicketContext = { ticketId: 'On hold', subject: `New requests from ${ctx.requester}`, requesterName: '', supportAddress: ctx.supportAddress, teamName: ctx.teamName };
    const hour = hourOf(ctx.hour);
    return renderMail(about, {
      preview: p`${ctx.requester} has opened ${String(ctx.max)} tickets this hour; their next new requests are held.`,
      // The address is in the subject and the first line: a long one would fill a heading on a phone.
      heading: p`New requests on hold`,
      blocks: [
        hour
          ? p`${address(ctx.requester)} has opened ${String(ctx.max)} tickets on ${hour.day} between ${hour.from}:00 and ${hour.to}:00 UTC. That is the most one address may open in an hour (the setting limits.newTicketsPerSenderPerHour).`
          : p`${address(ctx.requester)} has opened ${String(ctx.max)} tickets in the hour from ${ctx.hour}:00 UTC. That is the most one address may open in an hour (the setting limits.newTicketsPerSenderPerHour).`,
        p`Their next new requests this hour are kept in quarantine, not lost. The first one held:`,
        quote(ctx.heldSubject || '(no subject)'),
        p`Their replies on existing tickets still arrive as usual. If the requests are genuine, bring them in with ${strong('ticketing replay --quarantined')}.`,
      ],
      signOff: [p`${ctx.teamName} ticketing`],
      footer: p`You're getting this as a member of ${address(ctx.staffList)}, at most once an hour for each address.`,
    });
  },

  /**
   * To a staff address whose mail on a ticket was not taken as staff (it did not authenticate):
   * nothing happened, and why. At most once an hour per address; never to anyone else.
   */
  staffWarning(ctx: TicketContext & { address: string; why: string }): RenderedMail {
    return renderMail(ctx, {
      preview: p`Your mail about ${ctx.ticketId} was not applied: it did not pass authentication.`,
      heading: p`Your mail was not applied`,
      blocks: [
        quote(ctx.subject),
        p`A mail from ${address(ctx.address)} about ${ctx.ticketId} reached us, but it did not pass authentication (${ctx.why}).`,
        p`So we treated it as a stranger's mail: no command in it was applied, and nothing you wrote was sent to the requester.`,
        p`If you sent it: staff mail must pass DMARC for your domain, or carry a DKIM signature of your domain. Send it again from your usual mail account, or ask your mail administrator to check DKIM signing.`,
        p`If you did not send it, someone wrote in your name. Nothing changed; you may want to tell your security team.`,
      ],
      signOff: [p`${ctx.teamName} ticketing`],
      footer: p`Only you get this, at most once an hour.`,
    });
  },

  /** A one-time link into the staff console, to the staff address that asked for it (and only then). */
  signIn(ctx: { teamName: string; supportAddress: string; address: string; link: string; minutes: number }): RenderedMail {
    const about: TicketContext = { ticketId: 'Sign-in', subject: 'Staff console', requesterName: '', supportAddress: ctx.supportAddress, teamName: ctx.teamName };
    return renderMail(about, {
      preview: p`Your link to sign in to the ${ctx.teamName} staff console. It works once, for ${String(ctx.minutes)} minutes.`,
      heading: p`Sign in to the staff console`,
      blocks: [
        p`Someone (we hope you) asked to sign in to the ${ctx.teamName} staff console as ${address(ctx.address)}. Open this link in the same browser to sign in:`,
        p`${link('Sign in to the console', ctx.link)}`,
        p`It works once, for ${String(ctx.minutes)} minutes, and only in the browser where you asked for it.`,
        p`If you did not ask for it, ignore this email: nobody can sign in with it from another browser.`,
      ],
      signOff: [p`${ctx.teamName} ticketing`],
      footer: p`Only you get this: sign-in links go to staff addresses only.`,
    });
  },

  /** An internal note, to the staff list; replies to it stay internal too. */
  note(ctx: TicketContext & { author: string; text: string; staffList: string }): RenderedMail {
    return renderMail(ctx, {
      preview: p`Internal note on ${ctx.ticketId} from ${ctx.author}`,
      heading: p`Internal note`,
      blocks: [quote(ctx.subject), p`${address(ctx.author)} wrote (not sent to the requester):`, message(ctx.text), p`Replies to this email stay internal too.`],
      signOff: [],
      footer: p`You're getting this as a member of ${address(ctx.staffList)}.`,
    });
  },
};

/** A limit's hour, "2026-11-30T08" (UTC), as people say it: on 2026-11-30 between 08 and 09. */
function hourOf(hour: string): { day: string; from: string; to: string } | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})$/.exec(hour);
  return m ? { day: m[1]!, from: m[2]!, to: String((Number(m[2]) + 1) % 24).padStart(2, '0') } : null;
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim()) ?? '';
}
