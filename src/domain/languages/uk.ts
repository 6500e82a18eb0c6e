import type { Language } from './language.js';

/** Ukrainian. */
export const uk: Language = {
  code: 'uk',
  // Gmail and Thunderbird: "… Name <a@b> пише:"; Apple Mail: "… Name <a@b> написав(-ла):".
  wrote: ['написав(-ла)', 'написав(ла)', 'написала', 'написав', 'пише'],
  originalMessage: ['вихідне повідомлення', 'оригінальне повідомлення', 'початкове повідомлення'],
  forwardSeparator: ['переслане повідомлення', 'пересилане повідомлення', 'пересланий лист'],
  forwardIntro: ['початок пересланого повідомлення'],
  headerFields: {
    from: ['від'],
    date: ['надіслано', 'дата'],
    to: ['кому'],
    subject: ['тема'],
    cc: ['копія'],
  },
  // с, из or з after either verb: one pattern served Russian and Ukrainian (ru.ts likewise).
  mobileSignatures: [/^надіслано (?:с|из|з) \S/iu, /^(?:отримати|завантажити|завантажте) outlook для (?:ios|android)/iu],
  externalSenderBanners: ['з-за меж організації', 'з-за меж вашої організації', 'за межами вашої організації', 'ззовні вашої організації'],
  signOffs: [
    'з повагою', 'з найкращими побажаннями', 'всього найкращого', 'всього доброго', 'гарного дня', 'дякую', 'щиро дякую',
    'дуже дякую', 'заздалегідь дякую', 'дякую заздалегідь',
  ],
};
