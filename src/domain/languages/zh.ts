import type { Language } from './language.js';

/** Chinese, simplified and traditional script. */
export const zh: Language = {
  code: 'zh',
  wrote: ['写道', '寫道'],
  headerOpeners: ['在'],
  originalMessage: ['原始邮件', '原始郵件'],
  forwardSeparator: ['转发的邮件'],
  headerFields: {
    from: ['发件人', '寄件者', '寄件人'],
    date: ['发送时间', '發送時間', '日期'],
    to: ['收件人'],
    subject: ['主题', '主旨'],
    cc: ['抄送'],
  },
  mobileSignatures: [/^(?:寄自|发自|發自|從)我的/u],
  replyPrefixes: ['回复', '回覆', '答复'],
  forwardPrefixes: ['转发', '轉寄'],
};
