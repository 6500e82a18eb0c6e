import type { Language } from './language.js';

/** Vietnamese: Gmail's "Vào Th 3, 3 thg 11, 2026 vào lúc 09:12 Name <a@b> đã viết:". */
export const vi: Language = {
  code: 'vi',
  wrote: ['đã viết'],
  headerOpeners: ['vào'],
};
