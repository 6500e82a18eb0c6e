/**
 * CPU time per mail of each stage, on each kind of mail of the corpus, measured in the same run
 * so their ratios hold whatever else the machine is doing:
 *
 *   read          the bytes from disk (fs.readFile)
 *   simpleParser  mailparser's simpleParser, default options (the parser most Node code uses)
 *   postal-mime   postal-mime, default options (a peer)
 *   parseMail     ours alone, on a stream of the bytes, attachments drained as a blob upload would
 *   ours          parseMail, then what the pipeline does with a new conversation
 *                 (src/pipeline/inbound/route.ts, open-ticket.ts, thread-message.ts): visible
 *                 text, fingerprint and similarity against the requester's open tickets, triage,
 *                 missing details
 *   process       processInbound on in-memory ports (test/support/memory-ports.ts): the whole
 *                 inbound path, store, plans and sends included; replies land on their tickets
 *
 * Each sample is one pass over all mails of a kind; the figure is the median of the samples.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { simpleParser } from 'mailparser';
import PostalMime from 'postal-mime';
import type { Config } from '../../src/config.js';
import { missingDetails } from '../../src/domain/missing-info.js';
import { fingerprint, similarity } from '../../src/domain/similarity.js';
import { triage } from '../../src/domain/triage.js';
import { parseMail, type AttachmentSink } from '../../src/mail/parse.js';
import { ANALYSED_TEXT_CHARS, boundedLine, MAX_SUBJECT_CHARS } from '../../src/pipeline/bounds.js';
import { processInbound } from '../../src/pipeline/inbound.js';
import { visibleTextOf } from '../../src/pipeline/inbound/thread-message.js';
import { memoryPorts } from '../support/memory-ports.js';
import { manualClock } from '../support/pipeline.js';
import type { Corpus, CorpusKind } from './corpus.js';
import { cpuMs, median } from './measure.js';

export const STAGES = ['read', 'simpleParser', 'postal-mime', 'parseMail', 'ours', 'process'] as const;
export type Stage = (typeof STAGES)[number];
export const KINDS: CorpusKind[] = ['replies', 'multipart', 'large'];
/** The order mails arrive in: requests before the replies that answer them. */
const ARRIVAL: CorpusKind[] = ['multipart', 'replies', 'large'];

export interface StageResults {
  /** Median CPU ms per mail, by kind and stage. */
  msPerMail: Record<CorpusKind, Record<Stage, number>>;
  samples: Record<CorpusKind, Record<Stage, number[]>>;
  mails: Record<CorpusKind, number>;
  meanBytes: Record<CorpusKind, number>;
  /** What processInbound made of each kind in the last sample (created, appended, merged, …). */
  outcomes: Record<CorpusKind, Record<string, number>>;
}

/** Drains each attachment as an upload would, keeping none of it. */
const drain: AttachmentSink = {
  async put({ content }) {
    const sink = new Writable({ write: (_chunk, _enc, done) => done() });
    (content as Readable).pipe(sink);
    await finished(sink);
    return { blobKey: 'drained' };
  },
};

/** Our parse and the logic the pipeline runs on a new conversation; `openPrints` are the requester's open tickets. */
async function ourLogic(raw: Buffer, config: Config, openPrints: Map<string, string[]>, now: Date): Promise<void> {
  const msg = await parseMail(Readable.from([raw]), { limits: config.mail, attachments: drain });
  const sender = msg.from?.address ?? '';
  const visible = visibleTextOf(msg, []);
  const analysed = visible.slice(0, ANALYSED_TEXT_CHARS);
  const print = fingerprint(boundedLine(msg.subject, MAX_SUBJECT_CHARS), analysed);
  const open = openPrints.get(sender) ?? [];
  for (const other of open) similarity(print, other);
  openPrints.set(sender, [...open.slice(-4), print]);
  const subject = boundedLine(msg.subject.trim(), MAX_SUBJECT_CHARS) || '(no subject)';
  const triaged = triage({ subject, text: analysed, sender, sentAt: msg.date ? new Date(msg.date) : now }, config.triage);
  missingDetails(triaged.category, [subject, analysed], config.missingInfo);
}

const PASS = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' } as const;

export async function measureStages(corpus: Corpus, config: Config, samples: number, log: (line: string) => void): Promise<StageResults> {
  const raws = Object.fromEntries(KINDS.map((k) => [k, corpus.files[k].map((f) => readFileSync(f))])) as Record<CorpusKind, Buffer[]>;
  const perKind = <T>(make: () => T) => Object.fromEntries(KINDS.map((k) => [k, make()])) as Record<CorpusKind, T>;
  const results: StageResults = {
    msPerMail: perKind(() => ({}) as Record<Stage, number>),
    samples: perKind(() => Object.fromEntries(STAGES.map((s) => [s, [] as number[]])) as Record<Stage, number[]>),
    mails: perKind(() => 0),
    meanBytes: perKind(() => 0),
    outcomes: perKind(() => ({})),
  };
  for (const k of KINDS) {
    results.mails[k] = raws[k].length;
    results.meanBytes[k] = raws[k].reduce((n, b) => n + b.length, 0) / Math.max(1, raws[k].length);
  }

  const pass = async (sample: number | null) => {
    const ports = memoryPorts(config, { clock: manualClock(corpus.startsAt.toISOString()) });
    for (const k of ARRIVAL) {
      const mails = sample === null ? raws[k].slice(0, 10) : raws[k];
      const files = corpus.files[k].slice(0, mails.length);
      const keys = mails.map((_, i) => `${config.aws.inboundPrefix}${k}-${i}`);
      // SES's S3 action stores the mail before the Lambda runs: not part of the inbound path.
      await Promise.all(mails.map((raw, i) => ports.blobs.put(keys[i]!, raw, 'message/rfc822')));
      const openPrints = new Map<string, string[]>();
      const outcomes: Record<string, number> = {};
      const work: Record<Stage, () => Promise<unknown>> = {
        read: async () => {
          for (const f of files) await readFile(f);
        },
        simpleParser: async () => {
          for (const raw of mails) await simpleParser(raw);
        },
        'postal-mime': async () => {
          for (const raw of mails) await PostalMime.parse(raw);
        },
        parseMail: async () => {
          for (const raw of mails) await parseMail(Readable.from([raw]), { limits: config.mail, attachments: drain });
        },
        ours: async () => {
          for (const raw of mails) await ourLogic(raw, config, openPrints, corpus.startsAt);
        },
        process: async () => {
          for (const rawKey of keys) {
            const receipt = { source: 'ses' as const, rawKey, receivedAt: ports.clock.now().toISOString(), recipients: [config.supportAddresses[0]!], verdicts: PASS };
            const r = await processInbound(receipt, ports, config);
            outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
            ports.clock.advance(60_000);
          }
        },
      };
      // Rotated each sample, so no stage always runs first on a cold cache.
      const order = STAGES.map((_, i) => STAGES[(i + (sample ?? 0)) % STAGES.length]!);
      for (const stage of order) {
        const ms = await cpuMs(work[stage]);
        if (sample !== null) results.samples[k][stage].push(ms / mails.length);
      }
      if (sample !== null) results.outcomes[k] = outcomes;
    }
  };

  await pass(null); // warm-up: compiled code and caches, not counted
  for (let s = 0; s < samples; s++) {
    const started = performance.now();
    await pass(s);
    log(`  sample ${s + 1}/${samples} of the stages in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  for (const k of KINDS) for (const stage of STAGES) results.msPerMail[k][stage] = median(results.samples[k][stage]);
  return results;
}
