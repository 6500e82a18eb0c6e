import type { Language } from './language.js';

/** Vietnamese: Gmail's "Vào Th 3, 3 thg 11, 2026 vào lúc 09:12 Name <a@b> đã viết:". */
export const vi: Language = {
  code: 'vi',
  wrote: ['đã viết'],
  headerOpeners: ['vào'],
  originalMessage: ['thư gốc', 'tin nhắn gốc'],
  forwardSeparator: ['thư được chuyển tiếp', 'tin nhắn được chuyển tiếp'],
  forwardIntro: ['bắt đầu tin nhắn được chuyển tiếp'],
  headerFields: {
    from: ['từ'],
    date: ['đã gửi', 'ngày', 'ngày gửi'],
    to: ['đến', 'tới'],
    subject: ['chủ đề', 'tiêu đề'],
  },
  // "Gửi từ iPhone của tôi".
  mobileSignatures: [/^(?:được )?gửi từ \S/iu, /^(?:tải|nhận) outlook cho (?:ios|android)/iu],
  externalSenderBanners: ['từ bên ngoài tổ chức', 'bên ngoài tổ chức của bạn'],
  signOffs: ['trân trọng', 'trân trọng cảm ơn', 'thân ái', 'cảm ơn', 'cám ơn', 'xin cảm ơn', 'cảm ơn nhiều', 'cảm ơn bạn'],
};
