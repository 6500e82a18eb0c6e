import type { Language } from './language.js';

/** Italian. */
export const it: Language = {
  code: 'it',
  wrote: ['scritto'],
  headerOpeners: ['il', 'in data'],
  originalMessage: ['messaggio originale'],
  forwardSeparator: ['messaggio inoltrato'],
  forwardIntro: ['inizio messaggio inoltrato'],
  headerFields: {
    from: ['da', 'mittente'],
    date: ['inviato', 'data'],
    to: ['a', 'destinatario'],
    subject: ['oggetto'],
    replyTo: ['risposta'],
  },
  mobileSignatures: [/^inviato da \S/iu, /^(?:scarica|ottieni) outlook per (?:ios|android)/iu],
  signOffs: ['cordiali saluti', 'distinti saluti', 'saluti'],
  replyPrefixes: ['r', 'rif'],
};
