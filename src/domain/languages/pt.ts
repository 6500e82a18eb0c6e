import type { Language } from './language.js';

/** Portuguese. */
export const pt: Language = {
  code: 'pt',
  wrote: ['escreveu'],
  headerOpeners: ['em'],
  originalMessage: ['mensagem original'],
  forwardSeparator: ['mensagem encaminhada'],
  forwardIntro: ['início da mensagem reencaminhada'],
  headerFields: {
    from: ['de'],
    date: ['enviado', 'enviada', 'data'],
    to: ['para', 'a', 'destinatário'],
    subject: ['assunto'],
    replyTo: ['responder a'],
  },
  mobileSignatures: [/^enviad[oa] (?:de|do|com|a partir do|pelo) \S/iu],
  signOffs: ['cumprimentos', 'atenciosamente', 'abraços'],
  replyPrefixes: ['res'],
  forwardPrefixes: ['enc'],
};
