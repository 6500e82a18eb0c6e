import type { Language } from './language.js';

/** Russian. */
export const ru: Language = {
  code: 'ru',
  // Thunderbird: "03.11.2026 09:12, Name пишет:".
  wrote: ['написал(а)', 'написала', 'написал', 'пишет'],
  originalMessage: ['исходное сообщение'],
  forwardSeparator: ['пересылаемое сообщение'],
  headerFields: {
    from: ['от'],
    date: ['отправлено', 'дата'],
    to: ['кому'],
    subject: ['тема'],
    cc: ['копия'],
  },
  // с, из or з after either verb: one pattern served Russian and Ukrainian (uk.ts likewise).
  mobileSignatures: [/^отправлено (?:с|из|з) \S/iu],
};
