import type { Language } from './language.js';

/** Czech. */
export const cs: Language = {
  code: 'cs',
  wrote: ['napsal'],
  headerOpeners: ['dne'],
  headerFields: { from: ['od'] },
};
