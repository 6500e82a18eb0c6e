/**
 * Triage, the public door to src/domain/triage/: the config schema (schema.ts), the built-in
 * rules (default-rules.ts) and the engine that applies them (engine.ts).
 */
export { defaultTriageRules, triageRulesSchema, type TriageRules } from './triage/schema.js';
export { escalate, triage, type Category, type TriageInput, type TriageResult } from './triage/engine.js';
