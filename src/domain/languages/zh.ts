import type { Language } from './language.js';

/** Chinese, simplified and traditional script. */
export const zh: Language = {
  code: 'zh',
  // Gmail: "Name <a@b> 于2026年1月5日周一 10:01写道："; NetEase: "在 2026-01-05 10:01:00，Name <a@b> 写道：".
  wrote: ['写道', '寫道'],
  headerOpeners: ['在', '於'],
  // Outlook and QQ Mail: "------------------ 原始邮件 ------------------", QQ also above a forward.
  originalMessage: ['原始邮件', '原始郵件'],
  forwardSeparator: ['转发的邮件', '轉寄的郵件', '轉寄郵件'],
  // Apple Mail: "以下是转发的邮件：".
  forwardIntro: ['以下是转发的邮件', '以下為轉寄的郵件', '轉寄的郵件'],
  headerFields: {
    from: ['发件人', '寄件者', '寄件人', '發件人'],
    date: ['发送时间', '發送時間', '日期', '寄件日期'],
    to: ['收件人', '收件者'],
    subject: ['主题', '主旨', '主題'],
    cc: ['抄送', '副本'],
  },
  mobileSignatures: [/^(?:寄自|发自|發自|从|從)我的/u, /^(?:获取|下载|取得|下載) ?outlook ?for ?(?:ios|android)/iu],
  externalSenderBanners: ['来自组织外部', '來自組織外部', '来自贵组织外部'],
  // "此致" then "敬礼！" on the next line, then the name.
  signOffs: ['此致', '敬礼', '此致敬礼', '谢谢', '謝謝', '多谢', '感谢', '非常感谢', '祝好', '顺祝商祺', '敬上'],
  replyPrefixes: ['回复', '回覆', '答复'],
  forwardPrefixes: ['转发', '轉寄'],
};
