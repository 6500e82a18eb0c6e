import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyEvent, s3ObjectKey, sesReceipt, UnknownEventError } from '../../src/aws/events.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/events/${name}`, import.meta.url), 'utf8'));

describe('classifyEvent', () => {
  it('reads an SES receipt event and its verdicts', () => {
    const event = classifyEvent(fixture('ses-receipt.json'));
    expect(event.kind).toBe('ses');
    if (event.kind !== 'ses') return;
    const receipt = sesReceipt(event.records[0]!, 'inbound/');
    expect(receipt.rawKey).toBe('inbound/8gq4b2vk3ad0n5pe1r7s9t0u2v4w6x8y0z2a4b01');
    expect(receipt.verdicts).toEqual({ spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' });
  });

  it('reads S3 and SQS-wrapped S3 events', () => {
    expect(classifyEvent(fixture('s3-object-created.json')).kind).toBe('s3');
    expect(classifyEvent(fixture('sqs-s3-object-created.json')).kind).toBe('sqs');
  });

  it('decodes URL-encoded S3 keys', () => {
    const event = fixture('s3-object-created.json');
    event.Records[0].s3.object.key = 'inbound/a+b%2Bc';
    const parsed = classifyEvent(event);
    if (parsed.kind !== 's3') throw new Error('expected s3');
    expect(s3ObjectKey(parsed.records[0]!)).toBe('inbound/a b+c');
  });

  it('rejects an unknown event naming what it expected and what it got', () => {
    expect(() => classifyEvent(fixture('eventbridge-scheduled.json'))).toThrowError(UnknownEventError);
    expect(() => classifyEvent(fixture('eventbridge-scheduled.json'))).toThrowError(
      /expected an SES receipt event .* got an object with keys .* \(an EventBridge "Scheduled Event" event\)/,
    );
    expect(() => classifyEvent({ Records: [{ eventSource: 'aws:sns' }] })).toThrowError(/got Records with eventSource aws:sns/);
    expect(() => classifyEvent(null)).toThrowError(/got null/);
  });

  it('names the field of a malformed SES event', () => {
    expect(() => classifyEvent({ Records: [{ eventSource: 'aws:ses', ses: { mail: {} } }] })).toThrowError(/malformed aws:ses event at Records\.0\.ses/);
  });
});

// The public sample events (shared corpora): every SES, S3 and SQS-wrapped S3 sample must be accepted.
const corpora = new URL('../../../shared/corpora/aws-lambda-events/', import.meta.url);
describe('public sample events', () => {
  if (!existsSync(corpora)) {
    it('shared corpora missing: sample events not checked', () => console.warn(`corpora not found at ${corpora.pathname}`));
    return;
  }
  const files = readdirSync(corpora, { recursive: true, encoding: 'utf8' }).filter((f) => /(ses-lambda|ses-base|sesEvent|ses-docs-lambda|s3-event|s3-base|s3Event\.json|s3-decoded|s3-sqs|s3SqsEvent|s3-eventbridge|s3EventBridge)/.test(f) && f.endsWith('.json'));
  it.each(files)('%s', (file) => {
    const event = JSON.parse(readFileSync(new URL(file, corpora), 'utf8'));
    expect(['ses', 's3', 'sqs']).toContain(classifyEvent(event).kind);
  });
});
