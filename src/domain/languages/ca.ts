import type { Language } from './language.js';

/** Catalan. */
export const ca: Language = {
  code: 'ca',
  // Thunderbird: "El 05/01/2026 a les 10:01, Name ha escrit:"; Gmail: "El dl., 5 de gen. 2026 a les 10:01, Name (<a@b>) va escriure:".
  wrote: ['escrit', 'va escriure'],
  headerOpeners: ['el'],
  originalMessage: ['missatge original'],
  forwardSeparator: ['missatge reenviat'],
  forwardIntro: ['inici del missatge reenviat'],
  headerFields: {
    from: ['de'],
    date: ['enviat', 'enviat el', 'data'],
    to: ['per a', 'a'],
    subject: ['assumpte'],
    cc: ['a/c'],
  },
  mobileSignatures: [
    /^enviat (?:(?:des de|des del|amb|de|del|via) |des d['’])\S/iu,
    /^(?:obtén|obteniu|baixa|baixeu) (?:l['’])?outlook per a (?:ios|android)/iu,
  ],
  externalSenderBanners: ["fora de l'organització", 'fora de la vostra organització'],
  signOffs: [
    'salutacions', 'una salutació', 'cordialment', 'atentament', 'gràcies', 'moltes gràcies', 'gràcies per endavant',
    'una abraçada', 'salut',
  ],
};
