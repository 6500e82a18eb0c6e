/**
 * Triage and missing-information requests through the real handler, store and local SES
 * endpoint (dynalite): every labelled new mail gets its category, priority, missing details,
 * status and the one auto-reply that fits; every labelled reply re-evaluates its ticket.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingDetails } from '../../src/domain/missing-info.js';
import { deliverAsSes } from '../../src/local/ingest.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { replyLabels, triageLabels } from '../eval/triage.js';
import { fixturesDir, northwindConfig, pipelineOn, toRequester } from '../support/pipeline.js';
import { withHeaders } from '../support/rewrite.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const fixture = (file: string) => readFileSync(new URL(file, fixturesDir));
const HOUR = 3600_000;

describe('triage and missing information through the pipeline', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: 'dynalite', config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  async function lastSent() {
    const entries = await readOutbox(join(fx.dataDir, 'outbox'));
    return simpleParser(readFileSync(entries.at(-1)!.rawPath));
  }

  it('gives every labelled new mail its category, priority, missing details, status and reply', async () => {
    const { deps, clock } = await pipelineOn(fx);
    const seen = [];
    for (const label of triageLabels.filter((l) => l.file.startsWith('triage/'))) {
      const [r] = await deliverAsSes(fixture(label.file), {}, deps);
      seen.push({ file: label.file, category: r!.category, priority: r!.priority, missing: r!.missing, status: r!.status, replies: toRequester(r!) });
      // An hour apart: the per-sender limit is not what this test is about.
      clock.advance(HOUR);
    }
    expect(seen).toEqual(
      triageLabels
        .filter((l) => l.file.startsWith('triage/'))
        .map((l) => ({
          file: l.file,
          category: l.category,
          priority: l.priority,
          missing: l.missing,
          status: l.missing.length ? 'awaiting-info' : 'open',
          replies: [l.missing.length ? 'missing-info' : 'ack'],
        })),
    );
  });

  it.each(replyLabels)('re-evaluates the ticket on a reply: $file', async (label) => {
    const { deps, store } = await pipelineOn(fx);
    const [opened] = await deliverAsSes(fixture(label.original), {}, deps);
    expect([opened!.category, opened!.priority, opened!.missing]).toEqual([label.category, label.current, label.missingBefore]);
    const ours = await lastSent();
    // The reply answers the mail we actually sent (SES's Message-ID), on this test's ticket number.
    const reply = withHeaders(fixture(label.file), {
      'In-Reply-To': ours.messageId!,
      Subject: `Re: ${ours.subject!.replace(/^Re: /, '')}`,
    });
    const [r] = await deliverAsSes(reply, {}, deps);
    const ticket = (await store.getTicketById(1))!;
    expect(r).toMatchObject({ outcome: 'appended', ticket: 'TKT-1', priority: label.priority, missing: label.stillMissing });
    expect(ticket.priority).toBe(label.priority);
    expect(ticket.missing).toEqual(label.stillMissing);
    expect(ticket.status).toBe(label.stillMissing.length ? 'awaiting-info' : 'open');
    if (label.priority !== label.current) expect(ticket.triageReasons.at(-1)).toMatch(/reply/i);

    const askedAgain = label.missingBefore.length > 0 && label.stillMissing.length > 0;
    expect(toRequester(r!)).toEqual(askedAgain ? ['missing-info'] : []);
    if (askedAgain) {
      // The follow-up asks for exactly what is still missing, nothing already answered.
      const asks = missingDetails(label.category, [], northwindConfig.missingInfo);
      const text = (await lastSent()).text!.replace(/\s+/g, ' '); // unwrapped
      for (const a of asks.filter((x) => label.missingBefore.includes(x.id))) {
        if (label.stillMissing.includes(a.id)) expect(text).toContain(a.ask);
        else expect(text).not.toContain(a.ask);
      }
    }
  });

  it('asks at most once per reply: the same reply delivered again sends nothing', async () => {
    const label = replyLabels.find((l) => l.stillMissing.length)!;
    const { deps } = await pipelineOn(fx);
    await deliverAsSes(fixture(label.original), {}, deps);
    const ours = await lastSent();
    const reply = withHeaders(fixture(label.file), { 'In-Reply-To': ours.messageId! });
    const [first] = await deliverAsSes(reply, {}, deps);
    const [again] = await deliverAsSes(reply, {}, deps);
    expect(toRequester(first!)).toEqual(['missing-info']);
    expect(again).toMatchObject({ outcome: 'redelivered', replies: [] });
  });
});
