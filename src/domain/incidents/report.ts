/**
 * What a new ticket says about a possible outage, read once when it opens: which service, where
 * (a site, a floor), whether it says the service is unavailable, and identifiers (an error code,
 * a host name) that tie reports together. Pure.
 */
import { identifiers } from '../identifiers.js';
import { matchesOf, normaliseText } from '../patterns.js';
import { escapeRegExp } from '../text.js';
import { localityOf, type IncidentRules } from './rules.js';

export interface OutageReport {
  /** The service's name in the rules (`network`). */
  service: string;
  /** A site from the rules' `sites`, lower-cased, or null. */
  site: string | null;
  /** A floor number, or null. */
  floor: number | null;
  /**
   * The words saying it is unavailable ("geht nicht"), or null when it only names the service
   * or says the problem is the writer's own ("my phone is fine").
   */
  symptom: string | null;
  /** Error codes and host names: words of letters and digits (`0x800ccc0e`, `prn-hh-3f-02`). */
  identifiers: string[];
}

/** The service that devices failing together on one floor point to (serviceOf). */
const NETWORK = 'network';
/** How many times a word in the subject counts against one in the text: the subject says what it is about. */
const SUBJECT_WEIGHT = 3;
const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  ersten: 1, zweiten: 2, dritten: 3, vierten: 4, fünften: 5, sechsten: 6,
  första: 1, andra: 2, tredje: 3, fjärde: 4, femte: 5, sjätte: 6,
  eerste: 1, tweede: 2, derde: 3, vierde: 4, vijfde: 5, zesde: 6,
  premier: 1, première: 1, deuxième: 2, troisième: 3, quatrième: 4, cinquième: 5, sixième: 6,
};
const ORDINAL_WORDS = Object.keys(ORDINALS).join('|');
/** Swedish says a floor by its number's noun: "på fyran" (on the fourth). */
const SWEDISH_FLOOR_NOUNS: Record<string, number> = { ettan: 1, tvåan: 2, trean: 3, fyran: 4, femman: 5, sexan: 6 };
/**
 * "3rd floor", "floor 3", "level 3", "third floor", "3. OG", "3. Stock", "im dritten Stock", "våning 3", "tredje våningen", "plan 3", "på trean",
 * "2e étage", "au 2ème", "du 2e", "tweede verdieping", "3e verdieping".
 */
const FLOOR_PATTERNS: { pattern: RegExp; group: number }[] = [
  { pattern: /\b(\d{1,2})(?:st|nd|rd|th)?[ -]?floor\b/iu, group: 1 },
  { pattern: /\b(?:floor|level) (\d{1,2})\b/iu, group: 1 },
  { pattern: new RegExp(`(?:^|[^\\p{L}])på (${Object.keys(SWEDISH_FLOOR_NOUNS).join('|')})(?![\\p{L}])`, 'iu'), group: 1 },
  { pattern: /\b(\d{1,2})\. ?(?:og|obergeschoss|stock|etage)\b/iu, group: 1 },
  { pattern: /(?:^|[^\p{L}])(?:våning|vån\.?|plan) ?(\d{1,2})\b/iu, group: 1 },
  { pattern: /(?:^|[^\p{L}])(\d{1,2}):?(?:a|e|dje) (?:våningen|våning)(?![\p{L}])/iu, group: 1 },
  { pattern: new RegExp(`(?:^|[^\\p{L}])(${ORDINAL_WORDS}) (?:floor|stock|etage|obergeschoss|våningen|våning|verdieping|étage)(?![\\p{L}])`, 'iu'), group: 1 },
  { pattern: /(?:^|[^\p{L}\p{N}])(\d{1,2}) ?(?:e|er|ère|ème|eme|de|ste)? ?(?:étage|verdieping)(?![\p{L}])/iu, group: 1 },
  // French says the floor alone after "au"/"du": "au 2ème", "l'imprimante du 2e".
  { pattern: /(?:^|[^\p{L}])(?:au|du) (\d{1,2})(?:e|er|ème|eme)(?![\p{L}\p{N}])/iu, group: 1 },
  // A floor said as its number alone, after where people sit or print: "our bank of desks on 3", "printing on 3".
  { pattern: /\b(?:desks?|printers?|printing|we're|we are|i'm|i am|sitting|sit) on (\d{1,2})(?![\p{L}\p{N}.,:]\d| ?(?:pages?|copies|pcs|laptops|computers|machines|minutes|hours|days|%|x\b|of\b))/iu, group: 1 },
];
/**
 * "Writing from my private mail", "skriver från mobilen": the way the mail came when the usual one
 * can't, not a service the writer reports on (it is the one that still works).
 */
const WRITING_FROM = /(?:i'm |i am |je |ik )?(?:writing|write|sending this|schreibe|skriver|schrijf|j'écris|écris)(?: (?:this|dies|das|detta|det här|dit|ceci))? (?:from|von|via|från|vanaf|van|de|depuis) (?:my |meine[mnr]? |min |mitt |mina |mijn |m'n |mon |ma |the |den |dem |der |de |het |le |la |l')?(?:(?:own|private|personal|privat|privata|privé|persoonlijke|perso|personnel(?:le)?|eigen|eigenen?)\s)?(?:(?:e-?mail|mail|mejl|phone|mobile|handy|telefon|telefoon|mobil|gsm|portable|adresse?|adress|adres|address|gmail|account|konto)\p{L}*)(?:\s+(?:address|adresse|adress|adres|account|konto))?/giu;

/** The report a ticket makes, or null when it names no service of the rules. */
export function readReport(subject: string, text: string, rules: IncidentRules): OutageReport | null {
  const [s, t] = [normaliseText(subject).replace(WRITING_FROM, ''), normaliseText(text).replace(WRITING_FROM, '')];
  const service = serviceOf(s, t, rules);
  if (!service) return null;
  const both = `${s}\n${t}`;
  const site = siteOf(both, rules);
  return {
    service,
    site,
    floor: floorOf(both),
    symptom: ownProblem(both, service, site, rules) ? null : symptomOf(both, rules),
    identifiers: identifiers(both),
  };
}

function serviceOf(subject: string, text: string, rules: IncidentRules): string | null {
  const scored = rules.services
    .map((service) => ({ service, score: SUBJECT_WEIGHT * mentions(service, subject) + mentions(service, text) }))
    .filter((s) => s.score > 0)
    // Stable: on a tie the service listed first wins (the ways in, network, VPN and sign-in, come before what they lead to).
    .sort((a, b) => b.score - a.score);
  // A desk phone and a printer of one floor failing together are the floor's network: the switch
  // they both hang off.
  const [first, second] = scored;
  const network = rules.services.find((s) => s.name === NETWORK);
  if (first && second && network && [first, second].every((s) => s.service !== network && localityOf(s.service) === 'floor' && s.score >= SUBJECT_WEIGHT)) return network.name;
  return first?.service.name ?? null;
}

function mentions(service: IncidentRules['services'][number], text: string): number {
  let count = 0;
  for (const pattern of service.patterns) count += matchesOf(pattern, text).length;
  return count;
}

/**
 * Whether the writer says the problem is theirs alone, or no fresh outage (rules.onlyMe). Said in
 * a sentence about another service only, it is about that one: "the VPN works again, thanks; now
 * the expenses site shows an error page" reports the expenses site.
 */
function ownProblem(text: string, service: string, site: string | null, rules: IncidentRules): boolean {
  const reported = rules.services.find((s) => s.name === service)!;
  const others = rules.services.filter((s) => s !== reported);
  for (const sentence of text.split(/(?<=[^\d\s][.!?])\s+|\n+/)) {
    if (!rules.onlyMe.some((pattern) => matchesOf(pattern, sentence).length)) continue;
    const aboutAnother = !mentions(reported, sentence) && others.some((s) => mentions(s, sentence) > 0);
    // "Calls to our Hamburg colleagues go through fine": fine at another site is a local outage's sign.
    const named = siteOf(sentence, rules);
    const elsewhere = named !== null && named !== site;
    if (!aboutAnother && !elsewhere) return true;
  }
  return false;
}

function siteOf(text: string, rules: IncidentRules): string | null {
  const lower = text.toLowerCase();
  // The first site named: a report says where the writer is before it mentions anywhere else.
  let first: { site: string; at: number } | null = null;
  for (const site of rules.sites) {
    const at = matchesOf(escapeRegExp(site), lower)[0]?.index;
    if (at !== undefined && (!first || at < first.at)) first = { site: site.toLowerCase(), at };
  }
  return first?.site ?? null;
}

/** The first floor named: as with the site, a report says where the writer is before it mentions another floor. */
function floorOf(text: string): number | null {
  let first: { floor: number; at: number } | null = null;
  for (const { pattern, group } of FLOOR_PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const value = m[group]!.toLowerCase();
    const floor = ORDINALS[value] ?? SWEDISH_FLOOR_NOUNS[value] ?? Number.parseInt(value, 10);
    if (Number.isInteger(floor) && (!first || m.index < first.at)) first = { floor, at: m.index };
  }
  return first?.floor ?? null;
}

function symptomOf(text: string, rules: IncidentRules): string | null {
  for (const pattern of rules.symptoms) {
    const found = matchesOf(pattern, text)[0];
    if (found) return found.text;
  }
  return null;
}
