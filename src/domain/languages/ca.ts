import type { Language } from './language.js';

/** Catalan. */
export const ca: Language = {
  code: 'ca',
  wrote: ['escrit'],
};
