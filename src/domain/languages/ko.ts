import type { Language } from './language.js';

/** Korean. */
export const ko: Language = {
  code: 'ko',
  wrote: ['작성'],
  headerFields: {
    from: ['보낸 사람', '보낸사람'],
    date: ['날짜', '보낸 날짜'],
    to: ['받는 사람'],
    subject: ['제목'],
  },
};
