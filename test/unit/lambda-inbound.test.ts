import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';

describe('inbound Lambda entry point', () => {
  it('loads its config from TICKETING_CONFIG and rejects an event it does not handle, saying what it expected', async () => {
    process.env.TICKETING_CONFIG = readFileSync(new URL('../../fixtures/northwind.config.json', import.meta.url), 'utf8');
    process.env.AWS_REGION = 'eu-west-1';
    const { handler } = await import('../../src/aws/lambda/inbound.js');
    const scheduled = JSON.parse(readFileSync(new URL('../../fixtures/events/eventbridge-scheduled.json', import.meta.url), 'utf8'));
    const context = { functionName: 'inbound', awsRequestId: 'test' } as Context;
    await expect(handler(scheduled, context)).rejects.toThrow(/expected an SES receipt event .* "Scheduled Event"/);
  });
});
