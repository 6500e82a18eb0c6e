/** The channels' secrets from Secrets Manager: read, checked, and an error that names the secret and field, never a value. */
import { describe, expect, it } from 'vitest';
import { slackCredentials, teamsCredentials } from '../../src/chat/credentials.js';
import { parseConfig } from '../../src/config.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/slack-AbCdEf';
const slack = parseConfig({ chat: { slack: { secretArn: ARN, channel: 'C0123456789' } } }).chat.slack!;
const reading = (value: string) => async (arn: string) => (arn === ARN ? value : Promise.reject(new Error(`no secret ${arn}`)));
const failure = (p: Promise<unknown>) => p.then(() => null, (err: Error) => err.message);

describe('chat credentials', () => {
  it('takes the bot token and signing secret from the secret, the channel from the config', async () => {
    expect(await slackCredentials(slack, reading('{"botToken": "xoxb-1-2-abc", "signingSecret": "0123456789abcdef0123"}'))).toEqual({ webhookUrl: null, botToken: 'xoxb-1-2-abc', channel: 'C0123456789', signingSecret: '0123456789abcdef0123' });
  });

  it('says which secret and which field is wrong, and never what it holds', async () => {
    const notJson = await failure(slackCredentials(slack, reading('xoxb-1-2-abc')));
    expect(notJson).toBe(`chat.slack: the secret ${ARN} is not JSON (expected e.g. {"webhookUrl": "https://…"})`);
    const badToken = await failure(slackCredentials(slack, reading('{"botToken": "hunter2-secret"}')));
    expect(badToken).toBe(`chat.slack: the secret ${ARN}: botToken: expected a Slack bot token such as xoxb-…`);
    expect(badToken).not.toContain('hunter2');
    expect(await failure(slackCredentials(slack, reading('{"signingSecret": "0123456789abcdef0123"}')))).toBe(`chat.slack: the secret ${ARN} holds neither webhookUrl nor botToken`);
    expect(await failure(slackCredentials(slack, reading('{"token": "xoxb-1-2-abc"}')))).toContain('Unrecognized key');
  });

  it('needs a reader for a secret, and takes an inline URL as it is', async () => {
    expect(await failure(slackCredentials(slack, null))).toBe("chat.slack.secretArn is set, but this process cannot read Secrets Manager");
    const teams = parseConfig({ chat: { teams: { webhookUrl: 'https://x.example/workflows/1?sig=a' } } }).chat.teams!;
    expect(await teamsCredentials(teams, null)).toEqual({ webhookUrl: 'https://x.example/workflows/1?sig=a' });
  });
});
