/**
 * Duplicate detection on the blind-written pair sets it was tuned on (fixtures/duplicates/: odd
 * pairs, tuning/, blind-2/), through the real parser and visible text: each keeps its precision
 * and recall. The held-out even pairs are not asserted here: they are measured by `npm run eval`.
 */
import { describe, expect, it } from 'vitest';
import { blind2Set, blind3Set, blind4Set, precisionRecall, scoreBlindPairs, tuningSet } from '../eval/duplicates.js';

describe('duplicate detection on the blind sets it was tuned on', () => {
  // Floors at what they reach (the README's figures): a rule that costs a pair is a regression to look at.
  it.each([
    ['fixtures/duplicates/ (odd pairs)', undefined, 1, 12 / 13],
    ['fixtures/duplicates/tuning/', tuningSet, 1, 24 / 25],
    ['fixtures/duplicates/blind-2/', blind2Set, 1, 1],
    ['fixtures/duplicates/blind-3/', blind3Set, 1, 18 / 20],
    ['fixtures/duplicates/blind-4/', blind4Set, 18 / 19, 18 / 20],
  ] as const)('%s keeps its precision and recall', async (_name, set, precision, recall) => {
    const scores = (await scoreBlindPairs(undefined, set)).filter((s) => !s.heldOut);
    const r = precisionRecall(scores);
    expect(r.precision).toBeGreaterThanOrEqual(precision);
    expect(r.recall).toBeGreaterThanOrEqual(recall - 1e-9);
  });
});
