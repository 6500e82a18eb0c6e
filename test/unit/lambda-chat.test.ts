import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';

const BASE = { supportAddresses: ['help@northwind.example'], aws: { region: 'eu-west-1', tableName: 'tickets', bucket: 'ticketing-mail', inboundPrefix: 'inbound/' } };
const context = { functionName: 'chat', awsRequestId: 'test' } as Context;
const saved = { config: process.env.TICKETING_CONFIG, region: process.env.AWS_REGION };

afterEach(() => {
  process.env.TICKETING_CONFIG = saved.config;
  process.env.AWS_REGION = saved.region;
  if (saved.config === undefined) delete process.env.TICKETING_CONFIG;
  if (saved.region === undefined) delete process.env.AWS_REGION;
  vi.resetModules();
});

describe('chat Lambda entry point', () => {
  it('fails its cold start when the config has no channel to post to', async () => {
    process.env.TICKETING_CONFIG = JSON.stringify(BASE);
    process.env.AWS_REGION = 'eu-west-1';
    await expect(import('../../src/aws/lambda/chat.js')).rejects.toThrow('TICKETING_CONFIG has no chat.slack or chat.teams block: the chat function has no channel to post to');
  });

  it('loads with a channel whose secret it reads only when an event comes, and rejects an event that is not from SNS', async () => {
    process.env.TICKETING_CONFIG = JSON.stringify({ ...BASE, chat: { teams: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/teams-AbCdEf' } } });
    process.env.AWS_REGION = 'eu-west-1';
    const { handler } = await import('../../src/aws/lambda/chat.js');
    await expect(handler({ 'detail-type': 'Scheduled Event', source: 'aws.events' }, context)).rejects.toThrow(/expects an SNS event from the ticket-events topic .*got keys detail-type, source/);
  });
});
