import type { Language } from './language.js';

/** Japanese. */
export const ja: Language = {
  code: 'ja',
  // Thunderbird and Gmail: "2026/11/03 9:12 に Name さんは書きました:", "Name さんは … に書きました:";
  // Apple Mail: "2026/01/05 10:01、Name <a@b>のメール:". Gmail also writes no verb ("… Name <a@b>:").
  wrote: ['のメッセージ', 'さんは書きました', 'に書きました', 'のメール'],
  originalMessage: ['元のメッセージ'],
  // Gmail "転送されたメッセージ", Thunderbird "転送メッセージ".
  forwardSeparator: ['転送されたメッセージ', '転送メッセージ'],
  forwardIntro: ['転送されたメッセージ'],
  headerFields: {
    from: ['差出人', '送信者'],
    date: ['送信日時', '日付'],
    to: ['宛先'],
    subject: ['件名'],
  },
  mobileSignatures: [
    // "iPhoneから送信", "Galaxy スマートフォンから送信", "ドコモメールから送信".
    /^.{1,30}から送信$/u,
    /^(?:(?:ios|android) ?版 ?outlook ?を|outlook for (?:ios|android) ?を)(?:入手|ダウンロード)/iu,
  ],
  externalSenderBanners: ['組織外から送信されました', '組織の外部から送信されました'],
  // The closing of a business mail, above the name: "引き続きよろしくお願いいたします。".
  signOffs: [
    'よろしくお願いいたします', 'よろしくお願い致します', '宜しくお願いいたします', '宜しくお願い致します', 'よろしくお願いします',
    '引き続きよろしくお願いいたします', '今後ともよろしくお願いいたします', '何卒よろしくお願いいたします', 'ご確認よろしくお願いいたします',
    '以上、よろしくお願いいたします', 'ありがとうございます', 'ありがとうございました', '以上です', '以上',
  ],
};
