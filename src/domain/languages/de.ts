import type { Language } from './language.js';

/** German. */
export const de: Language = {
  code: 'de',
  wrote: ['schrieb'],
  wroteBeforeName: ['schrieb'],
  headerOpeners: ['am'],
  originalMessage: ['ursprüngliche nachricht', 'antwort nachricht'],
  forwardSeparator: ['weitergeleitete nachricht'],
  forwardIntro: ['anfang der weitergeleiteten nachricht'],
  headerFields: {
    from: ['von'],
    date: ['gesendet', 'datum'],
    to: ['an'],
    subject: ['betreff'],
    cc: ['kopie'],
    replyTo: ['antwort an'],
  },
  mobileSignatures: [
    /^von meinem .+ gesendet\.?$/iu,
    /^gesendet (?:von|mit|vom|über) \S/iu,
    /^von unterwegs (?:gesendet|verschickt)/iu,
    /^diese nachricht wurde von meinem .+ gesendet\.?$/iu,
    /^(?:outlook für (?:ios|android) (?:herunterladen|beziehen)|holen sie sich outlook für (?:ios|android))/iu,
  ],
  externalSenderBanners: ['von außerhalb der organisation', 'von außerhalb ihrer organisation'],
  signOffs: [
    'mfg', 'mit freundlichen grüßen', 'freundliche grüße', 'viele grüße', 'beste grüße', 'liebe grüße', 'gruß', 'grüße',
    'lg', 'vg', 'viele grüße und danke', 'danke und gruß', 'danke und grüße', 'danke', 'vielen dank', 'schöne grüße', 'herzliche grüße',
  ],
  replyPrefixes: ['aw'],
  forwardPrefixes: ['wg'],
};
