import type { Language } from './language.js';

/** Japanese. */
export const ja: Language = {
  code: 'ja',
  wrote: ['のメッセージ'],
  originalMessage: ['元のメッセージ'],
  forwardSeparator: ['転送されたメッセージ'],
  headerFields: {
    from: ['差出人'],
    date: ['送信日時'],
    to: ['宛先'],
    subject: ['件名'],
  },
  mobileSignatures: [/^.{1,30}から送信$/u],
};
