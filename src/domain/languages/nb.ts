import { da } from './da.js';
import type { Language } from './language.js';

/** Norwegian (Bokmål): its clients write the Danish words (Fra, Sendt, Emne, "skrev"), but for these. */
export const nb: Language = {
  ...da,
  code: 'nb',
  originalMessage: ['opprinnelig melding'],
  forwardSeparator: ['videresendt melding'],
  forwardIntro: ['start på videresendt melding', 'videresendt melding'],
  headerFields: { ...da.headerFields, cc: ['kopi'] },
  signOffs: [
    'mvh', 'med vennlig hilsen', 'vennlig hilsen', 'hilsen', 'beste hilsen', 'takk', 'tusen takk', 'takk på forhånd',
    'ha en fin dag',
  ],
  mobileSignatures: [/^sendt fra \S/iu, /^(?:hent|få) outlook for (?:ios|android)/iu],
  externalSenderBanners: ['utenfor organisasjonen', 'utenfor din organisasjon'],
};
