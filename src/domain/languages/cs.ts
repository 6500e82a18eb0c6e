import type { Language } from './language.js';

/** Czech. */
export const cs: Language = {
  code: 'cs',
  // Thunderbird and Apple Mail: "Dne 5. 1. 2026 v 10:01 Name napsal(a):"; Gmail: "… odesílatel Name <a@b> napsal:".
  wrote: ['napsal(a)', 'napsala', 'napsal'],
  headerOpeners: ['dne'],
  // Seznam: "---------- Původní e-mail ----------".
  originalMessage: ['původní zpráva', 'původní e-mail'],
  forwardSeparator: ['přeposlaná zpráva', 'přeposlaný e-mail'],
  forwardIntro: ['začátek přeposílané zprávy'],
  headerFields: {
    from: ['od'],
    date: ['odesláno', 'datum'],
    to: ['komu'],
    subject: ['předmět'],
    cc: ['kopie'],
  },
  mobileSignatures: [
    /^odesláno (?:z|ze) \S/iu,
    /^(?:získat|získejte|stáhnout|stáhněte si) outlook pro (?:ios|android)/iu,
  ],
  externalSenderBanners: ['mimo vaši organizaci', 'pochází mimo organizaci', 'pochází z vnějšku organizace'],
  signOffs: [
    's pozdravem', 's přátelským pozdravem', 'se srdečným pozdravem', 's úctou', 's přáním hezkého dne', 's přáním pěkného dne',
    'děkuji', 'děkuji předem', 'předem děkuji', 'děkuji a zdravím', 'děkuji za pomoc', 'díky', 'zdravím', 'hezký den',
  ],
  replyPrefixes: ['odp'],
  forwardPrefixes: ['př'],
};
