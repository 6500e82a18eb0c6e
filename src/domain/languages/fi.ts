import type { Language } from './language.js';

/** Finnish. */
export const fi: Language = {
  code: 'fi',
  wrote: ['kirjoitti'],
  // Gmail: "Alex Kim (a@b) kirjoitti to 26.11.2026 klo 12.30:", the verb before the date.
  wroteBeforeName: ['kirjoitti'],
  originalMessage: ['alkuperäinen viesti'],
  forwardSeparator: ['välitetty viesti'],
  // Apple Mail's line above a forwarded message.
  forwardIntro: ['välitetty viesti alkaa'],
  headerFields: {
    from: ['lähettäjä'],
    date: ['lähetetty', 'päivämäärä'],
    to: ['vastaanottaja'],
    subject: ['aihe'],
  },
  mobileSignatures: [/^lähetetty \S/iu, /^(?:hanki|lataa) outlook (?:for|ios|android)/iu],
  signOffs: ['ystävällisin terveisin', 'terveisin'],
  // "VS:" is a reply in Finnish (vastaus) and a forward in Danish and Norwegian (videresendt).
  replyPrefixes: ['vs'],
};
