// Regression guard: extractVisibleText against the github and zapier reply corpora in
// ../shared/corpora/ (or CORPORA_DIR). The same comparison `npm run eval` prints.
// Without the corpora the test says so and checks nothing.

import { describe, expect, it } from 'vitest';
import { accuracy, corporaDir, corporaExist, evaluateSet, type ReplySet } from '../eval/reply-compare.js';

/** Accuracy reached when this test was written, in percent (see `npm run eval`). */
const ACHIEVED: Partial<Record<ReplySet, number>> = {
  'reply-github-email_reply_parser': 94.4,
  'reply-zapier-email-reply-parser': 100,
};
/** Room for an expectation to flip; a real regression costs more than this. */
const MARGIN = 6;

const dir = corporaDir();
const exists = corporaExist(dir);

describe('extractVisibleText on public reply corpora', () => {
  if (!exists) {
    it('corpora missing — evaluation not run', () => {
      console.warn(`corpora not found at ${dir}: visible-text corpus evaluation not run`);
    });
    return;
  }

  for (const [set, achieved] of Object.entries(ACHIEVED) as [ReplySet, number][]) {
    it(`${set}: accuracy stays at or above ${(achieved - MARGIN).toFixed(1)}%`, () => {
      const result = evaluateSet(dir, set);
      const failing = result.cases.filter((c) => !c.passed).map((c) => `${c.name}: ${c.failures.join('; ')}`);
      expect(result.compared, 'cases compared').toBeGreaterThan(0);
      expect(accuracy(result), `failing cases:\n${failing.join('\n')}`).toBeGreaterThanOrEqual(achieved - MARGIN);
    });
  }
});
