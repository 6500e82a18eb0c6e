import type { Language } from './language.js';

/** Turkish. */
export const tr: Language = {
  code: 'tr',
  wrote: ['yazdı'],
  headerFields: {
    from: ['kimden'],
    date: ['gönderildi', 'tarih'],
    to: ['kime'],
    subject: ['konu'],
  },
};
