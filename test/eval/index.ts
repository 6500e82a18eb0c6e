/** `npm run eval`: reply-text accuracy on the public corpora, then duplicate-merge precision on our fixtures. */
await import('./reply-corpora.js');
const { reportDuplicates } = await import('./duplicates.js');
await reportDuplicates();
