// `npm run eval`: how well extractVisibleText matches public reply-parsing corpora, the sets the
// rules were tuned on and the held-out ones apart. A report, not a gate: always exits 0.
// Shared corpora: ../shared/corpora/ beside the project, or CORPORA_DIR; the held-out sets copied
// from npm packages live in test/eval/corpora/ and always run.

import { corporaDir, corporaExist, evaluateAll, formatReport, PROJECT_CORPORA_DIR } from './reply-compare.js';

const dir = corporaDir();
const shared = corporaExist(dir) ? dir : `${dir} (not found: its sets are left out)`;
console.log(`visible-reply extraction vs. public corpora (${shared}; ${PROJECT_CORPORA_DIR})\n`);
console.log(formatReport(evaluateAll(dir)));
process.exitCode = 0;
