import type { Language } from './language.js';

/** Icelandic. */
export const is: Language = {
  code: 'is',
  // Gmail: "mán., 5. jan. 2026 kl. 10:01 skrifaði Name <a@b>:"; Apple Mail: "Þann 5. jan. 2026, kl. 10:01, skrifaði Name <a@b>:".
  wrote: ['skrifaði'],
  wroteBeforeName: ['skrifaði'],
  headerOpeners: ['þann'],
  originalMessage: ['upprunaleg skilaboð'],
  forwardSeparator: ['áframsend skilaboð'],
  headerFields: {
    from: ['frá'],
    date: ['sent', 'dagsetning'],
    to: ['til'],
    subject: ['efni'],
    cc: ['afrit'],
  },
  mobileSignatures: [/^sent (?:úr|frá) \S/iu, /^(?:fáðu|sæktu) outlook fyrir (?:ios|android)/iu],
  signOffs: ['kveðja', 'bestu kveðjur', 'með kveðju', 'með bestu kveðju', 'kær kveðja', 'takk', 'takk fyrir', 'virðingarfyllst'],
};
