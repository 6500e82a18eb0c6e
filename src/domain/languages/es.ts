import type { Language } from './language.js';

/** Spanish. */
export const es: Language = {
  code: 'es',
  wrote: ['escribió', 'escribio'],
  wroteBeforeName: ['escribió'],
  headerOpeners: ['el'],
  originalMessage: ['mensaje original'],
  forwardSeparator: ['mensaje reenviado'],
  forwardIntro: ['comienzo del mensaje reenviado'],
  headerFields: {
    from: ['de', 'remitente'],
    date: ['enviado', 'enviado el'],
    to: ['para', 'a', 'destinatario'],
    subject: ['asunto'],
    replyTo: ['responder a'],
  },
  mobileSignatures: [/^enviad[oa] (?:desde|de|con) \S/iu, /^(?:obtener|descargar) outlook para (?:ios|android)/iu],
  externalSenderBanners: ['fuera de la organización', 'fuera de su organización'],
  signOffs: ['saludos', 'un saludo', 'atentamente', 'saludos cordiales', 'gracias', 'muchas gracias', 'un abrazo'],
  forwardPrefixes: ['rv'],
};
