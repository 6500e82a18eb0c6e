/**
 * The incident rules' config schema: when reports of one outage from several people become an
 * incident. Every part has built-in defaults (default-rules.ts); a config overrides a part.
 */
import * as z from 'zod';
import { checkPatterns } from '../patterns.js';
import { defaultOnlyMe, defaultServices, defaultSymptoms } from './default-rules.js';

const serviceSchema = z
  .object({
    /** A short id (`network`), kept on the report. */
    name: z.string().trim().min(1).max(40),
    /** In words, for reasons and titles: "Wi-Fi and network". */
    label: z.string().trim().min(1).max(60),
    /** Words that name the service in a report (any language), matched as rule patterns. */
    patterns: z.array(z.string().min(1)).min(1),
    /**
     * A service of a place: reports naming different places are different outages. `"site"`: of
     * a site as a whole (its badge readers' controller, its file server, a warehouse's scanners),
     * so floors do not split it; `"floor"` (or `true`): of a floor too (its Wi-Fi, its switch,
     * its printers). Not local (`false`: email, the VPN, Teams, sign-in): down for everyone alike.
     */
    local: z.union([z.boolean(), z.enum(['site', 'floor'])]).default(false),
  })
  .strict()
  .superRefine((s, ctx) => checkPatterns(ctx, `service "${s.name}"`, s.patterns, ['patterns']));

export const incidentRulesSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Distinct requesters whose similar reports make an incident. */
    minRequesters: z.number().int().min(2).max(50).default(3),
    /** How close together (minutes) their reports must be. */
    windowMinutes: z.number().int().min(1).max(24 * 60).default(30),
    /**
     * The evidence two reports need to be of one outage. Both must say the service is
     * unavailable; then the same service counts 3, the same place 2 (for a local service), a
     * shared identifier (an error code, a host) 1 each, up to 2. Reports of a local service that
     * name different places never match. 3: the same service down is enough; 5: a place or two
     * shared identifiers must agree too.
     */
    threshold: z.number().min(2).max(7).default(3),
    /** Categories whose tickets never join an incident (a security report is handled alone). */
    excludedCategories: z.array(z.string().trim().min(1)).default([]),
    /** The company's sites, as people name them ("Hamburg", "Malmö"): a place in a report. */
    sites: z.array(z.string().trim().min(1).max(60)).default([]),
    services: z.array(serviceSchema).min(1).prefault(defaultServices),
    /** Phrases saying a service is unavailable ("down", "geht nicht", "fungerar inte"). */
    symptoms: z.array(z.string().min(1)).min(1).prefault(defaultSymptoms),
    /** Phrases saying the problem is the writer's alone ("my phone is fine", "nur bei mir"): not an outage report. */
    onlyMe: z.array(z.string().min(1)).prefault(defaultOnlyMe),
  })
  .strict()
  .superRefine((rules, ctx) => {
    checkPatterns(ctx, 'incident symptoms', rules.symptoms, ['symptoms']);
    checkPatterns(ctx, 'incident onlyMe', rules.onlyMe, ['onlyMe']);
  });

export type IncidentRules = z.infer<typeof incidentRulesSchema>;
export type ServiceRule = IncidentRules['services'][number];

/** How local a service is: of no place, of a site, or of a site's floor (`local: true` is a floor's, as it always was). */
export function localityOf(service: Pick<ServiceRule, 'local'> | undefined): 'none' | 'site' | 'floor' {
  if (!service?.local) return 'none';
  return service.local === 'site' ? 'site' : 'floor';
}
