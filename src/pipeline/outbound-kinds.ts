/**
 * Every kind of mail we send, in one table: who reads it, whether it is an automatic answer to a
 * requester's mail that the auto-reply rules may hold back, and the template that words it.
 * `OutboundKind` is derived from the table and so is every list of kinds (the auto-replies
 * planned from a `ReplyPlan`, the held-back replies the metrics count, the requester's texts a
 * ticket keeps): a new kind is one entry here and its template.
 */
import { renderDigest } from '../mail/digest.js';
import type { RenderedMail } from '../mail/templates/render.js';
import { incidentTemplates } from '../mail/templates/incident.js';
import { templates } from '../mail/templates/requester.js';
import { staffTemplates } from '../mail/templates/staff.js';

export interface OutboundKindSpec {
  /** Who reads it: the requester's side (the requester and the people in Cc), or staff. */
  audience: 'requester' | 'staff';
  /**
   * An automatic answer to the requester's mail, planned from a `ReplyPlan`: held back by the
   * person-level rules (src/pipeline/auto-reply.ts) and the hourly limits, and counted when it is.
   */
  autoReply: boolean;
  /** Its words (src/mail/templates/, src/mail/digest.ts); an auto-reply's input is the ticket's context and its plan. */
  template: (input: never) => RenderedMail;
}

export const OUTBOUND_KINDS = {
  ack: { audience: 'requester', autoReply: true, template: templates.ack },
  'missing-info': { audience: 'requester', autoReply: true, template: templates.missingInfo },
  'duplicate-notice': { audience: 'requester', autoReply: true, template: templates.duplicateNotice },
  'incident-ack': { audience: 'requester', autoReply: true, template: templates.incidentAck },
  'staff-notification': { audience: 'staff', autoReply: false, template: staffTemplates.notification },
  'note-notification': { audience: 'staff', autoReply: false, template: staffTemplates.note },
  'incident-notification': { audience: 'staff', autoReply: false, template: incidentTemplates.notification },
  'incident-update': { audience: 'staff', autoReply: false, template: incidentTemplates.update },
  relay: { audience: 'requester', autoReply: false, template: staffTemplates.relay },
  'command-result': { audience: 'staff', autoReply: false, template: staffTemplates.commandResult },
  nudge: { audience: 'requester', autoReply: false, template: templates.nudge },
  'auto-closed': { audience: 'requester', autoReply: false, template: templates.autoClosed },
  digest: { audience: 'staff', autoReply: false, template: renderDigest },
  'limit-notice': { audience: 'staff', autoReply: false, template: staffTemplates.limitNotice },
  'staff-warning': { audience: 'staff', autoReply: false, template: staffTemplates.staffWarning },
  'sign-in': { audience: 'staff', autoReply: false, template: staffTemplates.signIn },
} as const satisfies Record<string, OutboundKindSpec>;

/** Every kind of mail we send on a ticket (`replies[].kind` in results, the start of our Message-IDs). */
export type OutboundKind = keyof typeof OUTBOUND_KINDS;

/** The kinds that answer a requester's mail on their own, and may be held back. */
export type AutoReplyKind = { [K in OutboundKind]: (typeof OUTBOUND_KINDS)[K]['autoReply'] extends true ? K : never }[OutboundKind];

export function isAutoReply(kind: OutboundKind): kind is AutoReplyKind {
  return OUTBOUND_KINDS[kind].autoReply;
}

/** The requester sees this kind: a reply that pastes its text back is cleaned with it. */
export function readByRequester(kind: OutboundKind): boolean {
  return OUTBOUND_KINDS[kind].audience === 'requester';
}
