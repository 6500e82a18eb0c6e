import type { Language } from './language.js';

/** Spanish. */
export const es: Language = {
  code: 'es',
  wrote: ['escribió', 'escribio'],
  wroteBeforeName: ['escribió'],
  headerOpeners: ['el'],
  originalMessage: ['mensaje original'],
  forwardSeparator: ['mensaje reenviado'],
  forwardIntro: ['comienzo del mensaje reenviado', 'inicio del mensaje reenviado'],
  headerFields: {
    from: ['de', 'remitente'],
    date: ['enviado', 'enviado el', 'fecha'],
    to: ['para', 'a', 'destinatario'],
    subject: ['asunto'],
    replyTo: ['responder a'],
  },
  mobileSignatures: [/^enviad[oa] (?:desde|de|con) \S/iu, /^(?:obtener|descargar|obtén|descarga) outlook para (?:ios|android)/iu],
  externalSenderBanners: ['fuera de la organización', 'fuera de su organización', 'fuera de nuestra organización'],
  signOffs: [
    'saludos', 'un saludo', 'atentamente', 'saludos cordiales', 'cordialmente', 'un cordial saludo', 'reciba un cordial saludo',
    'muchos saludos', 'slds', 'gracias', 'muchas gracias', 'mil gracias', 'gracias de antemano', 'un abrazo', 'abrazos',
  ],
  forwardPrefixes: ['rv'],
};
