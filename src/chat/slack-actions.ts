/**
 * The interactive parts of our Slack messages: the action ids of the buttons and the select, as
 * the message renders them (slack-message.ts) and the HTTP app reads them back (src/http/slack/).
 * Each element's `value` is the ticket's display id (TKT-42); the select's options are priorities.
 */
export const SLACK_ACTIONS = {
  assignMe: 'ticket_assign_me',
  resolve: 'ticket_resolve',
  priority: 'ticket_priority',
} as const;

export type SlackActionId = (typeof SLACK_ACTIONS)[keyof typeof SLACK_ACTIONS];
