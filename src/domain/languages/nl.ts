import type { Language } from './language.js';

/** Dutch. */
export const nl: Language = {
  code: 'nl',
  wrote: ['schreef', 'geschreven'],
  wroteBeforeName: ['schreef'],
  headerOpeners: ['op'],
  originalMessage: ['oorspronkelijk bericht', 'origineel bericht'],
  forwardSeparator: ['doorgestuurd bericht'],
  // Apple Mail's line above a forwarded message.
  forwardIntro: ['begin doorgestuurd bericht'],
  headerFields: {
    from: ['van', 'afzender'],
    date: ['verzonden', 'verstuurd', 'datum'],
    to: ['aan'],
    subject: ['onderwerp'],
  },
  mobileSignatures: [/^(?:verzonden|verstuurd) (?:vanaf|met|van|via) \S/iu, /^(?:outlook voor (?:ios|android) downloaden|download outlook voor (?:ios|android))/iu],
  externalSenderBanners: ['buiten de organisatie', 'buiten uw organisatie'],
  signOffs: ['met vriendelijke groet', 'met vriendelijke groeten', 'vriendelijke groet', 'vriendelijke groeten', 'groeten', 'groetjes', 'grtz', 'groet', 'met groet', 'dank je', 'bedankt', 'alvast bedankt'],
  replyPrefixes: ['antw'],
  forwardPrefixes: ['doorst'],
};
