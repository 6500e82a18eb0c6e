/**
 * Missing information: the details a category needs that the requester has not given yet, each
 * with the question we would ask. No I/O.
 *
 * A detail counts as given when any of its `present` patterns occurs in any text (subject,
 * visible text, later replies). Detectors are deliberately generous: asking people for what they
 * already wrote costs more goodwill than a technician's follow-up question. `onlyIf`/`unless`
 * say when a detail is worth asking for at all (no Wi-Fi question for a VPN problem).
 * Patterns follow the triage rules' conventions (case-insensitive, whole words).
 */
import { z } from 'zod';
import { checkPatterns, matchesOf, normaliseText } from './patterns.js';

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

// A product name or a hostname: what people write when they name the thing that is broken.
const HOSTNAME = '[a-z0-9-]+(\\.[a-z0-9-]+)*\\.(example|com|net|org|local|corp|io|nl|de|se|jp)';
const EMAIL_ADDRESS = '[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}';
const APPLICATIONS =
  'excel|word|powerpoint|outlook|teams|onedrive|sharepoint|visio|project|zoom|webex|slack|sap|salesforce|jira|confluence|adobe|acrobat|photoshop|chrome|firefox|edge|safari|docker|vs ?code|visual studio|git(hub|lab)?|citrix|globalprotect|anyconnect|windows update|intune|company portal';

const defaultDetails: z.input<typeof detailRuleSchema>[] = [
  {
    id: 'description',
    ask: 'a few sentences about what happens, since when, and what you were doing when it started',
    minWords: 6,
  },
  {
    id: 'asset',
    ask: 'the asset tag (the sticker on the underside, like NW-LT-0217) or the make and model of the device',
    present: [
      'NW-([A-Z]{2}-)?\\d{3,6}',
      'asset( tag| number| no\\.?)?',
      'serial( number| no\\.?)?|s/n',
      'model|make and model',
      'dell|hp|lenovo|thinkpad|latitude|elitebook|surface|macbook|imac|ipad|iphone|samsung|logitech|jabra|poly|plantronics|eizo|brother|ricoh|canon|epson',
      '[a-z]{1,4}-?\\d{2,5}[a-z]{0,4}\\d*', // a model number such as WD22TB4, P2422H, X1
      'purchase order|PO-?\\d+',
      '(meeting )?room [a-z0-9]|boardroom|booking (display|panel)', // a room's screen or panel is identified by the room
    ],
  },
  {
    id: 'location',
    ask: 'where you are: the office and floor (for example Amsterdam, 2nd floor), or home',
    present: [
      'office|floor|building|room|desk|reception|warehouse|site|branch|canteen|kitchen|lobby',
      'home|remote(ly)?|hotel|travel(l)?ing|on the road',
      'amsterdam|rotterdam|hamburg|stockholm|tokyo|london|berlin|paris',
      '\\d+(st|nd|rd|th) floor|ground floor',
    ],
    // A VPN gateway is the same from everywhere: where the user sits does not change the fix.
    unless: ['vpn|globalprotect|anyconnect|remote access'],
  },
  {
    id: 'connection',
    ask: 'whether you are on Wi-Fi (which network name) or plugged in with a cable',
    present: [
      'wi-?fi|wlan|wireless|ssid|hotspot|tether(ing)?|mobile data|4g|5g',
      'wired|cable|ethernet|lan|dock(ing station)?|network port|plugged in',
      'guest network|eduroam|NW-Corp|NW-Guest',
    ],
    // The way in matters for one person's local network only: over the VPN it is the tunnel
    // that fails, and when many people or a server are down, one person's cable changes nothing.
    unless: ['vpn|globalprotect|anyconnect|remote access', 'everyone|everybody|nobody|no one|whole (floor|office|building)|all of us|servers?'],
  },
  {
    id: 'system',
    ask: 'which system or service it is about, for example the expense system, a shared drive or SharePoint site',
    present: [
      HOSTNAME,
      'https?://\\S+',
      '\\\\\\\\[a-z0-9.-]+\\\\', // a share path: \\fs01\...
      APPLICATIONS,
      '(system|portal|share|shared (drive|folder|mailbox)|drive|folder|site|server|database|channel|mailbox|calendar|application|app|tool|vpn|wi-?fi)',
      'password|mfa|2fa|authenticator|temporary access pass', // the main Northwind sign-in itself
      'badge|building|(meeting )?room [a-z0-9]|resource',
      'システム|アカウント|パスワード|ログイン',
    ],
  },
  {
    id: 'account',
    ask: 'whose account it is: the person’s full name or email address',
    present: [
      EMAIL_ADDRESS,
      "(my|our|his|her|their) ([\\w.-]+ ){0,2}(account|accounts|login|log-?in|password|mfa|user ?name|user id|badge|sign-?in|access|mailbox)",
      "I('m| am)?[^.!?\\n]{0,30}(log|sign)(ged)?[- ]?(in|on)|I('m| am) locked out",
      'for (me|him|her|them)|(give|grant|add) me',
      "I('d| would)?[^.!?\\n]{0,15}(need|want|like|require|request)[^.!?\\n]{0,20}access",
      'user ?name|user id|employee (id|number)|badge (no|number)|account (name|is)',
      'new (starter|joiner|colleague|hire) [a-z]+',
      'アカウント|パスワード|ログイン', // Japanese drops the "my": a login problem is the sender's own
    ],
  },
  {
    id: 'application',
    ask: 'which application it is (for example Excel, Teams or the expense system) and its version if you know it',
    present: [APPLICATIONS, '(the|my|our) [\\w-]+ (app|application|program|software|client|tool|agent|plugin|add-in)', '\\w+\\.exe', 'licen[cs]e for'],
  },
  {
    id: 'error',
    ask: 'the exact error message, word for word, or a screenshot of it',
    present: [
      '"[^"\\n]{6,}"', // a quoted message
      '(error|code|exception)[ :#]*[a-z]?[0-9x][0-9a-fx-]{2,}',
      '0x[0-9a-f]{4,}',
      'screenshot|screen shot|attached|see below|photo',
      'no (error|message)|without (an|any) (error|message)|nothing happens|doesn\'t say anything',
    ],
    // Only a failure has an error to quote; a request for a licence or an install has none.
    onlyIf: [
      "error|fail(s|ed|ing|ure)?|crash(es|ed|ing)?|freez(e|es|ing)|hangs?|broken|stopped|not working|doesn't work|won't|can't|cannot|don't get|no longer|anymore|greyed|problem|issue|slow",
    ],
    unless: ['licen[cs]e|subscription|(please|could you|can you) install'],
  },
  {
    id: 'printer',
    ask: 'which printer: the name on its label (like PRN-AMS-2F-03) or where it stands',
    present: [
      'PRN-[a-z0-9-]+',
      'printers? (on|in|at|next to|near|by)',
      '(all|any|every)( of)? (the )?printers',
      'floor|room|office|kitchen|reception|amsterdam|rotterdam|hamburg|stockholm|tokyo',
      'hp|ricoh|canon|brother|kyocera|xerox|konica|lexmark|epson',
    ],
  },
];

export const missingInfoRulesSchema = z
  .object({
    details: z.array(detailRuleSchema).min(1).prefault(defaultDetails),
    /** Details each category needs, in the order we ask. */
    categories: z.record(z.string().min(1), detailIds).prefault({
      hardware: ['asset'],
      network: ['location', 'connection'],
      access: ['system', 'account'],
      software: ['application', 'error'],
      printing: ['printer'],
    }),
    /** Details every category needs, asked after the category's own. */
    everyCategory: detailIds.prefault(['description']),
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

/** The built-in rules (what `{}` parses to). */
export const defaultMissingInfoRules: MissingInfoRules = missingInfoRulesSchema.parse({});

export interface MissingDetail {
  id: string;
  ask: string;
}

type DetailRule = MissingInfoRules['details'][number];

/** Details the category requires that none of `texts` supplies, in rule order. With texts=[] returns every detail of the category (the pipeline uses that to look up asks by id). */
export function missingDetails(category: string, texts: string[], rules: MissingInfoRules): MissingDetail[] {
  const required = requiredDetails(category, rules);
  if (!texts.length) return required.map(toMissing);
  const text = normaliseText(texts.join('\n'));
  return required.filter((d) => isRelevant(d, text) && !isGiven(d, text)).map(toMissing);
}

/** Of `missingIds`, the ones `newText` still does not supply. */
export function stillMissing(missingIds: string[], newText: string, category: string, rules: MissingInfoRules): MissingDetail[] {
  const text = normaliseText(newText);
  // Ids the category no longer lists (the config changed) are still looked up: we asked for them.
  const wanted = new Map<string, DetailRule>();
  for (const d of [...requiredDetails(category, rules), ...rules.details]) {
    if (missingIds.includes(d.id) && !wanted.has(d.id)) wanted.set(d.id, d);
  }
  return [...wanted.values()].filter((d) => !isGiven(d, text)).map(toMissing);
}

function requiredDetails(category: string, rules: MissingInfoRules): DetailRule[] {
  const ids = [...(rules.categories[category] ?? []), ...rules.everyCategory];
  const unique = ids.filter((id, i) => ids.indexOf(id) === i);
  return unique.flatMap((id) => rules.details.filter((d) => d.id === id));
}

function isRelevant(detail: DetailRule, text: string): boolean {
  if (detail.unless.some((p) => matchesOf(p, text).length > 0)) return false;
  return !detail.onlyIf.length || detail.onlyIf.some((p) => matchesOf(p, text).length > 0);
}

function isGiven(detail: DetailRule, text: string): boolean {
  if (detail.minWords !== undefined && approximateWordCount(text) >= detail.minWords) return true;
  return detail.present.some((p) => matchesOf(p, text).length > 0);
}

function approximateWordCount(text: string): number {
  // CJK text has no spaces: count its characters in twos, roughly a word each.
  const spaced = text.match(/[\p{Script=Latin}\p{N}]+/gu)?.length ?? 0;
  const unspaced = text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu)?.length ?? 0;
  return spaced + Math.floor(unspaced / 2);
}

function toMissing(detail: DetailRule): MissingDetail {
  return { id: detail.id, ask: detail.ask };
}
