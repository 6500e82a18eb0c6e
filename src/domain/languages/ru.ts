import type { Language } from './language.js';

/** Russian. */
export const ru: Language = {
  code: 'ru',
  // Thunderbird: "03.11.2026 09:12, Name пишет:"; Apple Mail: "… Name <a@b> написал(а):". Gmail and
  // Mail.ru write no verb ("пн, 5 янв. 2026 г. в 10:01, Name <a@b>:"), which needs no word.
  wrote: ['написал(а)', 'написала', 'написал', 'пишет'],
  originalMessage: ['исходное сообщение'],
  // Gmail, Thunderbird and Mail.ru "Пересылаемое сообщение"; Yandex "Начало переадресованного сообщения".
  forwardSeparator: ['пересылаемое сообщение', 'пересланное сообщение', 'переадресованное сообщение', 'начало переадресованного сообщения'],
  forwardIntro: ['начало переадресованного сообщения'],
  headerFields: {
    from: ['от'],
    date: ['отправлено', 'дата'],
    to: ['кому'],
    subject: ['тема'],
    cc: ['копия'],
  },
  // с, из or з after either verb: one pattern served Russian and Ukrainian (uk.ts likewise).
  mobileSignatures: [/^отправлено (?:с|из|з) \S/iu, /^(?:получить|скачать|загрузить) outlook для (?:ios|android)/iu],
  externalSenderBanners: ['из-за пределов организации', 'из-за пределов вашей организации', 'за пределами вашей организации', 'извне вашей организации'],
  signOffs: [
    'с уважением', 'с наилучшими пожеланиями', 'всего доброго', 'всего хорошего', 'хорошего дня', 'спасибо', 'большое спасибо',
    'заранее спасибо', 'спасибо заранее', 'благодарю', 'заранее благодарю', 'с уважением и благодарностью',
  ],
  replyPrefixes: ['ответ'],
  forwardPrefixes: ['пересл'],
};
