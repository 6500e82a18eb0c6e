/** The chat block of the config: what it defaults to, and a precise error for each mistake. */
import { describe, expect, it } from 'vitest';
import { inlineChatSecrets } from '../../src/chat/credentials.js';
import { parseConfig } from '../../src/config.js';

const error = (chat: unknown) => {
  try {
    parseConfig({ chat });
  } catch (err) {
    return (err as Error).message;
  }
  return null;
};

describe('chat config', () => {
  it('is off by default, and a channel defaults to every event and new P1 and P2 tickets', () => {
    expect(parseConfig({}).chat).toEqual({ retrySeconds: 60 });
    expect(parseConfig({ chat: { teams: { webhookUrl: 'https://prod-00.westeurope.logic.azure.com/workflows/abc?sig=x' } } }).chat.teams).toEqual({
      webhookUrl: 'https://prod-00.westeurope.logic.azure.com/workflows/abc?sig=x',
      events: ['new-ticket', 'update', 'incident', 'stale', 'digest'],
      priorities: ['P1', 'P2'],
    });
    expect(parseConfig({ chat: { slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/X' } } }).chat.slack?.apiUrl).toBe('https://slack.com/api');
  });

  it('says what is missing or wrong, in words', () => {
    expect(error({ slack: {} })).toContain('give webhookUrl, or botToken and channel, or secretArn');
    expect(error({ slack: { botToken: 'xoxb-1-2-abc' } })).toContain('a bot token posts to a channel: give its id');
    expect(error({ slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/X', signingSecret: 'a-signing-secret-of-some-length' } })).toContain('the buttons and /ticket need a bot token, to look up who pressed them');
    expect(error({ slack: { botToken: 'a-token', channel: 'C0123456789' } })).toContain('expected a Slack bot token such as xoxb-…');
    expect(error({ slack: { botToken: 'xoxb-1-2-abc', channel: '#it-tickets' } })).toContain('expected a Slack channel id such as C0123ABCDEF');
    expect(error({ teams: {} })).toContain('give exactly one of webhookUrl or secretArn');
    expect(error({ teams: { webhookUrl: 'https://x.example/hook', events: ['new-tickets'] } })).toMatch(/events/);
    expect(error({ teams: { webhookUrl: 'https://x.example/hook', priorities: ['urgent'] } })).toMatch(/priorities/);
  });

  it('takes plain http only to this machine', () => {
    expect(error({ teams: { webhookUrl: 'http://hooks.example.org/x' } })).toContain('expected an https URL (plain http only to 127.0.0.1, for local use)');
    expect(error({ teams: { webhookUrl: 'http://127.0.0.1:8123/teams' } })).toBeNull();
    expect(error({ slack: { webhookUrl: 'http://localhost.evil.example/x' } })).toContain('expected an https URL');
  });

  it('lists the secrets written inline, which a deployed stack refuses', () => {
    const chat = parseConfig({ chat: { slack: { botToken: 'xoxb-1-2-abc', channel: 'C0123456789', signingSecret: 'a-signing-secret-of-some-length' }, teams: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:teams-AbCdEf' } } }).chat;
    expect(inlineChatSecrets(chat)).toEqual(['chat.slack.botToken', 'chat.slack.signingSecret']);
  });
});
