import type { Language } from './language.js';

/** Portuguese, of Brazil and of Portugal. */
export const pt: Language = {
  code: 'pt',
  wrote: ['escreveu'],
  // Gmail (pt-PT): "Name <a@b> escreveu no dia segunda, 5/01/2026 à(s) 10:01:", the verb before the date.
  wroteBeforeName: ['escreveu'],
  headerOpeners: ['em', 'no dia'],
  originalMessage: ['mensagem original'],
  // Brazil "encaminhada", Portugal "reencaminhada".
  forwardSeparator: ['mensagem encaminhada', 'mensagem reencaminhada'],
  forwardIntro: ['início da mensagem encaminhada', 'início da mensagem reencaminhada'],
  headerFields: {
    from: ['de'],
    date: ['enviado', 'enviada', 'enviado em', 'enviada em', 'data'],
    to: ['para', 'a', 'destinatário'],
    subject: ['assunto'],
    replyTo: ['responder a'],
  },
  mobileSignatures: [
    // "Enviado do meu iPhone", "Enviado a partir do meu smartphone Samsung Galaxy", "Enviado da minha Samsung".
    /^enviad[oa] (?:de|do|da|dum|duma|com|via|pelo|pela|a partir d[eoa]) \S/iu,
    /^(?:obter|obtenha|baixe|baixar|transferir) o outlook para (?:ios|android)/iu,
  ],
  externalSenderBanners: [
    'originado fora da organização', 'originado de fora da organização', 'enviado de fora da organização',
    'teve origem fora da organização', 'fora da sua organização', 'fora de sua organização',
  ],
  signOffs: [
    'cumprimentos', 'melhores cumprimentos', 'com os melhores cumprimentos', 'atenciosamente', 'att', 'atte', 'cordialmente',
    'abraço', 'abraços', 'um abraço', 'grande abraço', 'abs', 'obrigado', 'obrigada', 'muito obrigado', 'muito obrigada',
    'obrigado pela atenção', 'obrigada pela atenção', 'desde já agradeço', 'grato', 'grata', 'saudações', 'beijos', 'bjs',
  ],
  // Outlook (pt-BR): "RES:" and "ENC:"; Portugal writes "RE:" and "FW:".
  replyPrefixes: ['res'],
  forwardPrefixes: ['enc'],
};
