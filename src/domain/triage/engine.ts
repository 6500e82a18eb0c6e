/**
 * Triage: a new ticket's category and priority, with the rules that fired in words. No I/O.
 *
 * Method: a signal that names a category (a security incident, a fraud attempt) decides it;
 * otherwise each category sums the weights of its keywords found in the subject and visible text;
 * the best score wins (ties go to the category listed first), below `minCategoryScore` the
 * ticket is `fallbackCategory`. Priority starts at `defaultPriority`; signals (phrases, read one
 * sentence at a time) raise it, the strongest wins; only when nothing raises it may a lowering
 * signal ("no rush") apply. A VIP sender then gets `raiseBy` levels, never above P1.
 *
 * Patterns match whole words, case-insensitively (src/domain/patterns.ts).
 *
 * The reasons are stored on the ticket and shown to staff as they are (the notification's "Why",
 * the console, the CLI): each says in plain words what decided, with the words that matched.
 */
import { firstMatchOf, matchesOf, normaliseText, patternSet, sameStrings, type PatternMatch } from '../patterns.js';
import type { Priority } from '../ticket.js';
import { PRIORITIES, type TriageRules } from './schema.js';
import { signalPatterns } from './today.js';

export type Category = string;

export interface TriageInput {
  subject: string;
  text: string;
  sender: string;
  sentAt: Date;
}

export interface TriageResult {
  category: string;
  priority: Priority;
  reasons: string[];
}

type SignalRule = TriageRules['signals'][number];

interface FiredSignal {
  rule: SignalRule;
  /** What matched, as quoted in the reason. */
  quote: string;
}

export function triage(input: TriageInput, rules: TriageRules): TriageResult {
  // The subject is the sender's own summary of the problem: its words count twice.
  const text = normaliseText(`${input.subject}\n${input.subject}\n${input.text}`);
  const fired = firedSignals(input, rules);
  // A signal with a category decides it, whatever priority it asks for: a fraud attempt the
  // sender saw through is still a security ticket, at the usual priority.
  const forced = fired.find((f) => f.rule.category);

  const reasons: string[] = [];
  let category: string;
  if (forced?.rule.category) {
    category = forced.rule.category;
    reasons.push(`${named(category)}, because it says "${forced.quote}" (${forced.rule.label})`);
  } else {
    const scored = scoreCategories(text, rules);
    const best = scored[0];
    if (best && best.score >= rules.minCategoryScore) {
      category = best.name;
      reasons.push(`${named(category)}, because it mentions ${wordList(best.terms)}`);
    } else {
      category = rules.fallbackCategory;
      reasons.push(best && best.score > 0 ? `${named(category)}, because no category matched clearly (closest: ${best.name})` : `${named(category)}, because no category matched`);
    }
  }

  const decided = decidePriority(fired, rules);
  reasons.push(...decided.reasons);
  const vip = vipRaise(decided.priority, input.sender, rules);
  if (vip) reasons.push(vip.reason);
  return { category, priority: vip?.priority ?? decided.priority, reasons };
}

/** Raise only: null unless the new text's priority is higher (lower number) than `current`. */
export function escalate(current: Priority, input: TriageInput, rules: TriageRules): { priority: Priority; reason: string } | null {
  // A reply's subject repeats the ticket's ("RE: [TKT-7] …"), so only its text can say something
  // new; and silence or "never mind" is not a reason to move: only signals that raise may act.
  const raising = firedSignals({ ...input, subject: '' }, rules).filter((f) => f.rule.priority < rules.defaultPriority);
  const strongest = raising[0];
  if (!strongest) return null;
  const vip = vipRaise(strongest.rule.priority, input.sender, rules);
  const priority = vip?.priority ?? strongest.rule.priority;
  if (priority >= current) return null;
  const vipToo = vip ? `, and ${input.sender.toLowerCase()} is a VIP sender` : '';
  return { priority, reason: `Raised from ${current} to ${priority}: a reply says "${strongest.quote}" (${strongest.rule.label})${vipToo}` };
}

// ---------------------------------------------------------------------------------------------

interface CategoryScore {
  name: string;
  score: number;
  /** The words that matched, as written (lower-case), and what each added to the score. */
  terms: Array<{ term: string; points: number }>;
}

function scoreCategories(text: string, rules: TriageRules): CategoryScore[] {
  const scores = rules.categories.map((rule) => {
    let score = 0;
    const terms: CategoryScore['terms'] = [];
    // Most categories find none of their words: one combined test says so.
    if (!patternSet(keywordPatterns(rule.keywords)).some(text)) return { name: rule.name, score, terms };
    for (const [pattern, weight] of Object.entries(rule.keywords)) {
      // Group by what was written, so "VPN" and "vpn" count as one term.
      const counts = new Map<string, number>();
      for (const m of matchesOf(pattern, text)) {
        const key = m.text.toLowerCase().replace(/\s+/g, ' ');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const [term, count] of counts) {
        score += weight * count;
        if (weight > 0) terms.push({ term, points: weight * count });
      }
    }
    return { name: rule.name, score, terms };
  });
  // Stable sort: on a tie the category listed first wins.
  return scores.sort((a, b) => b.score - a.score);
}

const keywordLists = new WeakMap<Record<string, number>, string[]>();

/** A category's keyword patterns as one list: the same array for as long as they stay the same. */
function keywordPatterns(keywords: Record<string, number>): string[] {
  const patterns = Object.keys(keywords);
  const known = keywordLists.get(keywords);
  if (known && sameStrings(known, patterns)) return known;
  keywordLists.set(keywords, patterns);
  return patterns;
}

interface DecidedPriority {
  priority: Priority;
  reasons: string[];
}

function decidePriority(fired: FiredSignal[], rules: TriageRules): DecidedPriority {
  const raising = fired.filter((f) => f.rule.priority < rules.defaultPriority);
  const lowering = fired.filter((f) => f.rule.priority > rules.defaultPriority);
  const say = (f: FiredSignal) => `${f.rule.priority}, because it says "${f.quote}" (${f.rule.label})`;
  if (raising.length) {
    const [strongest, ...others] = raising;
    const also = (f: FiredSignal) => `It also says "${f.quote}" (${f.rule.label})${f.rule.priority === strongest!.rule.priority ? '' : `, which alone would make it ${f.rule.priority}`}`;
    const reasons = [say(strongest!), ...others.map(also)];
    for (const f of lowering) reasons.push(`Not ${f.rule.priority}, though it says "${f.quote}" (${f.rule.label}): the more urgent words win`);
    return { priority: strongest!.rule.priority, reasons };
  }
  if (lowering.length) {
    // The weakest-asking lowering signal is the one the sender meant least urgently.
    const weakest = [...lowering].sort((a, b) => (a.rule.priority < b.rule.priority ? 1 : -1))[0]!;
    return { priority: weakest.rule.priority, reasons: lowering.map(say) };
  }
  return { priority: rules.defaultPriority, reasons: [`${rules.defaultPriority}, the usual priority: nothing in it sounds urgent`] };
}

function vipRaise(priority: Priority, sender: string, rules: TriageRules): { priority: Priority; reason: string } | null {
  if (!rules.vip.raiseBy || !isVip(sender, rules)) return null;
  const index = Math.max(0, PRIORITIES.indexOf(priority) - rules.vip.raiseBy);
  const raised = PRIORITIES[index]!;
  if (raised === priority) return null;
  return { priority: raised, reason: `${raised} instead of ${priority}: ${sender.toLowerCase()} is a VIP sender` };
}

/** A category's name to start a sentence with: "hardware" → "Hardware"; "iOS" stays. */
function named(category: string): string {
  return /^\p{Ll}(?!\p{Lu})/u.test(category) ? category[0]!.toUpperCase() + category.slice(1) : category;
}

/** The words that decided a category, those that weighed most first: `"printer", "toner" and "paper jam"`. */
const MAX_WORDS = 5;
function wordList(terms: CategoryScore['terms']): string {
  // Two keywords may match the same words: they are one word to the reader.
  const points = new Map<string, number>();
  for (const { term, points: p } of terms) points.set(term, (points.get(term) ?? 0) + p);
  const words = [...points].sort((a, b) => b[1] - a[1]).map(([term]) => `"${term}"`);
  // "and 1 more word" says less than the word itself.
  if (words.length > MAX_WORDS + 1) return `${words.slice(0, MAX_WORDS).join(', ')} and ${words.length - MAX_WORDS} more words`;
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : words.join('');
}

function isVip(sender: string, rules: TriageRules): boolean {
  const address = sender.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  const host = at >= 0 ? address.slice(at + 1) : '';
  return rules.vip.addresses.includes(address) || rules.vip.domains.some((d) => host === d || host.endsWith(`.${d}`));
}

/** Every signal that fired, strongest first (rule order among equals), once each. */
function firedSignals(input: TriageInput, rules: TriageRules): FiredSignal[] {
  const sentences = prioritySentences(input.subject, input.text);
  // Every sentence is part of this text, so a rule whose keywords it lacks fires in none.
  const all = sentences.join('\n');
  const fired: FiredSignal[] = [];
  for (const rule of rules.signals) {
    // Several rules may say the same thing ("deadline today"): one reason each is enough.
    if (fired.some((f) => f.rule.label === rule.label && f.rule.priority === rule.priority)) continue;
    const patterns = signalPatterns(rule.patterns, input.sentAt);
    if (!patternSet(patterns).mayMatch(all)) continue;
    if (rule.unlessInMail.length && patternSet(rule.unlessInMail).some(all)) continue;
    const quote = firstSignalMatch(rule, patterns, sentences, rule.priority < rules.defaultPriority);
    if (quote !== null) fired.push({ rule, quote });
  }
  return fired.sort((a, b) => (a.rule.priority < b.rule.priority ? -1 : a.rule.priority > b.rule.priority ? 1 : 0));
}

/**
 * Sentences for the priority signals: the subject and the text cut at sentence ends and line
 * breaks, with scare quotes removed: a “Urgent” in quotes is the sender's irony or a quoted
 * label, not a request. Longer quotations (an error message) stay.
 */
function prioritySentences(subject: string, text: string): string[] {
  const withoutScareQuotes = (s: string) => s.replace(/"([^"\n]{1,40})"/g, (whole, inner: string) => (inner.trim().split(/\s+/).length <= 3 ? ' ' : whole));
  return [subject, ...text.split(/(?<=[.!?。！？])\s+|\n+/)]
    .map((s) => withoutScareQuotes(normaliseText(s)).trim())
    .filter((s) => s.length > 0);
}

/**
 * A negation right before a raising phrase cancels it: "not urgent", "isn't blocked", and in the
 * offices' languages "nicht dringend", "niet dringend", "inte brådskande", "pas urgent", "rien d'urgent", "non è urgente".
 */
const NEGATED =
  /(?:(?:\b(?:not|no|nothing|never|hardly|nicht|kein|keine|keinen|niet|geen|inte|ingen|inget|pas|aucune?|nada|non)|n't)\s+(?:(?:really|very|that|so|super|too|particularly|especially|an?|sehr|besonders|wirklich|zo|erg|echt|så|särskilt|vraiment|très|si|trop|es|está|muy|tan|è|molto)\s+){0,2}|\brien d['’]\s*)$/iu;

function firstSignalMatch(rule: SignalRule, patterns: readonly string[], sentences: string[], raising: boolean): string | null {
  const any = patternSet(patterns);
  const unless = patternSet(rule.unlessSameSentence);
  const context = patternSet(rule.sameSentence);
  for (const sentence of sentences) {
    // Cheapest first: most sentences hold none of the rule's phrases.
    if (!any.some(sentence) || unless.some(sentence)) continue;
    if (rule.sameSentence.length && !context.some(sentence)) continue;
    const notNegated = (match: PatternMatch) => !raising || !NEGATED.test(sentence.slice(0, match.index));
    for (const pattern of patterns) {
      const m = firstMatchOf(pattern, sentence, notNegated);
      if (m) return quoteOf(sentence, m, rule.sameSentence.flatMap((p) => matchesOf(p, sentence)));
    }
  }
  return null;
}

/** The match, or the words from the nearest context word to the match ("month-end close today"). */
function quoteOf(sentence: string, match: PatternMatch, context: PatternMatch[]): string {
  const end = match.index + match.text.length;
  const nearest = context
    .filter((c) => c.index + c.text.length <= match.index || c.index >= end)
    .sort((a, b) => distance(a, match) - distance(b, match))[0];
  let start = match.index;
  let stop = end;
  if (nearest) {
    start = Math.min(start, nearest.index);
    stop = Math.max(stop, nearest.index + nearest.text.length);
    // One more word on the match's side reads better: "month-end close today", "today before 16:00".
    if (nearest.index < match.index) {
      const before = /\S+\s+$/.exec(sentence.slice(0, start));
      if (before) start -= before[0].length;
    } else {
      const after = /^\s+\S+/.exec(sentence.slice(stop));
      if (after) stop += after[0].length;
    }
  }
  const quote = sentence.slice(start, stop).replace(/\s+/g, ' ').trim();
  return quote.length <= 80 ? quote : `${quote.slice(0, 38)}…${quote.slice(-38)}`;
}

function distance(a: PatternMatch, b: PatternMatch): number {
  return a.index < b.index ? b.index - (a.index + a.text.length) : a.index - (b.index + b.text.length);
}
