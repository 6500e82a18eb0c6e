/** The triage rules' config schema: categories, priority signals and VIP senders. No I/O. */
import * as z from 'zod';
import { domainSchema, emailSchema } from '../addresses.js';
import { checkPatterns } from '../patterns.js';
import type { Priority } from '../ticket.js';
import { defaultCategories, defaultSignals } from './default-rules.js';
import { expandToday } from './today.js';

/** Most urgent first. */
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const satisfies readonly Priority[];
const FALLBACK_CATEGORY = 'other';
const MIN_CATEGORY_SCORE = 2;
const DEFAULT_PRIORITY = 'P3';
const VIP_RAISE_BY = 1;
const prioritySchema = z.enum(PRIORITIES);

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
    /**
     * `{today}` stands for the date the mail was sent, written like "23 November" or "Nov 23";
     * `{weeksAway}` for any date from three weeks to four months after it.
     */
    patterns: z.array(z.string().min(1)).min(1),
    /** When set, one of these must occur in the same sentence ("today" counts next to "need"). */
    sameSentence: z.array(z.string().min(1)).default([]),
    /** When one of these occurs in the same sentence, the match does not count ("tomorrow at 10"). */
    unlessSameSentence: z.array(z.string().min(1)).default([]),
    /** When one of these occurs anywhere in the mail, the signal does not fire ("that sign-in was me"). */
    unlessInMail: z.array(z.string().min(1)).default([]),
    /** A signal that also decides the category (a security incident is a security ticket). */
    category: z.string().trim().min(1).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const name = `signal "${rule.id}"`;
    checkPatterns(ctx, name, rule.patterns, ['patterns'], expandToday(new Date(0)));
    checkPatterns(ctx, name, rule.sameSentence, ['sameSentence']);
    checkPatterns(ctx, name, rule.unlessSameSentence, ['unlessSameSentence']);
    checkPatterns(ctx, name, rule.unlessInMail, ['unlessInMail']);
  });

const vipSchema = z
  .object({
    addresses: z.array(emailSchema).default([]),
    /** Every sender at these domains (and their subdomains). */
    domains: z.array(domainSchema).default([]),
    raiseBy: z.number().int().min(0).max(3).default(VIP_RAISE_BY),
  })
  .strict();

export const triageRulesSchema = z
  .object({
    categories: z.array(categoryRuleSchema).min(1).prefault(defaultCategories),
    fallbackCategory: z.string().trim().min(1).default(FALLBACK_CATEGORY),
    /** A category needs at least this score to be chosen over the fallback. */
    minCategoryScore: z.number().min(0).default(MIN_CATEGORY_SCORE),
    defaultPriority: prioritySchema.default(DEFAULT_PRIORITY),
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

/**
 * The built-in rules: what `{}` parses to, written out rather than parsed, so importing this
 * module validates nothing (a cold start pays for it otherwise). test/unit/triage.test.ts checks
 * that they are what `{}` parses to.
 */
export const defaultTriageRules: TriageRules = {
  categories: defaultCategories,
  fallbackCategory: FALLBACK_CATEGORY,
  minCategoryScore: MIN_CATEGORY_SCORE,
  defaultPriority: DEFAULT_PRIORITY,
  signals: defaultSignals.map((signal) => ({
    ...signal,
    sameSentence: signal.sameSentence ?? [],
    unlessSameSentence: signal.unlessSameSentence ?? [],
    unlessInMail: signal.unlessInMail ?? [],
  })),
  vip: { addresses: [], domains: [], raiseBy: VIP_RAISE_BY },
};

export type CategoryRuleInput = z.input<typeof categoryRuleSchema>;
export type SignalRuleInput = z.input<typeof signalRuleSchema>;
