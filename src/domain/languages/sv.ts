import type { Language } from './language.js';

/** Swedish. */
export const sv: Language = {
  code: 'sv',
  wrote: ['skrev', 'skrivit'],
  wroteBeforeName: ['skrev'],
  headerOpeners: ['den', 'på'],
  originalMessage: ['ursprungligt meddelande'],
  forwardSeparator: ['vidarebefordrat meddelande'],
  headerFields: {
    from: ['från'],
    date: ['skickat', 'datum'],
    to: ['till'],
    subject: ['ämne'],
    cc: ['kopia'],
  },
  mobileSignatures: [/^skickat från \S/iu],
  externalSenderBanners: ['utanför organisationen', 'utanför din organisation'],
  signOffs: ['mvh', 'vänliga hälsningar', 'med vänlig hälsning', 'hälsningar'],
  replyPrefixes: ['sv'],
  forwardPrefixes: ['vb'],
};
