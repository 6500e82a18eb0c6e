/** The missing-information rules' config schema: the details, and which categories need them. No I/O. */
import * as z from 'zod';
import { checkPatterns } from '../patterns.js';
import { defaultCategoryDetails, defaultDetails, defaultEveryCategory } from './default-rules.js';

const detailRuleSchema = z
  .object({
    /** Short and stable: the ticket stores these ids. */
    id: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'expected a short lower-case id such as asset'),
    /** Completes "Could you tell us …": plain words, friendly, with an example where it helps. */
    ask: z.string().trim().min(10).max(240),
    /** The detail is given when one of these occurs. */
    present: z.array(z.string().min(1)).default([]),
    /** Given when the texts hold at least this many words (for "a description"). */
    minWords: z.number().int().min(1).optional(),
    /** Ask only when one of these occurs (empty: always relevant). */
    onlyIf: z.array(z.string().min(1)).default([]),
    /** Never ask when one of these occurs. */
    unless: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const name = `detail "${rule.id}"`;
    checkPatterns(ctx, name, rule.present, ['present']);
    checkPatterns(ctx, name, rule.onlyIf, ['onlyIf']);
    checkPatterns(ctx, name, rule.unless, ['unless']);
    if (!rule.present.length && rule.minWords === undefined) {
      ctx.addIssue({ code: 'custom', path: ['present'], message: `${name}: needs "present" patterns or "minWords", or it can never be given` });
    }
  });

const detailIds = z.array(z.string().min(1));

export const missingInfoRulesSchema = z
  .object({
    details: z.array(detailRuleSchema).min(1).prefault(defaultDetails),
    /** Details each category needs, in the order we ask. */
    categories: z.record(z.string().min(1), detailIds).prefault(defaultCategoryDetails),
    /** Details every category needs, asked after the category's own. */
    everyCategory: detailIds.prefault(defaultEveryCategory),
  })
  .strict()
  .superRefine((rules, ctx) => {
    const known = new Set(rules.details.map((d) => d.id));
    rules.details.forEach((d, i) => {
      if (rules.details.findIndex((other) => other.id === d.id) !== i) {
        ctx.addIssue({ code: 'custom', path: ['details', i, 'id'], message: `detail "${d.id}" is defined twice` });
      }
    });
    for (const [category, ids] of Object.entries(rules.categories)) {
      ids.forEach((id, i) => {
        if (!known.has(id)) ctx.addIssue({ code: 'custom', path: ['categories', category, i], message: `category "${category}" needs detail "${id}", which is not defined` });
      });
    }
    rules.everyCategory.forEach((id, i) => {
      if (!known.has(id)) ctx.addIssue({ code: 'custom', path: ['everyCategory', i], message: `everyCategory needs detail "${id}", which is not defined` });
    });
  });

export type MissingInfoRules = z.infer<typeof missingInfoRulesSchema>;

/**
 * The built-in rules: what `{}` parses to, written out rather than parsed, so importing this
 * module validates nothing (a cold start pays for it otherwise). test/unit/missing-info.test.ts
 * checks that they are what `{}` parses to.
 */
export const defaultMissingInfoRules: MissingInfoRules = {
  details: defaultDetails.map((detail) => ({ ...detail, present: detail.present ?? [], onlyIf: detail.onlyIf ?? [], unless: detail.unless ?? [] })),
  categories: defaultCategoryDetails,
  everyCategory: defaultEveryCategory,
};

export type DetailRuleInput = z.input<typeof detailRuleSchema>;
