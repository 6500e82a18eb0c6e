/**
 * At-least-once delivery: SES, S3 events and mailbox pollers may hand over the same mail more
 * than once, at the same moment or much later. The whole fixture corpus is delivered once, in
 * order; then again on a fresh table with every mail delivered 1–5 times at once, and copies of
 * earlier mails delivered again alongside later ones (a seeded shuffle). The tickets, their
 * threads and history, the quarantine, the mail sent and the events published must be the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAsSes } from '../../src/local/ingest.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { readPublished } from '../../src/local/sns-endpoint.js';
import { fixtureMail, fixtureSidecar, fixturesDir, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';
import { mulberry32 } from '../support/random.js';
import { outboxLines, ticketLines } from '../support/state.js';

const corpus: string[] = (JSON.parse(readFileSync(new URL('mail/expected.json', fixturesDir), 'utf8')) as { file: string }[]).map((e) => e.file);


describe.each(['dynalite', 'dynamodb-local'] as const)('at-least-once delivery (%s)', (backend) => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: backend, config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  /** The corpus in order; `copies(i)` deliveries of mail i at once, with `alongside(i)` earlier mails again. */
  async function deliverCorpus(copies: (i: number) => number, alongside: (i: number) => number[]) {
    const { deps, store, clock } = await pipelineOn(fx);
    const [mailBefore, eventsBefore] = [(await readOutbox(join(fx.dataDir, 'outbox'))).length, (await readPublished(join(fx.dataDir, 'sns'))).length];
    let deliveries = 0;
    for (let i = 0; i < corpus.length; i++) {
      const batch = [...Array.from({ length: copies(i) }, () => corpus[i]!), ...alongside(i).map((j) => corpus[j]!)];
      deliveries += batch.length;
      await Promise.all(batch.map((file) => deliverAsSes(fixtureMail(file), fixtureSidecar(file), deps)));
      clock.advance(60_000);
    }
    const published = (await readPublished(join(fx.dataDir, 'sns'))).slice(eventsBefore);
    return {
      deliveries,
      ...(await ticketLines(store)),
      quarantined: (await store.listQuarantine()).map((q) => q.reason).sort(),
      outbox: await outboxLines(fx.dataDir, mailBefore),
      events: published.map((p) => p.subject ?? '').sort(),
    };
  }

  it('gives the same tickets, threads and mail whether each mail comes once or 1–5 times, at once and later', async () => {
    const once = await deliverCorpus(() => 1, () => []);
    const random = mulberry32(backend === 'dynalite' ? 0xa11ce : 0xb0b);
    const many = await deliverCorpus(
      () => 1 + Math.floor(random() * 5),
      (i) => (i > 0 && random() < 0.5 ? [Math.floor(random() * i)] : []),
    );
    expect(many.tickets).toEqual(once.tickets);
    expect(many.threads).toEqual(once.threads);
    expect(many.quarantined).toEqual(once.quarantined);
    expect(many.outbox).toEqual(once.outbox);
    expect(many.events).toEqual(once.events);
    console.info(
      `[${backend}] at-least-once: ${corpus.length} mails delivered ${many.deliveries} times (1–5 copies at once, earlier mails again alongside later ones): ${many.tickets.length} tickets, ${many.outbox.length} mails sent, ${many.events.length} events, the same as one delivery each`,
    );
  }, 300_000);
});
