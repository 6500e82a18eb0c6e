import type { Language } from './language.js';

/** Japanese. */
export const ja: Language = {
  code: 'ja',
  // Thunderbird and Gmail: "2026/11/03 9:12 に Name さんは書きました:", "Name さんは … に書きました:".
  wrote: ['のメッセージ', 'さんは書きました', 'に書きました'],
  originalMessage: ['元のメッセージ'],
  forwardSeparator: ['転送されたメッセージ'],
  headerFields: {
    from: ['差出人'],
    date: ['送信日時'],
    to: ['宛先'],
    subject: ['件名'],
  },
  mobileSignatures: [/^.{1,30}から送信$/u],
  // The closing of a business mail, above the name: "引き続きよろしくお願いいたします。".
  signOffs: ['よろしくお願いいたします', 'よろしくお願いします', '引き続きよろしくお願いいたします', '今後ともよろしくお願いいたします'],
};
