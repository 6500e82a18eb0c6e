import type { Language } from './language.js';

/**
 * Turkish. Under the `iu` flags "i" does not match "İ" (nor "ı" "I"), so a word whose line may
 * start with a capital İ is listed in that spelling as well.
 */
export const tr: Language = {
  code: 'tr',
  // Gmail: "5 Oca 2026 Pzt, saat 10:01 tarihinde Name <a@b> şunu yazdı:"; Thunderbird: "… tarihinde Name yazdı:".
  wrote: ['yazdı'],
  originalMessage: ['özgün ileti', 'özgün İleti', 'orijinal ileti', 'orijinal İleti', 'orijinal mesaj'],
  forwardSeparator: ['yönlendirilen ileti', 'yönlendirilmiş ileti', 'yönlendirilmiş mesaj', 'iletilen mesaj', 'İletilen mesaj'],
  forwardIntro: ['yönlendirilen iletinin başlangıcı'],
  headerFields: {
    from: ['kimden'],
    date: ['gönderildi', 'gönderilme tarihi', 'tarih'],
    to: ['kime'],
    subject: ['konu'],
    cc: ['bilgi'],
  },
  mobileSignatures: [
    // "iPhone'umdan gönderildi", "Samsung Galaxy akıllı telefonumdan gönderildi": a device, then "-dan gönderildi".
    /^.{0,40}(?:iphone|ipad|android|galaxy|samsung|telefon|cihaz|outlook)\S*(?:dan|den|tan|ten) gönderildi$/iu,
    /^(?:ios|android) için outlook['’]u (?:edinin|indirin)/iu,
  ],
  externalSenderBanners: ['kuruluşunuzun dışından', 'kurumunuzun dışından', 'kurum dışından gönderilmiştir', 'kurum dışından gelmiştir'],
  signOffs: [
    'saygılarımla', 'saygılar', 'iyi çalışmalar', 'İyi çalışmalar', 'teşekkürler', 'teşekkür ederim', 'teşekkürler, iyi çalışmalar',
    'iyi günler', 'İyi günler', 'kolay gelsin', 'selamlar', 'sevgiler', 'tşk',
  ],
  // Outlook: "YNT:" (yanıt) and "İLT:" (ilet).
  replyPrefixes: ['ynt'],
  forwardPrefixes: ['ilt', 'İlt'],
};
