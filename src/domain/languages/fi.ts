import type { Language } from './language.js';

/** Finnish. */
export const fi: Language = {
  code: 'fi',
  wrote: ['kirjoitti'],
  originalMessage: ['alkuperäinen viesti'],
  forwardSeparator: ['välitetty viesti'],
  headerFields: {
    from: ['lähettäjä'],
    date: ['lähetetty', 'päivämäärä'],
    to: ['vastaanottaja'],
    subject: ['aihe'],
  },
  mobileSignatures: [/^lähetetty \S/iu],
  signOffs: ['ystävällisin terveisin', 'terveisin'],
  // "VS:" is a reply in Finnish (vastaus) and a forward in Danish and Norwegian (videresendt).
  replyPrefixes: ['vs'],
};
