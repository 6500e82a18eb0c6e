import type { Language } from './language.js';

/** Hungarian. */
export const hu: Language = {
  code: 'hu',
  wrote: ['írta'],
  headerFields: {
    from: ['feladó'],
    date: ['elküldve', 'dátum'],
    to: ['címzett'],
    subject: ['tárgy'],
  },
};
