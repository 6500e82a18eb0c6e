import type { Language } from './language.js';

/** Swedish. */
export const sv: Language = {
  code: 'sv',
  wrote: ['skrev', 'skrivit'],
  wroteBeforeName: ['skrev'],
  headerOpeners: ['den', 'på'],
  originalMessage: ['ursprungligt meddelande'],
  forwardSeparator: ['vidarebefordrat meddelande'],
  // Apple Mail's line above a forwarded message.
  forwardIntro: ['början på vidarebefordrat meddelande', 'vidarebefordrat brev'],
  headerFields: {
    from: ['från'],
    date: ['skickat', 'datum'],
    to: ['till'],
    subject: ['ämne'],
    cc: ['kopia'],
  },
  mobileSignatures: [/^skickat från \S/iu, /^(?:skaffa|hämta|ladda ned) outlook för (?:ios|android)/iu],
  externalSenderBanners: ['utanför organisationen', 'utanför din organisation'],
  signOffs: ['mvh', 'vänliga hälsningar', 'med vänlig hälsning', 'med vänliga hälsningar', 'hälsningar', 'hälsning', 'tack', 'tack och hälsningar', 'tack på förhand', 'stort tack', 'ha det bra'],
  replyPrefixes: ['sv'],
  forwardPrefixes: ['vb'],
};
