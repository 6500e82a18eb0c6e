import type { Language } from './language.js';

/** Ukrainian. */
export const uk: Language = {
  code: 'uk',
  wrote: ['написав', 'пише'],
  headerFields: {
    from: ['від'],
    date: ['надіслано', 'дата'],
    to: ['кому'],
    subject: ['тема'],
  },
  // с, из or з after either verb: one pattern served Russian and Ukrainian (ru.ts likewise).
  mobileSignatures: [/^надіслано (?:с|из|з) \S/iu],
};
