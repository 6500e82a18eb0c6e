/**
 * What Slack sends us, read from the form body it signed: a button press or a select
 * (interactivity: `payload=` and a `block_actions` JSON) and the /ticket slash command. Only
 * Slack's own ids are read (the user's id, the action's); a name or email a payload carries is
 * never used: who pressed is asked of Slack's API (src/chat/slack-users.ts).
 */
import * as z from 'zod';
import { SLACK_ACTIONS } from '../../chat/slack-actions.js';
import { parseTicketId } from '../../domain/ticket.js';

/** A press of one of our buttons, or a priority chosen in our select. */
export interface SlackPress {
  slackUser: string;
  ticketNumber: number;
  /** The staff command it stands for: `#assign me`, `#resolve`, `#priority P1`. */
  command: string;
  /** Slack's id of this press: the same press delivered twice is one staff mail. */
  pressId: string;
  responseUrl: string | null;
}

export type SlackTicketAsk = { kind: 'help' } | { kind: 'mine' } | { kind: 'stale' } | { kind: 'ticket'; number: number } | { kind: 'unknown'; text: string };

export interface SlackSlashCommand {
  slackUser: string;
  command: string;
  ask: SlackTicketAsk;
  responseUrl: string | null;
}

type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

const blockActions = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().min(1).max(64) }),
  response_url: z.string().max(2000).optional(),
  actions: z
    .array(
      z.object({
        action_id: z.string().max(255),
        action_ts: z.string().min(1).max(64),
        value: z.string().max(2000).optional(),
        selected_option: z.object({ value: z.string().max(150) }).nullish(),
      }),
    )
    .min(1),
});

/** The `payload` field of an interactivity request, as one press. */
export function readActionPayload(form: URLSearchParams, ticketPrefix: string): Read<SlackPress> {
  const text = form.get('payload');
  if (text === null) return { ok: false, reason: 'the request has no payload field' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the payload is not JSON' };
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (type !== 'block_actions') return { ok: false, reason: `payloads of type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : '(none)'} are not handled here; only presses of the ticket buttons (block_actions)` };
  const parsed = blockActions.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `the block_actions payload is missing or has a wrong ${issue.path.join('.') || 'value'}` };
  }
  const payload = parsed.data;
  const action = payload.actions[0]!;
  const pressed = commandOf(action, ticketPrefix);
  if ('reason' in pressed) return { ok: false, reason: pressed.reason };
  return {
    ok: true,
    value: {
      slackUser: payload.user.id,
      ticketNumber: pressed.ticketNumber,
      command: pressed.command,
      pressId: `${payload.user.id}/${action.action_id}/${action.action_ts}`,
      responseUrl: payload.response_url ?? null,
    },
  };
}

function commandOf(action: z.infer<typeof blockActions>['actions'][number], prefix: string): { ticketNumber: number; command: string } | { reason: string } {
  const ticket = (id: string | undefined) => (id === undefined ? null : parseTicketId(prefix, id));
  switch (action.action_id) {
    case SLACK_ACTIONS.assignMe:
    case SLACK_ACTIONS.resolve: {
      const number = ticket(action.value);
      if (number === null) return { reason: `the button's value is not a ticket id like ${prefix}-42` };
      return { ticketNumber: number, command: action.action_id === SLACK_ACTIONS.assignMe ? '#assign me' : '#resolve' };
    }
    case SLACK_ACTIONS.priority: {
      // Each option's value is `<ticket id>:<priority>` (TKT-42:P1): the select knows its ticket.
      const match = /^(.+):(P[1-4])$/.exec(action.selected_option?.value ?? '');
      const number = match ? ticket(match[1]) : null;
      if (!match || number === null) return { reason: `the chosen priority is not a value like ${prefix}-42:P1` };
      return { ticketNumber: number, command: `#priority ${match[2]}` };
    }
    default:
      return { reason: `the action ${JSON.stringify(action.action_id.slice(0, 60))} is not one of ours` };
  }
}

/** A slash command's form fields (command, text, user_id, …), as what is asked. */
export function readSlashCommand(form: URLSearchParams, ticketPrefix: string): Read<SlackSlashCommand> {
  const command = form.get('command');
  const slackUser = form.get('user_id');
  if (!command) return { ok: false, reason: 'the request has no command field' };
  if (!slackUser) return { ok: false, reason: 'the request has no user_id field' };
  return { ok: true, value: { slackUser, command: command.slice(0, 40), ask: ticketAsk(form.get('text') ?? '', ticketPrefix), responseUrl: form.get('response_url') } };
}

/** `/ticket TKT-42` (or `42`), `/ticket mine`, `/ticket stale`, `/ticket` or `/ticket help`. */
export function ticketAsk(text: string, prefix: string): SlackTicketAsk {
  const words = text.trim();
  const word = words.toLowerCase();
  if (word === '' || word === 'help') return { kind: 'help' };
  if (word === 'mine') return { kind: 'mine' };
  if (word === 'stale') return { kind: 'stale' };
  const id = words.replace(/^\[(.*)\]$/, '$1').replace(/^#/, '');
  const number = parseTicketId(prefix, id) ?? (/^\d{1,9}$/.test(id) ? Number(id) : null);
  if (number !== null && number > 0) return { kind: 'ticket', number };
  return { kind: 'unknown', text: words.slice(0, 100) };
}
