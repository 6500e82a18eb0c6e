import type { Language } from './language.js';

/** Korean. */
export const ko: Language = {
  code: 'ko',
  // Gmail: "2026년 1월 5일 (월) 오전 10:01, Name <a@b>님이 작성:"; Apple Mail: "… Name <a@b> 작성:".
  wrote: ['작성'],
  originalMessage: ['원본 메시지'],
  forwardSeparator: ['전달된 메일', '전달된 메시지'],
  forwardIntro: ['전달된 메일', '전달된 메시지'],
  headerFields: {
    from: ['보낸 사람', '보낸사람'],
    date: ['날짜', '보낸 날짜'],
    to: ['받는 사람', '받는사람'],
    subject: ['제목'],
    cc: ['참조'],
  },
  mobileSignatures: [/^.{1,30}에서 보냄$/u, /^(?:ios|android) ?용 ?outlook ?받기/iu],
  externalSenderBanners: ['조직 외부에서 발송', '조직 외부에서 보낸 메일'],
  signOffs: ['감사합니다', '고맙습니다', '감사드립니다', '수고하세요', '수고하십시오', '좋은 하루 되세요', '잘 부탁드립니다'],
  // Outlook: "회신:" and "전달:".
  replyPrefixes: ['회신'],
  forwardPrefixes: ['전달'],
};
