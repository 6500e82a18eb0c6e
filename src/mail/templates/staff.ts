/**
 * The mails of staff work on a ticket: the notices to staff (a ticket needs a look, an internal
 * note, what their commands did, held requests, a mail that was not taken as staff) and a staff
 * member's answer, relayed to the requester.
 *
 * To reword a mail, edit its function below: each one lists the mail's parts, and render.ts
 * makes them both the plain-text and the HTML version.
 */
import { becauseYouEmailed, statusPageLine } from './requester.js';
import { link, list, message, p, quote, renderMail, strong, type RenderedMail, type TicketContext } from './render.js';

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
  notification(ctx: TicketContext & { headline: string; facts: StaffTicketFacts; from: string; text: string; attachments: string[]; staffList: string; ticketPrefix: string }): RenderedMail {
    const f = ctx.facts;
    const facts = [
      `Requester: ${f.requester}${f.unverified ? ' (typed into the web form: not confirmed yet, so it may not be theirs)' : ''}`,
      `Status: ${f.status}${f.missing.length ? ` (waiting for: ${f.missing.join(', ')})` : ''}`,
      `Priority: ${f.priority ?? '-'} · category: ${f.category ?? '-'}${f.assignee ? ` · assigned to ${f.assignee}` : ''}`,
      ...(f.triageReasons.length ? [`Why: ${f.triageReasons.join('; ')}`] : []),
      ...(ctx.attachments.length ? [`Attachments: ${ctx.attachments.join(', ')}`] : []),
    ];
    return renderMail(ctx, {
      preview: p`${ctx.headline}`,
      heading: p`${ctx.headline}`,
      blocks: [
        quote(ctx.subject),
        list(facts),
        p`${ctx.from} wrote:`,
        message(ctx.text || '(no text)'),
        p`Reply to this email to answer ${ctx.requesterName || f.requester}: your text goes to them from ${ctx.supportAddress}. To steer the ticket instead, or as well, start your reply with commands, one per line:`,
        list(['#status open, waiting, resolved or closed', '#priority P1 to P4', '#category and a category name', '#assign me, or a staff address', `#merge ${ctx.ticketPrefix}-7, to close this as a duplicate of ${ctx.ticketPrefix}-7`, '#note, to keep your mail internal (not sent to the requester)']),
      ],
      signOff: [],
      footer: p`You're getting this as a member of ${ctx.staffList}.`,
    });
  },

  /** A staff member's answer, relayed to the requester and the people in Cc. */
  relay(ctx: TicketContext & { staffName: string; text: string }): RenderedMail {
    return renderMail(ctx, {
      preview: p`${firstLine(ctx.text)}`,
      heading: p`${ctx.staffName || ctx.teamName} replied to your request`,
      blocks: [message(ctx.text), p`To answer, just reply to this email. Please keep ${strong(`[${ctx.ticketId}]`)} in the subject.`, ...statusPageLine(ctx)],
      signOff: [p`${ctx.staffName ? `${ctx.staffName}, ` : ''}${ctx.teamName}`],
      footer: becauseYouEmailed(ctx),
    });
  },

  /** What a staff member's commands did, to that staff member only. */
  commandResult(ctx: TicketContext & { applied: string[]; rejected: string[]; staffList: string }): RenderedMail {
    return renderMail(ctx, {
      preview: ctx.rejected.length ? p`Some commands on ${ctx.ticketId} were not applied.` : p`Done: your commands on ${ctx.ticketId} are applied.`,
      heading: ctx.rejected.length ? p`Not everything was applied` : p`Done`,
      blocks: [
        quote(ctx.subject),
        ...(ctx.applied.length ? [p`Applied:`, list(ctx.applied)] : []),
        ...(ctx.rejected.length ? [p`Not applied (nothing of these changed the ticket):`, list(ctx.rejected)] : []),
      ],
      signOff: [p`${ctx.teamName} ticketing`],
      footer: p`Only you get this; the requester does not.`,
    });
  },

  /** To the staff list, at most once an hour per address: that address's new requests are being held. */
  limitNotice(ctx: { teamName: string; supportAddress: string; staffList: string; requester: string; max: number; hour: string; heldSubject: string }): RenderedMail {
    const about: TicketContext = { ticketId: 'On hold', subject: `New requests from ${ctx.requester}`, requesterName: '', supportAddress: ctx.supportAddress, teamName: ctx.teamName };
    return renderMail(about, {
      preview: p`${ctx.requester} has opened ${String(ctx.max)} tickets this hour; further new requests are held.`,
      heading: p`New requests from ${ctx.requester} are on hold`,
      blocks: [
        p`${ctx.requester} has opened ${String(ctx.max)} tickets in the hour from ${ctx.hour}:00 UTC, the most one address may open in an hour (limits.newTicketsPerSenderPerHour in the configuration).`,
        p`Their further new requests this hour are kept in quarantine, not lost. The first one held is:`,
        quote(ctx.heldSubject || '(no subject)'),
        p`Replies on their existing tickets still arrive as usual. If the requests are genuine, bring them in with ${strong('ticketing replay --quarantined')}.`,
      ],
      signOff: [p`${ctx.teamName} ticketing`],
      footer: p`You're getting this as a member of ${ctx.staffList}, at most once an hour for each address.`,
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
        p`A mail from ${ctx.address} about ${ctx.ticketId} reached us, but it did not pass authentication (${ctx.why}). So it was treated as a stranger's mail: no command was applied and nothing you wrote was sent to the requester.`,
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
        p`Someone (we hope you) asked to sign in to the ${ctx.teamName} staff console as ${ctx.address}. Open this link in the same browser to sign in:`,
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
      heading: p`Internal note on ${ctx.ticketId}`,
      blocks: [quote(ctx.subject), p`${ctx.author} wrote (not sent to the requester):`, message(ctx.text), p`Replies to this email stay internal too.`],
      signOff: [],
      footer: p`You're getting this as a member of ${ctx.staffList}.`,
    });
  },
};

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim()) ?? '';
}
