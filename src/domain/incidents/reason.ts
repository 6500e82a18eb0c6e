/** An incident decision in words, for history, notices and the CLI: rendered from its data, never parsed back. */
import type { IncidentDecision, IncidentReason } from './grouping.js';
import { placeOf } from './incident.js';
import type { IncidentRules } from './rules.js';

export function incidentReasonText(decision: IncidentDecision, rules: Pick<IncidentRules, 'services' | 'minRequesters' | 'windowMinutes'>): string {
  if (decision.kind === 'alone') {
    if (decision.why === 'no-report') return 'not an outage report: it names no service';
    if (decision.why === 'excluded-category') return 'its category is kept out of incidents';
    const r = decision.reason;
    if (!r) return `no other report of ${serviceWords(null, rules)} within ${rules.windowMinutes} min`;
    return `${ordinal(r.reportNumber)} report of ${incidentWhat(r, rules)} within ${rules.windowMinutes} min, like ${r.like.join(', ')}: fewer than ${rules.minRequesters} people so far`;
  }
  const r = decision.reason;
  const lead = `${ordinal(r.reportNumber)} report of ${incidentWhat(r, rules)} within ${Math.max(r.minutes, 1)} min, like ${r.like.join(', ')}`;
  return decision.kind === 'joins' ? `${lead}: joins ${decision.incidentId}` : `${lead}: a new incident`;
}

/** What is down and where: "Wi-Fi and network down (floor 3, Malmö)". */
export function incidentWhat(r: IncidentReason, rules: Pick<IncidentRules, 'services'>): string {
  const place = placeOf(r);
  return `${serviceWords(r.service, rules)} down${place ? ` (${place})` : ''}`;
}

function serviceWords(name: string | null, rules: Pick<IncidentRules, 'services'>): string {
  return rules.services.find((s) => s.name === name)?.label ?? 'the service';
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}
