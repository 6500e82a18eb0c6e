import type { Language } from './language.js';

/** Polish. */
export const pl: Language = {
  code: 'pl',
  wrote: ['napisał(a)', 'napisała', 'napisał', 'napisal', 'pisze'],
  headerOpeners: ['dnia', 'w dniu'],
  originalMessage: ['wiadomość oryginalna', 'oryginalna wiadomość'],
  forwardSeparator: ['wiadomość przekazana'],
  // Apple Mail's line above a forwarded message.
  forwardIntro: ['początek przekazywanej wiadomości', 'początek przekazanej wiadomości'],
  headerFields: {
    from: ['od'],
    date: ['wysłano', 'data'],
    to: ['do'],
    subject: ['temat'],
    cc: ['kopia'],
  },
  mobileSignatures: [/^wysłano z \S/iu, /^(?:pobierz|uzyskaj) (?:aplikację )?outlook dla (?:ios|androida?)/iu],
  replyPrefixes: ['odp'],
};
