/**
 * Every language whose mail-client words we know, one line each (what a language holds: see
 * language.ts). A new language is a module beside these and its line here; every rule that reads
 * those words picks it up.
 */
export { ca } from './ca.js';
export { cs } from './cs.js';
export { da } from './da.js';
export { de } from './de.js';
export { en } from './en.js';
export { es } from './es.js';
export { fi } from './fi.js';
export { fr } from './fr.js';
export { hu } from './hu.js';
export { is } from './is.js';
export { it } from './it.js';
export { ja } from './ja.js';
export { ko } from './ko.js';
export { nb } from './nb.js';
export { nl } from './nl.js';
export { pl } from './pl.js';
export { pt } from './pt.js';
export { ru } from './ru.js';
export { sk } from './sk.js';
export { sv } from './sv.js';
export { tr } from './tr.js';
export { uk } from './uk.js';
export { vi } from './vi.js';
export { zh } from './zh.js';
