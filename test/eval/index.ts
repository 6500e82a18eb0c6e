/**
 * `npm run eval`: reply-text accuracy and bounce recognition on the public corpora, then
 * duplicate-merge precision and triage confusion matrices on our own labelled fixtures.
 */
await import('./reply-corpora.js');
const { reportMachineMail } = await import('./machine-mail.js');
await reportMachineMail();
const { reportDuplicates } = await import('./duplicates.js');
await reportDuplicates();
const { reportTriage } = await import('./triage.js');
await reportTriage();
const { reportIncidents } = await import('./incidents.js');
await reportIncidents();
