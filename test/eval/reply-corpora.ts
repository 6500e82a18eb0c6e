// `npm run eval`: how well extractVisibleText matches the public reply-parsing corpora.
// A report, not a gate: always exits 0. Corpora location: ../shared/corpora/ beside the
// project, or CORPORA_DIR.

import { corporaDir, corporaExist, evaluateAll, formatReport } from './reply-compare.js';

const dir = corporaDir();
if (!corporaExist(dir)) {
  console.log(`corpora not found at ${dir}: nothing to evaluate`);
} else {
  console.log(`visible-reply extraction vs. public corpora (${dir})\n`);
  console.log(formatReport(evaluateAll(dir)));
}
process.exitCode = 0;
