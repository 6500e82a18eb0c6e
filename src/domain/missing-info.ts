/**
 * Missing information, the public door to src/domain/missing-info/: the config schema
 * (schema.ts), the built-in details (default-rules.ts) and the engine that finds what is
 * missing and words the asks (engine.ts).
 */
export { defaultMissingInfoRules, missingInfoRulesSchema, type MissingInfoRules } from './missing-info/schema.js';
export { asksFor, missingDetails, stillMissing, type MissingDetail } from './missing-info/engine.js';
