import type { Language } from './language.js';

/** French. */
export const fr: Language = {
  code: 'fr',
  wrote: ['écrit', 'ecrit'],
  wroteBeforeName: ['a écrit'],
  headerOpeners: ['le'],
  originalMessage: ["message d'origine", 'message original'],
  forwardSeparator: ['message transféré', 'message transfere'],
  forwardIntro: ['début du message réexpédié', 'début du message transféré'],
  headerFields: {
    from: ['de', 'expéditeur'],
    date: ['envoyé', 'envoyé le', 'message du'],
    to: ['à', 'destinataire'],
    subject: ['objet', 'sujet'],
    cc: ['copie', 'copie à'],
    replyTo: ['répondre à'],
  },
  mobileSignatures: [/^envoy[ée] (?:de|depuis|à partir de|a partir de|avec|via) \S/iu, /^(?:obtenir|télécharger) outlook pour (?:ios|android)/iu],
  externalSenderBanners: ["l'extérieur de l'organisation", "l'extérieur de votre organisation"],
  signOffs: ['cordialement', 'bien cordialement', 'bien à vous', 'salutations', 'bonne journée', 'bonne soirée', 'belle journée', 'merci', 'merci beaucoup', "merci d'avance", 'à bientôt', 'bises', 'bisous'],
  forwardPrefixes: ['tr'],
};
