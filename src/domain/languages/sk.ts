import type { Language } from './language.js';

/** Slovak. */
export const sk: Language = {
  code: 'sk',
  wrote: ['napísal'],
  headerFields: { from: ['od'], date: ['dátum'], subject: ['predmet'] },
};
