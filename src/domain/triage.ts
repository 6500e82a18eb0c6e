/**
 * Triage: a new ticket's category and priority, with the rules that fired in words. No I/O.
 *
 * Method: each category sums the weights of its keywords found in the subject and visible text;
 * the best score wins (ties go to the category listed first), below `minCategoryScore` the
 * ticket is `fallbackCategory`. Priority starts at `defaultPriority`; signals (phrases, read one
 * sentence at a time) raise it, the strongest wins; only when nothing raises it may a lowering
 * signal ("no rush") apply. A VIP sender then gets `raiseBy` levels, never above P1.
 *
 * Patterns match whole words, case-insensitively (src/domain/patterns.ts).
 */
import { z } from 'zod';
import { emailSchema, domainSchema } from './addresses.js';
import { checkPatterns, matchesOf, normaliseText, type PatternMatch } from './patterns.js';
import type { Priority } from './ticket.js';

const MONTHS = ['jan(uary)?', 'feb(ruary)?', 'mar(ch)?', 'apr(il)?', 'may', 'june?', 'july?', 'aug(ust)?', 'sep(t|tember)?', 'oct(ober)?', 'nov(ember)?', 'dec(ember)?'];

/** `{today}` in a pattern becomes the sent date: "23 November", "23rd Nov", "November 23". */
function expandToday(sentAt: Date): (pattern: string) => string {
  const valid = !Number.isNaN(sentAt.getTime());
  // UTC date: the Date header's own offset is lost by then, and a deadline rarely sits at midnight.
  const day = valid ? sentAt.getUTCDate() : 1;
  const month = MONTHS[valid ? sentAt.getUTCMonth() : 0];
  const today = `(${day}(st|nd|rd|th)? ${month}|${month} ${day}(st|nd|rd|th)?)(?!\\d)`;
  return (pattern) => pattern.replaceAll('{today}', today);
}

// ---------------------------------------------------------------------------------------------
// Schema

const priorities = ['P1', 'P2', 'P3', 'P4'] as const satisfies readonly Priority[];
const prioritySchema = z.enum(priorities);

const categoryRuleSchema = z
  .object({
    name: z.string().trim().min(1).max(40),
    /** Pattern → weight; each occurrence adds the weight. */
    keywords: z.record(z.string().min(1), z.number().min(0).max(100)),
  })
  .strict()
  .superRefine((rule, ctx) => checkPatterns(ctx, `category "${rule.name}"`, Object.keys(rule.keywords), ['keywords']));

const signalRuleSchema = z
  .object({
    id: z.string().trim().min(1).max(40),
    /** The priority this signal asks for: above the default raises, below it lowers. */
    priority: prioritySchema,
    /** In words, for the reason: `P2: deadline today ("close today")`. */
    label: z.string().trim().min(1).max(80),
    /** `{today}` stands for the date the mail was sent, written like "23 November" or "Nov 23". */
    patterns: z.array(z.string().min(1)).min(1),
    /** When set, one of these must occur in the same sentence ("today" counts next to "need"). */
    sameSentence: z.array(z.string().min(1)).default([]),
    /** When one of these occurs in the same sentence, the match does not count ("tomorrow at 10"). */
    unlessSameSentence: z.array(z.string().min(1)).default([]),
    /** A signal that also decides the category (a security incident is a security ticket). */
    category: z.string().trim().min(1).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const name = `signal "${rule.id}"`;
    checkPatterns(ctx, name, rule.patterns, ['patterns'], expandToday(new Date(0)));
    checkPatterns(ctx, name, rule.sameSentence, ['sameSentence']);
    checkPatterns(ctx, name, rule.unlessSameSentence, ['unlessSameSentence']);
  });


const vipSchema = z
  .object({
    addresses: z.array(emailSchema).default([]),
    /** Every sender at these domains (and their subdomains). */
    domains: z.array(domainSchema).default([]),
    raiseBy: z.number().int().min(0).max(3).default(1),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Defaults: tuned on fixtures/triage/expected*.json. Weights: 3 names the thing, 2 points at it,
// 1 is a hint that other words must confirm.

const defaultCategories: z.input<typeof categoryRuleSchema>[] = [
  {
    name: 'security',
    keywords: {
      phishing: 5,
      ransomware: 5,
      'malware|virus(es)?|trojan': 4,
      'hacked|compromised|breach(ed)?': 4,
      'data (loss|leak)': 4,
      'suspicious|scam|spoof(ed|ing)?|fraud(ulent)?': 4,
      "block (the |this )?sender|unknown sender|(don't|do not) know (this|the) (sender|supplier)": 2,
      'stolen|lost (my|the|a|her|his) laptop': 3,
      'fake (login|sign-in|invoice|page)': 2,
    },
  },
  {
    name: 'network',
    keywords: {
      'vpn|globalprotect|anyconnect|wireguard': 3,
      'wi-?fi|wlan|wireless|ssid|hotspot': 3,
      'internet|ethernet|lan|dns|dhcp|proxy|gateway|file server|network drive|shared drive': 2,
      'network|router|access point|switch port|bandwidth|latency|packet loss': 1,
      'ping|ip address|connection|connect(ed|ing|s)?|offline|online': 1,
    },
  },
  {
    name: 'hardware',
    keywords: {
      'laptops?|notebooks?|macbook|desktop pc|pc|workstation|thinkpad|latitude': 2,
      'monitors?|docking stations?|docks?|keyboards?|mouse|mice|headsets?|chargers?|batter(y|ies)': 3,
      'projectors?|speakers?|adapters?|dongles?|hdmi|usb-?c?|displays?|screens?': 2,
      'fan|overheat(s|ing)?|boot(s|ing)?|bios|bitlocker|hard ?drive|ssd|ram': 2,
      'asset tag|asset list|NW-(LT|MB|PC|DT|MN)-\\d+|equipment|hardware': 2,
      'cracked|broken|spilled|panel|camera|webcam|iphone|phone|tablet|ipad': 1,
    },
  },
  {
    name: 'printing',
    keywords: {
      'print(s|ed|er|ers|ing)?|copier|toner|cartridges?|paper jam|scan(s|ned|ner|ning)?': 3,
      'PRN-[A-Z0-9-]+|tray|paper|follow-?me': 2,
      'drucker|druck(t|en)|imprimante|プリンター?|印刷': 3,
    },
  },
  {
    name: 'email',
    keywords: {
      'outlook|mailbox(es)?|shared mailbox|calendars?|inbox|distribution list|owa': 3,
      'out of office|auto-?reply|exchange|spam|junk|mail rules?|signature': 2,
      'e-?mails?|mails?|attachments?|meeting invites?': 1,
    },
  },
  {
    name: 'access',
    keywords: {
      'locked out|account (is |has been |was )?(locked|disabled|expired?)|(password|account) (reset|expir(es|ed|y))|reset (my |the |her |his )?password': 3,
      'mfa|2fa|two-factor|multi-factor|authenticator|temporary access pass|sso|badge': 3,
      'new (starter|joiner|colleague|hire)|onboarding': 3,
      'access|permissions?|rights|accounts?|log ?in|login|sign(ed)?[- ]?in|sharing|read-only|read/write': 2,
      'password|portal|guests?|shares?': 1,
      'ログイン|アカウント|ロック': 3,
      'パスワード|アクセス': 2,
    },
  },
  {
    name: 'software',
    keywords: {
      'excel|word|powerpoint|teams|visio|zoom|sap|adobe|acrobat|docker|chrome|firefox|edge browser': 3,
      'licen[cs]es?|install(ed|ing|ation)?|update|upgrade|backup|crash(es|ed|ing)?|application|app|software|program': 3,
      'onedrive|sharepoint|workbook|spreadsheet|plugin|add-in|driver': 1,
      'ソフト|アプリ': 2,
    },
  },
];

/** Sentence words that make "today" a deadline: need it, due, starts, a meeting... */
const DEADLINE_CONTEXT = [
  'need(s|ed)?',
  'due',
  'deadline',
  'must',
  '(have|has) to',
  'before',
  'starts?',
  'expir(e|es|ing)',
  'close|closing',
  'run',
  'meeting',
  'call',
  'present(ing|ation)?',
  'demo',
  'interview',
  'submit',
  'finish',
  'go-live|launch',
  'flight',
];

const defaultSignals: z.input<typeof signalRuleSchema>[] = [
  {
    id: 'security-incident',
    priority: 'P1',
    label: 'security incident',
    category: 'security',
    patterns: [
      'ransomware',
      'phishing',
      "clicked (on )?(a|the|this|that|an) (\\w+ )?(link|attachment)",
      'entered my (password|credentials)',
      'data (loss|leak|breach)',
      'breach(ed)?',
      'compromised|hacked',
      'malware',
      '(files|documents) (are|were|got|have been) encrypted',
    ],
    // Asking about phishing training or a test campaign is not an incident.
    unlessSameSentence: ['training|awareness|simulation|course|webinar'],
  },
  {
    id: 'outage',
    priority: 'P1',
    label: 'outage affecting many people',
    patterns: [
      'outage',
      'down for (everyone|everybody|all( of us)?|the whole \\w+)',
      "(whole|entire) (floor|office|building|site|team|department|company|branch|warehouse) (is |are )?(now )?(down|offline|affected|without|can't|cannot|unable)",
      '(everyone|everybody|all (users|staff|employees|of us)) (here |in the office |on (the|our|this) floor )?(is |are )?(down|offline|locked out|blocked)',
      "(nobody|no one|none of us)[^.!?\\n]{0,40}(can|is able to|are able to) (work|log ?in|sign ?in|connect|get online|get any work done|access|open|send|receive)",
      '(the |our )?(file |mail |print )?(server|servers|network|intranet|website|erp|crm|sap) (is|are|went|has gone|have gone) down',
      '(all|the) (systems|servers) (are )?down',
    ],
  },
  {
    id: 'cannot-work',
    priority: 'P2',
    label: 'work is blocked',
    patterns: [
      "(can't|cannot|can not|unable to) (work(?! out)|do (my|any|our) (job|work))",
      "(won't|doesn't|does not|will not|didn't|did not) (boot|start up|turn on|power on|switch on)",
      "(am|is|are|'m|'re) (completely )?blocked",
      'blocked (from|by)',
      '(nobody|no one|none of us)[^.!?\\n]{0,40}(can|is able to|are able to)',
      '(laptop|pc|computer|machine) (is|went) dead',
    ],
  },
  {
    id: 'urgent',
    priority: 'P2',
    label: 'the sender asks for it urgently',
    patterns: [
      'urgent(ly)?',
      'asap',
      'as soon as possible',
      'emergency',
      'high priority',
      '至急',
      '緊急',
      '急ぎ',
      'dringend',
      'urgente',
      'urgence',
      'brådskande',
      'spoed',
    ],
  },
  {
    id: 'deadline-today',
    priority: 'P2',
    label: 'deadline today',
    patterns: ['today', 'tonight', 'this (afternoon|evening)', '{today}', '本日|今日'],
    sameSentence: DEADLINE_CONTEXT,
  },
  {
    id: 'deadline-by',
    priority: 'P2',
    label: 'deadline today',
    patterns: [
      '(by|before) (noon|midday|lunch(time)?|eod|cob|end of (the )?(day|business)|close of business|tonight|today|this (afternoon|evening)|\\d{1,2}([:.]\\d{2})?( ?(am|pm|h|o\'clock))?(?![\\d%]|[:./-]\\d)(?! ?(%|percent|people|users|pages|min|mins|minutes|hours|days|weeks|laptops|devices|gb|mb|tb)\\b))',
      'eod|cob',
    ],
  },
  {
    id: 'deadline-time',
    priority: 'P2',
    label: 'deadline today',
    // A time of day next to a meeting or a need, on a mail that names no other day.
    patterns: ["at \\d{1,2}([:.]\\d{2})?( ?(am|pm|h|o'clock))?(?![\\d%]|[:./-]\\d)(?! ?(%|percent|people|users|pages|min|mins|minutes|hours|days)\\b)"],
    sameSentence: ['meetings?', 'call', 'present(ing|ation)?', 'demo', 'interview', 'workshop', 'training', 'kick-?off', 'webinar', 'appointment', 'flight', 'need(s|ed)?'],
    unlessSameSentence: ['tomorrow', 'next (week|month)', '(on|next) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)'],
  },
  {
    id: 'not-urgent',
    priority: 'P4',
    label: 'the sender says it is not urgent',
    patterns: [
      'not (really |that |too |very |super )?urgent',
      'nothing urgent',
      'no (rush|hurry|urgency)',
      'not in a (rush|hurry)',
      'nice to have',
      'not (time[- ])?critical',
      'low priority',
      'not a priority',
      'whenever (you|it|convenient|is convenient)',
      'when(ever)? you (have|get) (a )?(chance|moment|minute|time)',
      'in your own time',
      'at your (earliest )?convenience',
      '急ぎません',
      'nicht dringend',
      'geen haast',
    ],
  },
];

export const triageRulesSchema = z
  .object({
    categories: z.array(categoryRuleSchema).min(1).prefault(defaultCategories),
    fallbackCategory: z.string().trim().min(1).default('other'),
    /** A category needs at least this score to be chosen over the fallback. */
    minCategoryScore: z.number().min(0).default(2),
    defaultPriority: prioritySchema.default('P3'),
    signals: z.array(signalRuleSchema).prefault(defaultSignals),
    vip: vipSchema.prefault({}),
  })
  .strict()
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.categories.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: ['categories', i, 'name'], message: `category "${c.name}" is listed twice` });
      seen.add(c.name);
    });
  });

export type TriageRules = z.infer<typeof triageRulesSchema>;

/** The built-in rules (what `{}` parses to). */
export const defaultTriageRules: TriageRules = triageRulesSchema.parse({});

// ---------------------------------------------------------------------------------------------
// Triage

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
  const forced = fired.find((f) => f.rule.category && f.rule.priority < rules.defaultPriority);

  const reasons: string[] = [];
  let category: string;
  if (forced?.rule.category) {
    category = forced.rule.category;
    reasons.push(`category ${category}: ${forced.rule.label} ("${forced.quote}")`);
  } else {
    const scored = scoreCategories(text, rules);
    const best = scored[0];
    if (best && best.score >= rules.minCategoryScore) {
      category = best.name;
      reasons.push(`category ${category}: ${best.terms.join(', ')} (score ${best.score}, subject words count twice)`);
    } else {
      category = rules.fallbackCategory;
      const hint = best && best.score > 0 ? ` (best: ${best.name} ${best.score})` : '';
      reasons.push(`category ${category}: no category scored ${rules.minCategoryScore} or more${hint}`);
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
  const why = `${strongest.rule.label} ("${strongest.quote}")${vip ? `, VIP sender ${input.sender.toLowerCase()}` : ''}`;
  return { priority, reason: `${priority}: raised from ${current} by a reply: ${why}` };
}

// ---------------------------------------------------------------------------------------------

interface CategoryScore {
  name: string;
  score: number;
  /** `"vpn" ×2`, in the order the keywords are listed. */
  terms: string[];
}

function scoreCategories(text: string, rules: TriageRules): CategoryScore[] {
  const scores = rules.categories.map((rule) => {
    let score = 0;
    const terms: string[] = [];
    for (const [pattern, weight] of Object.entries(rule.keywords)) {
      // Group by what was written, so "VPN" and "vpn" count as one term.
      const counts = new Map<string, number>();
      for (const m of matchesOf(pattern, text)) {
        const key = m.text.toLowerCase().replace(/\s+/g, ' ');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const [term, count] of counts) {
        score += weight * count;
        if (weight > 0) terms.push(count > 1 ? `"${term}" ×${count}` : `"${term}"`);
      }
    }
    return { name: rule.name, score, terms };
  });
  // Stable sort: on a tie the category listed first wins.
  return scores.sort((a, b) => b.score - a.score);
}

interface DecidedPriority {
  priority: Priority;
  reasons: string[];
}

function decidePriority(fired: FiredSignal[], rules: TriageRules): DecidedPriority {
  const raising = fired.filter((f) => f.rule.priority < rules.defaultPriority);
  const lowering = fired.filter((f) => f.rule.priority > rules.defaultPriority);
  const say = (f: FiredSignal) => `${f.rule.priority}: ${f.rule.label} ("${f.quote}")`;
  if (raising.length) {
    const reasons = raising.map(say);
    for (const f of lowering) reasons.push(`not ${f.rule.priority}: ${f.rule.label} ("${f.quote}"), but a stronger signal fired`);
    return { priority: raising[0]!.rule.priority, reasons };
  }
  if (lowering.length) {
    // The weakest-asking lowering signal is the one the sender meant least urgently.
    const weakest = [...lowering].sort((a, b) => (a.rule.priority < b.rule.priority ? 1 : -1))[0]!;
    return { priority: weakest.rule.priority, reasons: lowering.map(say) };
  }
  return { priority: rules.defaultPriority, reasons: [`${rules.defaultPriority}: no urgency signal (the default)`] };
}

function vipRaise(priority: Priority, sender: string, rules: TriageRules): { priority: Priority; reason: string } | null {
  if (!rules.vip.raiseBy || !isVip(sender, rules)) return null;
  const index = Math.max(0, priorities.indexOf(priority) - rules.vip.raiseBy);
  const raised = priorities[index]!;
  if (raised === priority) return null;
  const levels = priorities.indexOf(priority) - index;
  return { priority: raised, reason: `${raised}: VIP sender ${sender.toLowerCase()} (${levels === 1 ? 'one level' : `${levels} levels`} above ${priority})` };
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
  const fired: FiredSignal[] = [];
  for (const rule of rules.signals) {
    // Several rules may say the same thing ("deadline today"): one reason each is enough.
    if (fired.some((f) => f.rule.label === rule.label && f.rule.priority === rule.priority)) continue;
    const quote = firstSignalMatch(rule, sentences, input.sentAt, rule.priority < rules.defaultPriority);
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

/** A negation right before a raising phrase cancels it: "not urgent", "isn't blocked". */
const NEGATED = /(?:\b(?:not|no|nothing|never|hardly)|n't)\s+(?:(?:really|very|that|so|super|too|particularly|especially|an?)\s+)?$/i;

function firstSignalMatch(rule: SignalRule, sentences: string[], sentAt: Date, raising: boolean): string | null {
  const patterns = rule.patterns.map(expandToday(sentAt));
  for (const sentence of sentences) {
    if (rule.unlessSameSentence.some((p) => matchesOf(p, sentence).length > 0)) continue;
    const context = rule.sameSentence.flatMap((p) => matchesOf(p, sentence));
    if (rule.sameSentence.length && !context.length) continue;
    for (const pattern of patterns) {
      for (const m of matchesOf(pattern, sentence)) {
        if (raising && NEGATED.test(sentence.slice(0, m.index))) continue;
        return quoteOf(sentence, m, context);
      }
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
