// Regression guard: extractVisibleText against public reply corpora, the same comparison
// `npm run eval` prints: the github and zapier sets in ../shared/corpora/ (or CORPORA_DIR), which
// without the folder say so and check nothing, and the sets copied into test/eval/corpora/, which
// are always there.

import { describe, expect, it } from 'vitest';
import { accuracy, corporaDir, corporaExist, evaluateSet, REPLY_SETS, type ReplySet } from '../eval/reply-compare.js';

/** Accuracy reached when this test was last changed, in percent, of the whole set (see `npm run eval`). */
const ACHIEVED: Partial<Record<ReplySet, number>> = {
  'reply-github-email_reply_parser': 94.4,
  'reply-zapier-email-reply-parser': 100,
  'reply-npm-planer': 92.3,
  'reply-npm-parse-reply': 40,
  'reply-npm-mail-stripper': 77.8,
  'reply-blind': 91.7,
  'reply-blind-2': 85,
  'reply-blind-3': 95,
  'reply-blind-4': 91.7,
  'reply-blind-5': 91.7,
  'reply-blind-6': 88.3,
  'reply-blind-7': 83.3,
};
/** Room for an expectation to flip; a real regression costs more than this. */
const MARGIN = 6;

const dir = corporaDir();
const sharedExist = corporaExist(dir);

describe('extractVisibleText on public reply corpora', () => {
  if (!sharedExist) {
    it('shared corpora missing — their sets not evaluated', () => {
      console.warn(`corpora not found at ${dir}: the shared reply sets were not evaluated`);
    });
  }

  for (const [set, achieved] of Object.entries(ACHIEVED) as [ReplySet, number][]) {
    if (REPLY_SETS[set].home === 'shared' && !sharedExist) continue;
    it(`${set}: accuracy stays at or above ${(achieved - MARGIN).toFixed(1)}%`, () => {
      const result = evaluateSet(dir, set);
      const failing = result.cases.filter((c) => !c.passed).map((c) => `${c.name}: ${c.failures.join('; ')}`);
      expect(result.compared, 'cases compared').toBeGreaterThan(0);
      expect(accuracy(result), `failing cases:\n${failing.join('\n')}`).toBeGreaterThanOrEqual(achieved - MARGIN);
    });
  }
});
