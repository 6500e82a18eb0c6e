import type { Language } from './language.js';

/** English. */
export const en: Language = {
  code: 'en',
  wrote: ['wrote', 'writes'],
  wroteBeforeName: ['wrote'],
  headerOpeners: ['on', 'at'],
  // Android mail apps (HTC's among them): "----- Reply message -----".
  originalMessage: ['original message', 'reply message'],
  forwardSeparator: ['forwarded message', 'forwarded email', 'forwarded e-mail'],
  forwardIntro: ['begin forwarded message'],
  headerFields: {
    from: ['from'],
    date: ['sent', 'sent at', 'date'],
    to: ['to'],
    subject: ['subject'],
    cc: ['cc'],
    replyTo: ['reply-to'],
  },
  mobileSignatures: [
    /^sent (?:from|with|via|using|by|on) \S/i,
    /^(?:get|download) outlook for (?:ios|android)/i,
    /^from my (?:iphone|ipad|ipod|android|mobile|phone|cell|smartphone|samsung|galaxy|blackberry|pixel|huawei)\b/i,
  ],
  externalSenderBanners: ['originated from outside of the organization', 'originated from outside the organization', 'originated from outside of the organisation', 'originated from outside the organisation'],
  signOffs: [
    'best', 'best wishes', 'all the best', 'kind regards', 'best regards', 'warm regards', 'warmest regards', 'regards',
    'many thanks', 'thanks', 'thanks again', 'thank you', 'thx', 'cheers', 'sincerely', 'yours sincerely',
    'yours truly', 'yours', 'respectfully', 'br', 'rgds', 'best rgds', 'kr', 'thanks so much', 'thanks a lot',
  ],
  replyPrefixes: ['re'],
  forwardPrefixes: ['fw', 'fwd'],
};
