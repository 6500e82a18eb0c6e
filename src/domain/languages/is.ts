import type { Language } from './language.js';

/** Icelandic. */
export const is: Language = {
  code: 'is',
  headerFields: { from: ['frá'] },
};
