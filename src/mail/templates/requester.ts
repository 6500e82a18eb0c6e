/**
 * What we say to a requester on our own: the auto-replies to their mail (ack, missing
 * information, duplicate notice), the reminder when they have gone quiet, and the closing.
 *
 * To reword a mail, edit its function below: each one lists the mail's parts, and render.ts
 * makes them both the plain-text and the HTML version.
 */
import { address, link, list, p, quote, renderMail, strong, type MailParts, type Paragraph, type RenderedMail, type TicketContext } from './render.js';

export const templates = {
  /** A complete new ticket: its id, what happens next, how to add information. */
  ack(ctx: TicketContext): RenderedMail {
    return requesterMail(ctx, {
      preview: p`We've logged your request as ${ctx.ticketId}. Reply to this email to add anything.`,
      heading: p`We've got your request`,
      blocks: [
        greeting(ctx),
        ctx.openedFor ? openedForYou(ctx, ctx.openedFor) : p`Thanks for getting in touch. We've logged your request as ${strong(ctx.ticketId)}:`,
        quote(ctx.subject),
        p`Someone from ${ctx.teamName} will take a look and get back to you by email.`,
        p`Want to add something, like a screenshot or the exact error message? Just reply to this email and it goes straight onto your ticket. If you write to us about this again, please keep ${strong(`[${ctx.ticketId}]`)} in the subject so it lands in the right place.`,
        ...statusPageLine(ctx),
      ],
    });
  },

  /** Asks exactly for what is missing; `followUp` when the user already answered once. */
  missingInfo(ctx: TicketContext & { asks: string[]; followUp: boolean }): RenderedMail {
    const asks = ctx.asks.filter((ask) => ask.trim() !== '');
    const one = asks.length === 1;
    return requesterMail(ctx, {
      preview: ctx.followUp
        ? p`Thanks for the update on ${ctx.ticketId}. We just need a little more to go on.`
        : p`About ${ctx.ticketId}: a few details will help us sort this out faster.`,
      heading: ctx.followUp ? p`Thanks, nearly there` : p`A few details, please`,
      blocks: [
        greeting(ctx),
        ctx.followUp
          ? p`Thanks for the extra information. We've added it to your ticket ${strong(ctx.ticketId)}:`
          : ctx.openedFor
            ? openedForYou(ctx, ctx.openedFor)
            : p`Thanks for your request. We've logged it as ${strong(ctx.ticketId)}:`,
        quote(ctx.subject),
        asks.length === 0
          ? p`To help you, we need a little more detail about what is happening. Could you tell us more?`
          : ctx.followUp
            ? one
              ? p`We still need one more thing:`
              : p`We still need a few more things:`
            : p`To help you as quickly as possible, could you tell us:`,
        ...(asks.length ? [list(asks)] : []),
        p`Just reply to this email with the details and they go straight onto your ticket. Please keep ${strong(`[${ctx.ticketId}]`)} in the subject.`,
        ...statusPageLine(ctx),
      ],
    });
  },

  /** The mail is the same request as an open ticket and was added to it. */
  duplicateNotice(ctx: TicketContext & { duplicateOfId: string }): RenderedMail {
    return requesterMail(ctx, {
      preview: p`This looks like the same request as ${ctx.duplicateOfId}, so we've added it there.`,
      heading: p`We already have this one`,
      blocks: [
        greeting(ctx),
        p`Thanks for your message. It looks like the same request as ${strong(ctx.duplicateOfId)}, which we're already working on, so we've added your message to that ticket instead of opening a new one:`,
        quote(ctx.subject),
        p`There's nothing else you need to do. To add more details, just reply to this email.`,
        p`If this is actually a different problem, reply and tell us, and we'll give it its own ticket.`,
      ],
      ticketId: ctx.duplicateOfId,
    });
  },

  /**
   * The request is one of several reports of one outage: known, being worked on, nothing more to
   * do. `earlier`: the request was acknowledged before others reported the same, so this mail
   * does not thank and log it again.
   */
  incidentAck(ctx: TicketContext & { incidentId: string; title: string; earlier?: boolean }): RenderedMail {
    return requesterMail(ctx, {
      preview: p`We know about this problem and are working on it. Your request is ${ctx.ticketId}.`,
      heading: p`We know about this problem`,
      blocks: [
        greeting(ctx),
        ctx.earlier
          ? p`About your request ${strong(ctx.ticketId)}:`
          : ctx.openedFor
            ? openedForYou(ctx, ctx.openedFor)
            : p`Thanks for letting us know. We've logged your request as ${strong(ctx.ticketId)}:`,
        quote(ctx.subject),
        ctx.earlier
          ? p`Other people have since reported the same problem, so ${ctx.teamName} is treating it as one incident and working on it (${strong(ctx.incidentId)}):`
          : p`Other people have reported the same problem, so ${ctx.teamName} already knows about it and is working on it (${strong(ctx.incidentId)}):`,
        quote(ctx.title),
        p`There's nothing more you need to do: we'll email you when it's fixed.`,
        p`If your problem is a different one, or you have something to add, just reply to this email and it goes onto your ticket. Please keep ${strong(`[${ctx.ticketId}]`)} in the subject.`,
        ...statusPageLine(ctx),
      ],
    });
  },

  /**
   * A reminder to a requester who has gone quiet on a ticket that waits on them: what is still
   * missing, that a reply keeps it open, and that it closes otherwise. `closesInDays`, when
   * known, says when.
   */
  nudge(ctx: TicketContext & { waitingFor: string[]; days: number; closesInDays?: number }): RenderedMail {
    const waitingFor = ctx.waitingFor.filter((ask) => ask.trim() !== '');
    const closesInDays = ctx.closesInDays && ctx.closesInDays > 0 ? Math.ceil(ctx.closesInDays) : null;
    return requesterMail(ctx, {
      preview: p`A quick reminder: ${ctx.ticketId} is waiting for your reply.`,
      heading: p`We're still waiting to hear from you`,
      blocks: [
        greeting(ctx),
        p`Just a friendly reminder: your ticket ${strong(ctx.ticketId)} is waiting for your reply, and we haven't heard from you for ${dayCount(ctx.days)}:`,
        quote(ctx.subject),
        ...(waitingFor.length
          ? [waitingFor.length === 1 ? p`We are still waiting for one thing:` : p`We are still waiting for:`, list(waitingFor)]
          : [p`We are still waiting for your answer to our last email.`]),
        p`Just reply to this email and it goes straight onto your ticket. Replying keeps the ticket open, even if you only have part of the answer for now.`,
        closesInDays
          ? p`If we don't hear from you, we'll close the ticket in ${dayCount(closesInDays)}. If the problem has gone away, there is nothing you need to do.`
          : p`If we don't hear from you, we'll close the ticket in a few days. If the problem has gone away, there is nothing you need to do.`,
      ],
    });
  },

  /** The ticket waited on the requester for `days` days without an answer and was closed. */
  autoClosed(ctx: TicketContext & { days: number }): RenderedMail {
    return requesterMail(ctx, {
      preview: p`We've closed ${ctx.ticketId} as we haven't heard back. Reply if you still need help.`,
      heading: p`We've closed your request`,
      blocks: [
        greeting(ctx),
        p`We haven't heard back from you about ${strong(ctx.ticketId)} for ${dayCount(ctx.days)}, so we've closed it:`,
        quote(ctx.subject),
        p`Still need help? Just reply to this email. We'll pick it up again as a new ticket linked to this one, so you won't have to explain everything again.`,
        p`For anything else, write to ${ctx.supportAddress} as usual.`,
      ],
    });
  },
};

/** Our own mail to a requester: signed by the team, and the footer says why they get it. */
function requesterMail(ctx: TicketContext, parts: Omit<MailParts, 'signOff' | 'footer'>): RenderedMail {
  return renderMail(ctx, { ...parts, signOff: [p`Thanks,`, p`${ctx.teamName}`], footer: ctx.openedFor ? becauseStaffOpened(ctx, ctx.openedFor) : becauseYouEmailed(ctx) });
}

/** The first words of a ticket a staff member opened for the requester: who did, and its id. */
function openedForYou(ctx: TicketContext, by: NonNullable<TicketContext['openedFor']>): Paragraph {
  return by.forwarded
    ? p`${by.by} from ${ctx.teamName} passed your email on to us, and we've logged it as ${strong(ctx.ticketId)}:`
    : p`${by.by} from ${ctx.teamName} has logged a request for you as ${strong(ctx.ticketId)}:`;
}

/** Why a requester who never wrote to us gets our mail: a staff member opened the ticket for them. */
function becauseStaffOpened(ctx: TicketContext, by: NonNullable<TicketContext['openedFor']>): Paragraph {
  return by.forwarded
    ? p`You're getting this because ${by.by} forwarded your email to ${address(ctx.supportAddress)}.`
    : p`You're getting this because ${by.by} asked ${address(ctx.supportAddress)} to help you.`;
}

/** Why a requester gets our mail: they wrote to the support address. */
export function becauseYouEmailed(ctx: TicketContext): Paragraph {
  return p`You're getting this because you emailed ${address(ctx.supportAddress)}.`;
}

/** Where the requester can see the ticket's progress, when status links are on. */
export function statusPageLine(ctx: TicketContext): Paragraph[] {
  return ctx.statusUrl ? [p`You can see where your ticket stands, and answer us, on its status page: ${link(`${ctx.ticketId} status`, ctx.statusUrl)}`] : [];
}

function greeting(ctx: TicketContext): Paragraph {
  const name = ctx.requesterName.trim();
  return name ? p`Hi ${name},` : p`Hi there,`;
}

function dayCount(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}
