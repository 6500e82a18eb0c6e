import type { Language } from './language.js';

/** Slovak. */
export const sk: Language = {
  code: 'sk',
  // Thunderbird: "Dňa 05.01.2026 o 10:01 Name napísal(a):"; Gmail: "po 5. 1. 2026 o 10:01 Name <a@b> napísal(a):".
  wrote: ['napísal(a)', 'napísala', 'napísal'],
  headerOpeners: ['dňa'],
  originalMessage: ['pôvodná správa'],
  forwardSeparator: ['preposlaná správa'],
  forwardIntro: ['začiatok preposlanej správy'],
  headerFields: {
    from: ['od'],
    date: ['odoslané', 'dátum'],
    to: ['komu'],
    subject: ['predmet'],
    cc: ['kópia'],
  },
  mobileSignatures: [
    /^odoslané (?:z|zo|cez) \S/iu,
    /^(?:získať|získajte|stiahnuť|stiahnite si) outlook pre (?:ios|android)/iu,
  ],
  externalSenderBanners: ['mimo vašej organizácie', 'pochádza spoza organizácie', 'pochádza spoza vašej organizácie'],
  signOffs: [
    's pozdravom', 's priateľským pozdravom', 's úctou', 'ďakujem', 'ďakujem pekne', 'vopred ďakujem', 'ďakujem vopred',
    'vďaka', 'pekný deň', 'prajem pekný deň', 'zdravím',
  ],
};
