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
  mobileSignatures: [
    // "Inviato da iPhone", "Inviato dal mio smartphone Samsung Galaxy", "Inviato dall'app Mail".
    /^inviato (?:(?:da|dal|dalla|dallo|con|tramite) |dall['’])\S/iu,
    /^(?:scarica|ottieni) outlook per (?:ios|android)/iu,
  ],
  externalSenderBanners: ["dall'esterno dell'organizzazione", 'al di fuori della tua organizzazione', 'al di fuori della vostra organizzazione'],
  signOffs: [
    'cordiali saluti', 'distinti saluti', 'saluti', 'saluti cordiali', 'cordialmente', 'un saluto', 'un caro saluto', 'grazie',
    'grazie mille', 'grazie ancora', 'grazie in anticipo', 'grazie e saluti', 'grazie e cordiali saluti', 'buona giornata',
    'buon lavoro', 'a presto', 'ciao',
  ],
  // Outlook: "R:" (rispondi) and "I:" (inoltra); not the bare "I", which starts sentences in English subjects.
  replyPrefixes: ['r', 'rif'],
};
