import { da } from './da.js';
import type { Language } from './language.js';

/** Norwegian (Bokmål): its clients write the Danish words (Fra, Sendt, Emne, "skrev"), but for these. */
export const nb: Language = {
  ...da,
  code: 'nb',
  originalMessage: ['opprinnelig melding'],
  forwardSeparator: ['videresendt melding'],
  signOffs: ['mvh', 'med vennlig hilsen', 'vennlig hilsen', 'hilsen'],
  mobileSignatures: [/^sendt fra \S/iu, /^(?:hent|få) outlook for (?:ios|android)/iu],
};
