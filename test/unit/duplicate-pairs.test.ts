import { describe, expect, it } from 'vitest';
import { precisionRecall, scorePairs } from '../eval/duplicates.js';

describe('duplicate merging on the labelled fixture pairs', () => {
  it('merges every true duplicate and none of the near-misses at the default threshold', async () => {
    const scores = await scorePairs();
    expect(scores.length).toBeGreaterThanOrEqual(8);
    for (const s of scores) expect({ pair: `${s.first} ~ ${s.second}`, merged: s.predicted }).toEqual({ pair: `${s.first} ~ ${s.second}`, merged: s.duplicate });
    expect(precisionRecall(scores)).toMatchObject({ precision: 1, recall: 1 });
  });
});
