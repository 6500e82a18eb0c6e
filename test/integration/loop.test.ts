/**
 * Mail loops and the auto-reply limit, through the real handler, store and local SES endpoint:
 * an auto-responder that answers everything (and marks nothing) against our auto-replies must
 * stop within the configured limit; concurrent deliveries cannot beat the limit either.
 */
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { deliverAsSes } from '../../src/local/ingest.js';
import { withLocalStack, type DynamoBackend, type StackFixture } from '../support/stack-fixture.js';
import { fixturesDir, northwindConfig, pipelineOn, toRequester } from '../support/pipeline.js';
import { withHeaders } from '../support/rewrite.js';
import { join } from 'node:path';

const loopFixture = (name: string) => readFileSync(new URL(`loops/${name}`, fixturesDir));

async function sentTo(fx: StackFixture, address: string) {
  const entries = await readOutbox(join(fx.dataDir, 'outbox'));
  const mails = await Promise.all(entries.map(async (e) => simpleParser(readFileSync(e.rawPath))));
  return mails.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.value.some((v) => v.address === address)));
}

describe.each<DynamoBackend>(['dynalite', 'dynamodb-local'])('loop protection on %s', (backend) => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: backend, config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('two auto-responders mailing each other through the pipeline stop within the limit', async () => {
    const { deps, clock, config } = await pipelineOn(fx);
    const template = loopFixture('auto-responder-a.eml');
    const from = (await simpleParser(template)).from!.value[0]!.address!;
    let raw: Buffer = template;
    let round = 0;
    const outcomes: string[] = [];
    let lastReason = '';
    // Each round: deliver the responder's mail, then answer our latest reply to it, as it would.
    for (; round < 20; round++) {
      const [r] = await deliverAsSes(raw, {}, deps);
      outcomes.push(`${r!.outcome}:${toRequester(r!).length}`);
      lastReason = r!.reason;
      if (!toRequester(r!).length) break;
      const ours = (await sentTo(fx, from)).at(-1)!;
      raw = withHeaders(template, {
        'Message-ID': `<auto-${round}.${Date.now()}@responder.example>`,
        'In-Reply-To': ours.messageId!,
        References: ours.messageId!,
        Subject: `Re: ${ours.subject}`,
      });
      // An hour apart, so the hourly limits never stop it: the loop must end on its own rules.
      clock.advance(3600_000);
    }
    const replies = await sentTo(fx, from);
    expect(round).toBeLessThan(20);
    // One first answer, then at most the capped follow-up requests for what is still missing.
    expect(replies.length).toBeLessThanOrEqual(1 + config.autoReplies.maxFollowUpAsks);
    expect(lastReason).toMatch(/already asked \d+ times: status awaiting-info → open for IT to follow up|auto-reply limit reached/);
    console.info(`[${backend}] loop stopped after ${round + 1} inbound mails, ${replies.length} auto-replies: ${outcomes.join(' ')}`);
  });

  it('a vacation responder that sets no loop headers gets no auto-reply at all', async () => {
    const { deps } = await pipelineOn(fx);
    const [r] = await deliverAsSes(loopFixture('vacation-responder-b.eml'), {}, deps);
    expect(r!.replies).toEqual([]);
    expect(r!.outcome).toBe('ignored');
  });

  it('answers none of the machine-mail fixtures, and opens no ticket for them', async () => {
    const { deps } = await pipelineOn(fx);
    const labels: { file: string; machine: string | null }[] = JSON.parse(readFileSync(new URL('loops/expected.json', fixturesDir), 'utf8'));
    // Fresh deliveries, not on any ticket: the mail/ ones that sit on a thread are covered by the corpus test.
    for (const label of labels.filter((l) => l.file.startsWith('loops/'))) {
      const [r] = await deliverAsSes(readFileSync(new URL(label.file, fixturesDir)), {}, deps);
      if (label.machine) expect({ file: label.file, outcome: r!.outcome, replies: r!.replies }).toEqual({ file: label.file, outcome: 'ignored', replies: [] });
      else expect(r!.outcome, label.file).toBe('created');
    }
  });

  it('holds the per-sender limit under concurrent deliveries', async () => {
    const { deps, config } = await pipelineOn(fx);
    const template = readFileSync(new URL('mail/01-outlook-new-vpn-down.eml', fixturesDir));
    const topics = ['VPN down', 'Printer jammed', 'Teams crashes', 'Outlook search broken', 'Monitor flickers', 'Badge not working', 'Excel add-in missing', 'Wi-Fi slow in room 4', 'SAP password expired', 'Laptop fan loud'];
    const mails = topics.map((topic, i) =>
      withHeaders(template, { 'Message-ID': `<burst-${i}@northwind.example>`, Subject: `${topic} (${i})` }),
    );
    const results = (await Promise.all(mails.map((m) => deliverAsSes(m, {}, deps)))).flat();
    const sent = results.reduce((n, r) => n + toRequester(r).length, 0);
    expect(sent).toBe(config.autoReplies.maxPerSenderPerHour);
    expect(results.filter((r) => /auto-reply limit reached: 3 per (sender|ticket) per hour/.test(r.reason))).toHaveLength(results.length - sent);
  });
});
