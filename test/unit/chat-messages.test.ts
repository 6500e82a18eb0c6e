/**
 * The Slack and Teams messages of every published event pass the vendors' own checks
 * (test/support/chat-schemas.ts: a schema from @slack/types plus Block Kit's limits; Microsoft's
 * card schema and its `adaptivecards` renderer), whatever a mail put in them: nothing from mail
 * can ping, link or format. Card markdown is read back with markdown-it, the CommonMark parser
 * Microsoft's renderer uses.
 */
import { describe, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import { slackMessage } from '../../src/chat/slack-message.js';
import { teamsMessage, type TeamsMessage } from '../../src/chat/teams-card.js';
import { SLACK_ACTIONS } from '../../src/chat/slack-actions.js';
import { oneLine } from '../../src/chat/event-words.js';
import type { PublishedEvent, TicketEventMessage } from '../../src/pipeline/ticket-events.js';
import { validateAdaptiveCard, validateSlackMessage, validateTeamsMessage } from '../support/chat-schemas.js';
import {
  EXAMPLES,
  HOSTILE_TEXTS,
  chatViewFor,
  digestSent,
  hostileDigest,
  hostileIncident,
  hostileTicket,
  incidentOpened,
  incidentUpdated,
  newP1Ticket,
  newP3Ticket,
  priorityRaised,
  staleTicket,
} from '../support/chat-examples.js';

const VIEWS = [
  chatViewFor({ console: true, interactive: true }),
  chatViewFor({ console: true, interactive: false }),
  chatViewFor({ console: false, interactive: true }),
  chatViewFor({ console: false, interactive: false }),
];
const markdown = new MarkdownIt();

/** Every Slack text object in a message, and the fallback `text`. */
function slackTexts(message: { text: string; blocks: unknown[] }): { type: string; text: string; verbatim?: boolean }[] {
  const found: { type: string; text: string; verbatim?: boolean }[] = [{ type: 'fallback', text: message.text }];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if ((o.type === 'plain_text' || o.type === 'mrkdwn') && typeof o.text === 'string') found.push(o as { type: string; text: string; verbatim?: boolean });
    Object.values(o).forEach(walk);
  };
  walk(message.blocks);
  return found;
}

/** The text a Teams card shows through markdown: TextBlock texts and fact values. */
function cardTexts(message: TeamsMessage): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') found.push(o.text);
    if (typeof o.title === 'string' && typeof o.value === 'string') found.push(o.value);
    Object.values(o).forEach(walk);
  };
  walk(message.attachments[0].content.body);
  return found;
}

function actionsOf(message: { blocks: unknown[] }) {
  return (message.blocks as { type: string; elements?: any[] }[]).filter((b) => b.type === 'actions');
}

function expectNothingActive(event: PublishedEvent) {
  for (const view of VIEWS) {
    for (const inThread of [false, true]) {
      const slack = slackMessage(event, view, { inThread });
      expect(validateSlackMessage(slack), `Slack, ${event.type}, inThread ${inThread}`).toEqual([]);
      for (const object of slackTexts(slack)) {
        // The only control sequences are our own links, to the console or the reply address.
        for (const [sequence] of object.text.matchAll(/<[^>]*>/g)) {
          expect(sequence, `${object.type} in ${event.type}`).toMatch(/^<(https:\/\/help\.northwind\.example\/console\/|mailto:support\+)[^|<>]*\|[^<>]*>$/);
        }
        expect(object.text, 'a bare & outside an entity').not.toMatch(/&(?!amp;|lt;|gt;)/);
        if (object.type === 'plain_text') expect(object.text).not.toMatch(/[<>]/);
        if (object.type === 'mrkdwn') {
          expect(object.verbatim, 'mrkdwn is verbatim: nothing auto-linked or mentioned').toBe(true);
          expect(object.text).not.toMatch(/\*bold\*|~strike~|`code`|_italic_/);
        }
        expect(object.text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
      }
    }
    const teams = teamsMessage(event, view);
    expect(validateTeamsMessage(teams), `Teams, ${event.type}`).toEqual([]);
    for (const shown of cardTexts(teams)) {
      const html = markdown.render(shown);
      // Our own lists and links to the console are the only markup.
      const ours = html.replace(/<a href="https:\/\/help\.northwind\.example\/console\/tickets\/TKT-\d+">TKT-\d+<\/a>/g, '').replace(/<\/?(ul|li)>/g, '');
      expect(ours, `card text ${JSON.stringify(shown.slice(0, 60))}`).not.toMatch(/<(a|strong|em|s|code|ul|ol|li|h\d|blockquote|img)\b/);
      expect(shown).not.toMatch(/\{\{DATE|[\u202a-\u202e\u2066-\u2069]/);
    }
  }
}

describe('chat messages pass Slack and Teams checks', () => {
  it.each(EXAMPLES.map((e) => [e.kind, e.event] as const))('%s: valid for Slack (top-level and in a thread) and Teams, in every view', (_kind, event) => {
    for (const view of VIEWS) {
      for (const inThread of [false, true]) expect(validateSlackMessage(slackMessage(event, view, { inThread }))).toEqual([]);
      expect(validateTeamsMessage(teamsMessage(event, view))).toEqual([]);
    }
  });

  it('every event kind, including a P3 ticket, a stale one and an incident update, is valid', () => {
    for (const event of [newP1Ticket, newP3Ticket, priorityRaised, staleTicket, incidentOpened, incidentUpdated, digestSent]) {
      for (const view of VIEWS) {
        expect(validateSlackMessage(slackMessage(event, view, { inThread: false })), event.type).toEqual([]);
        expect(validateSlackMessage(slackMessage(event, view, { inThread: true })), event.type).toEqual([]);
        expect(validateTeamsMessage(teamsMessage(event, view)), event.type).toEqual([]);
      }
    }
  });
});

describe('text from mail cannot ping, link or format', () => {
  it.each(HOSTILE_TEXTS.map((t) => [t.length > 80 ? `${t.slice(0, 20)}… (${t.length} chars)` : t, t]))('%s', (_label, text) => {
    for (const type of ['ticket.created', 'ticket.updated', 'ticket.stale'] as const) expectNothingActive(hostileTicket(text, type));
    expectNothingActive(hostileIncident(text));
    expectNothingActive(hostileDigest(text));
  });

  it('a hostile subject still reads as written: escaped for Slack, shown unchanged by a CommonMark renderer in Teams', () => {
    const subject = 'Click <https://evil.example|here> & [reset](https://evil.example) *now* <!channel>';
    const view = chatViewFor({ console: true, interactive: false });
    const slack = slackMessage(hostileTicket(subject), view, { inThread: false });
    expect(JSON.stringify(slack.blocks[0])).toContain('Click &lt;https://evil.example|here&gt; &amp; [reset](https://evil.example) *now* &lt;!channel&gt;');
    const title = cardTexts(teamsMessage(hostileTicket(subject), view))[1]!;
    const shown = markdown.renderInline(title).replace(/\u200b/g, '');
    const decoded = shown.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    expect(decoded).toBe(subject);
  });

  it('a 5000-character subject and excerpt are cut to the limits with an ellipsis', () => {
    const long = 'word '.repeat(1000);
    const view = chatViewFor({ console: true, interactive: true });
    const slack = slackMessage(hostileTicket(long), view, { inThread: false });
    const header = (slack.blocks[0] as { text: { text: string } }).text.text;
    expect(header.length).toBeLessThanOrEqual(150);
    expect(header.endsWith('…')).toBe(true);
    expect(slack.text.length).toBeLessThan(400);
    const excerpt = slackTexts(slack).find((t) => t.text.startsWith('“'))!;
    expect(excerpt.text.endsWith('…”')).toBe(true);
    expect(teamsMessage(hostileTicket(long), view).attachments[0].content.fallbackText.length).toBeLessThan(400);
  });

  it('cutting never splits an emoji', () => {
    const view = chatViewFor({ console: true, interactive: false });
    const subject = 'Printer '.concat('👨‍👩‍👧‍👦'.repeat(60));
    const header = (slackMessage(hostileTicket(subject), view, { inThread: false }).blocks[0] as { text: { text: string } }).text.text;
    expect(header.endsWith('👨‍👩‍👧‍👦…')).toBe(true);
    expect(header).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('an empty category and no assignee read as "Not set" and "Nobody yet"', () => {
    const event: TicketEventMessage = { ...newP1Ticket, category: '', assignee: null };
    const slack = JSON.stringify(slackMessage(event, VIEWS[0]!, { inThread: false }));
    expect(slack).toContain('*Category*\\nNot set');
    expect(slack).toContain('*Assignee*\\nNobody yet');
    const facts = (teamsMessage(event, VIEWS[0]!).attachments[0].content.body.find((e) => e.type === 'FactSet') as unknown as { facts: { title: string; value: string }[] }).facts;
    expect(facts).toContainEqual({ title: 'Category', value: 'Not set' });
    expect(facts).toContainEqual({ title: 'Assignee', value: 'Nobody yet' });
  });
});

describe('what each message says', () => {
  const consoleView = chatViewFor({ console: true, interactive: true });
  const mailView = chatViewFor({ console: false, interactive: false });

  it('a new P1 ticket stands out, shows its facts and the start of the text, and a plain one-line fallback', () => {
    const slack = slackMessage(newP1Ticket, consoleView, { inThread: false });
    expect(slack.text).toBe('Urgent new ticket TKT-42 (P1, urgent) from ana.silva@northwind.example: VPN down for the whole Leeds office');
    const json = JSON.stringify(slack.blocks);
    expect(json).toContain('🚨 TKT-42 · VPN down for the whole Leeds office');
    expect(json).toContain('*Urgent new ticket* (P1)');
    expect(json).toContain('Since about 9:05 nobody in the Leeds office');
    const card = teamsMessage(newP1Ticket, consoleView).attachments[0].content;
    expect(card.body[0]).toMatchObject({ text: '🚨 Urgent new ticket · TKT-42', color: 'attention' });
    expect(JSON.stringify(card.body)).toContain('Since about 9:05 nobody in the Leeds office');
    const p3 = teamsMessage(newP3Ticket, consoleView).attachments[0].content;
    expect(p3.body[0]).toMatchObject({ text: '🎫 New ticket · TKT-57', color: 'accent' });
  });

  it('links to the console when it is on, else to the ticket’s reply address', () => {
    expect(JSON.stringify(slackMessage(newP1Ticket, consoleView, { inThread: false }).blocks)).toContain('<https://help.northwind.example/console/tickets/TKT-42|Open TKT-42 in the console>');
    expect(teamsMessage(newP1Ticket, consoleView).attachments[0].content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open TKT-42 in the console', url: 'https://help.northwind.example/console/tickets/TKT-42' },
    ]);
    const slack = JSON.stringify(slackMessage(newP1Ticket, mailView, { inThread: false }).blocks);
    expect(slack).toContain('<mailto:support+tkt-42@northwind.example|support+tkt-42@northwind.example>');
    expect(slack).not.toContain('console');
    expect(teamsMessage(newP1Ticket, mailView).attachments[0].content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Reply by mail to support+tkt-42@northwind.example', url: 'mailto:support+tkt-42@northwind.example' },
    ]);
  });

  it('buttons only when someone answers them, and never on incidents or the digest', () => {
    const interactive = chatViewFor({ console: true, interactive: true });
    const passive = chatViewFor({ console: true, interactive: false });
    for (const event of [newP1Ticket, priorityRaised, staleTicket]) {
      expect(actionsOf(slackMessage(event, interactive, { inThread: false })), event.type).toHaveLength(1);
      expect(actionsOf(slackMessage(event, passive, { inThread: false })), event.type).toHaveLength(0);
      expect(actionsOf(slackMessage(event, interactive, { inThread: true })), `${event.type} in a thread`).toHaveLength(event.type === 'ticket.created' ? 1 : 0);
    }
    for (const event of [incidentOpened, incidentUpdated, digestSent]) {
      for (const inThread of [false, true]) expect(actionsOf(slackMessage(event, interactive, { inThread })), event.type).toHaveLength(0);
    }
    // Teams cards only open links: a Workflows webhook cannot send a button press back.
    for (const { event } of EXAMPLES) {
      for (const action of teamsMessage(event, interactive).attachments[0].content.actions ?? []) expect(action.type).toBe('Action.OpenUrl');
    }
  });

  it('the buttons: Assign to me and Resolve carry the ticket id, Resolve asks first, the select’s values are TKT-42:P1…', () => {
    const [actions] = actionsOf(slackMessage(newP1Ticket, consoleView, { inThread: false }));
    const [assign, resolve, select] = actions!.elements!;
    expect(assign).toMatchObject({ type: 'button', action_id: SLACK_ACTIONS.assignMe, value: 'TKT-42', text: { text: 'Assign to me' } });
    expect(resolve).toMatchObject({ type: 'button', action_id: SLACK_ACTIONS.resolve, value: 'TKT-42', confirm: { title: { text: 'Resolve TKT-42?' }, confirm: { text: 'Resolve' }, deny: { text: 'Cancel' } } });
    expect(select.action_id).toBe(SLACK_ACTIONS.priority);
    expect(select.options.map((o: { value: string }) => o.value)).toEqual(['TKT-42:P1', 'TKT-42:P2', 'TKT-42:P3', 'TKT-42:P4']);
    expect(select.initial_option.value).toBe('TKT-42:P1');
    // A resolved ticket has nothing to resolve.
    const [resolved] = actionsOf(slackMessage({ ...newP1Ticket, status: 'resolved' }, consoleView, { inThread: false }));
    expect(resolved!.elements!.map((e: { action_id: string }) => e.action_id)).toEqual([SLACK_ACTIONS.assignMe, SLACK_ACTIONS.priority]);
  });

  it('an update in a thread is a short reply saying what changed; without changes it says why', () => {
    const reply = slackMessage(priorityRaised, consoleView, { inThread: true });
    expect(reply.blocks).toHaveLength(1);
    expect(JSON.stringify(reply.blocks)).toContain('✏️ *Changed by lee.park@northwind.example*\\n• Priority: P3, normal → P2, high\\n• Assigned to lee.park@northwind.example');
    // Changes by different people each say who.
    const mixed = { ...priorityRaised, changes: [priorityRaised.changes![0]!, { field: 'status' as const, from: 'open', to: 'resolved', by: 'system' }] };
    expect(JSON.stringify(slackMessage(mixed, consoleView, { inThread: true }).blocks)).toContain('• Priority: P3, normal → P2, high (by lee.park@northwind.example)\\n• Status: Open → Resolved (automatically)');
    const noChanges = slackMessage({ ...priorityRaised, changes: [] }, consoleView, { inThread: true });
    expect(JSON.stringify(noChanges.blocks)).toContain(priorityRaised.why);
    const topLevel = slackMessage(priorityRaised, consoleView, { inThread: false });
    expect(topLevel.blocks[0]!.type).toBe('header');
    expect(JSON.stringify(teamsMessage(priorityRaised, consoleView).attachments[0].content.body)).toContain('"text":"•\u00a0Priority: P3, normal → P2, high"');
  });

  it('a stale ticket says how long it has been idle', () => {
    expect(slackMessage(staleTicket, consoleView, { inThread: false }).text).toBe('TKT-31 has had no activity for 3 days: Request: access to the Finance shared drive');
    expect(JSON.stringify(slackMessage(staleTicket, consoleView, { inThread: true }).blocks)).toContain('No activity on TKT-31 for 3 days. Status: Waiting on requester, assigned to lee.park@northwind.example.');
    expect(teamsMessage(staleTicket, consoleView).attachments[0].content.body[0]).toMatchObject({ text: '⏳ No activity for 3 days · TKT-31', color: 'warning' });
  });

  it('an incident shows its reports, reporters and tickets, and links to its console page', () => {
    const slack = JSON.stringify(slackMessage(incidentOpened, consoleView, { inThread: false }).blocks);
    expect(slack).toContain('5 reports from 4 people');
    expect(slack).toContain('<https://help.northwind.example/console/tickets/TKT-42|TKT-42>');
    expect(slack).toContain('<https://help.northwind.example/console/incidents/INC-3|Open INC-3 in the console>');
    expect(JSON.stringify(slackMessage(incidentUpdated, consoleView, { inThread: true }).blocks)).toContain('INC-3 now has 6 reports from 5 people.');
    const card = teamsMessage(incidentOpened, mailView).attachments[0].content;
    expect(JSON.stringify(card.body)).toContain('TKT-42, TKT-43, TKT-45, TKT-46, TKT-49');
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Reply on TKT-49 by mail', url: 'mailto:support+tkt-49@northwind.example' }]);
  });

  it('the digest shows its counts and the tickets idle longest', () => {
    const slack = slackMessage(digestSent, consoleView, { inThread: false });
    expect(slack.text).toBe('Daily digest: 3 stale tickets, 1 unreachable requester, 0 undelivered replies, 1 open incident');
    const json = JSON.stringify(slack.blocks);
    expect(json).toContain('*Stale tickets*\\n3');
    expect(json).toContain('• <https://help.northwind.example/console/tickets/TKT-31|TKT-31> · P2, high · idle 3 days · Request: access to the Finance shared drive');
    expect(json).toContain('<https://help.northwind.example/console/tickets/TKT-19|TKT-19> · Not set · idle 2 days');
    const card = JSON.stringify(teamsMessage(digestSent, consoleView).attachments[0].content.body);
    expect(card).toContain('•\u00a0[TKT-31](https://help.northwind.example/console/tickets/TKT-31) · P2, high · idle 3 days · Request: access to the Finance shared drive');
  });
});

describe('the validators are not vacuous', () => {
  const good = slackMessage(newP1Ticket, chatViewFor({ console: true, interactive: true }), { inThread: false });

  it('Slack: refuses what Slack refuses', () => {
    expect(validateSlackMessage(good)).toEqual([]);
    const broken = (change: (m: any) => void) => {
      const copy = structuredClone(good) as any;
      change(copy);
      return validateSlackMessage(copy);
    };
    expect(broken((m) => (m.blocks[0].text.type = 'mrkdwn')).join()).toMatch(/blocks\/0\/text\/type: must be equal to constant/);
    expect(broken((m) => (m.blocks[0].colour = 'red')).join()).toMatch(/must NOT have additional properties.*colour/);
    expect(broken((m) => m.blocks.push({ type: 'sparkles' })).join()).toMatch(/blocks\/\d+\/type: must be equal to one of the allowed values/);
    expect(broken((m) => (m.blocks[0].text.text = 'x'.repeat(151))).join()).toMatch(/at most 150/);
    expect(broken((m) => (m.blocks.at(-1).elements[0].text.text = 'x'.repeat(76))).join()).toMatch(/at most 75/);
    expect(broken((m) => (m.blocks.at(-1).elements[0].action_id = 'x'.repeat(256))).join()).toMatch(/action_id is 256 characters/);
    expect(broken((m) => m.blocks.push(...Array.from({ length: 50 }, () => ({ type: 'divider' })))).join()).toMatch(/at most 50/);
    expect(broken((m) => m.blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } })).join()).toMatch(/at most 3000/);
    expect(broken((m) => m.blocks.push({ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) })).join()).toMatch(/at most 10/);
    expect(broken((m) => delete m.text).join()).toMatch(/no top-level "text"/);
    expect(broken((m) => (m.unfurl_link = false)).join()).toMatch(/unknown top-level field "unfurl_link"/);
  });

  it('Teams: refuses a wrong envelope, an element Adaptive Cards 1.4 does not have, and a bad element', () => {
    const card = teamsMessage(newP1Ticket, chatViewFor({ console: true, interactive: false }));
    expect(validateTeamsMessage(card)).toEqual([]);
    const broken = (change: (m: any) => void) => {
      const copy = structuredClone(card) as any;
      change(copy);
      return validateTeamsMessage(copy);
    };
    expect(broken((m) => (m.attachments[0].contentType = 'application/vnd.microsoft.teams.card.o365connector')).join()).toMatch(/contentType/);
    expect(broken((m) => (m.type = 'MessageCard')).join()).toMatch(/"type" must be "message"/);
    expect(broken((m) => m.attachments[0].content.body.push({ type: 'Table', columns: [], rows: [] })).join()).toMatch(/Unknown element type "Table".*\(renderer\)/);
    expect(broken((m) => m.attachments[0].content.body.push({ type: 'TextBlock' })).join()).toMatch(/must have required property 'text'/);
    expect(broken((m) => m.attachments[0].content.body.push({ type: 'FactSet', facts: [{ title: 'x' }] })).join()).toMatch(/must have required property 'value'/);
    expect(broken((m) => m.attachments[0].content.actions.push({ type: 'Action.OpenUrl', title: 'x' })).join()).toMatch(/url/);
    expect(broken((m) => (m.attachments[0].content.version = '1.5')).join()).toMatch(/"version" must be "1.4"/);
    expect(validateAdaptiveCard({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'hi', size: 'enormous' }] }).join()).toMatch(/size/);
  });
});

describe('a sanity check of the shared words', () => {
  it('oneLine drops bidi overrides and control characters', () => {
    expect(oneLine('a\u202eb\u0007c\n\n d')).toBe('abc d');
  });
});
