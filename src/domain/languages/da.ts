import type { Language } from './language.js';

/** Danish. */
export const da: Language = {
  code: 'da',
  wrote: ['skrev'],
  wroteBeforeName: ['skrev'],
  headerOpeners: ['den', 'på'],
  originalMessage: ['oprindelig meddelelse', 'oprindelig besked'],
  forwardSeparator: ['videresendt meddelelse', 'videresendt besked'],
  // Apple Mail's line above a forwarded message.
  forwardIntro: ['start på videresendt besked', 'start på videresendt meddelelse'],
  headerFields: {
    from: ['fra'],
    date: ['sendt', 'dato'],
    to: ['til'],
    subject: ['emne'],
  },
  mobileSignatures: [/^sendt fra \S/iu, /^(?:hent|få) outlook til (?:ios|android)/iu],
  signOffs: ['mvh', 'med venlig hilsen', 'venlig hilsen'],
  replyPrefixes: ['sv'],
  forwardPrefixes: ['vs'],
};
