/**
 * Duplicate-merge precision on the labelled fixture pairs (fixtures/mail/duplicate-pairs.json):
 * each pair is the same sender's first mail and a later one, labelled duplicate or not. The
 * decision is the product's own: visible text → fingerprint → similarity ≥ threshold.
 */
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../src/config.js';
import { fingerprint, percent, similarity } from '../../src/domain/similarity.js';
import { parseMail } from '../../src/mail/parse.js';
import { extractVisibleText } from '../../src/mail/visible-text.js';

const fixtures = new URL('../../fixtures/mail/', import.meta.url);

interface Pair {
  first: string;
  second: string;
  duplicate: boolean;
  note?: string;
}

export interface PairScore extends Pair {
  score: number;
  subject: number;
  body: number;
  predicted: boolean;
}

async function printOf(file: string): Promise<string> {
  const msg = await parseMail(readFileSync(new URL(file, fixtures)), { limits: parseConfig({}).mail });
  return fingerprint(msg.subject, extractVisibleText(msg.text, { subject: msg.subject }).text);
}

export async function scorePairs(threshold = parseConfig({}).duplicates.threshold): Promise<PairScore[]> {
  const pairs: Pair[] = JSON.parse(readFileSync(new URL('duplicate-pairs.json', fixtures), 'utf8'));
  return Promise.all(
    pairs.map(async (pair) => {
      const sim = similarity(await printOf(pair.first), await printOf(pair.second));
      return { ...pair, ...sim, predicted: sim.score >= threshold };
    }),
  );
}

export function precisionRecall(scores: PairScore[]) {
  const tp = scores.filter((s) => s.predicted && s.duplicate).length;
  const fp = scores.filter((s) => s.predicted && !s.duplicate).length;
  const fn = scores.filter((s) => !s.predicted && s.duplicate).length;
  return { tp, fp, fn, precision: tp + fp ? tp / (tp + fp) : 1, recall: tp + fn ? tp / (tp + fn) : 1 };
}

export async function reportDuplicates(): Promise<void> {
  const threshold = parseConfig({}).duplicates.threshold;
  const scores = await scorePairs(threshold);
  console.log(`\nDuplicate merging on labelled fixture pairs (threshold ${percent(threshold)})\n`);
  for (const s of scores) {
    const verdict = s.predicted === s.duplicate ? 'ok ' : 'MISS';
    console.log(
      `${verdict} ${s.duplicate ? 'dup    ' : 'not dup'} score ${percent(s.score).padStart(4)} (subject ${percent(s.subject)}, body ${percent(s.body)})  ${s.first} ~ ${s.second}`,
    );
  }
  const pr = precisionRecall(scores);
  console.log(`\nprecision ${percent(pr.precision)} (${pr.tp}/${pr.tp + pr.fp}), recall ${percent(pr.recall)} (${pr.tp}/${pr.tp + pr.fn}) over ${scores.length} pairs`);
}

if (process.argv[1]?.endsWith("duplicates.ts")) {
  await reportDuplicates();
}
