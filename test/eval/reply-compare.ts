// Compares extractVisibleText with the expectations of the public reply-parsing corpora in
// ../shared/corpora/ (see each set's MANIFEST.md and expected.json). Shared by the eval script
// (test/eval/reply-corpora.ts) and the regression test (test/unit/visible-text-corpora.test.ts).
//
// Those libraries split a mail into fragments; we return one visible text. What compares fairly:
// - exact visible-text expectations (visible_text, reply, derived_visible_text, discourse's trimmed/ files),
//   after normalising CRLF, trailing whitespace and surrounding blank lines;
// - reply_contains / reply_not_contains;
// - fragment 0's value when fragment 0 is the visible reply: exact when the other fragments are
//   hidden (or, without flags, when there are at most 3 fragments: reply, signature, quote), a prefix
//   otherwise; regex and substring checks as the set's semantics say;
// - timing tests (must finish in under a second).
// Skipped, and counted: fragment counts, per-fragment flags, other fragments' values, quoted-text
// checks, and discourse's elided/embedded/before files.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { extractVisibleText } from '../../src/mail/visible-text.js';

export const REPLY_SETS = [
  'reply-discourse-email_reply_trimmer',
  'reply-willdurand-EmailReplyParser',
  'reply-crisp-email-reply-parser',
  'reply-github-email_reply_parser',
  'reply-zapier-email-reply-parser',
] as const;
export type ReplySet = (typeof REPLY_SETS)[number];

export type Extract = (body: string) => string;
export const extractText: Extract = (body) => extractVisibleText(body).text;

const TIME_LIMIT_MS = 1000;

export interface CaseResult {
  /** File name, with the variant for templated fixtures: "email_with_date_headers.txt[3]". */
  name: string;
  passed: boolean;
  /** Why it failed, one entry per failed assertion. */
  failures: string[];
}

export interface SetResult {
  set: ReplySet;
  cases: CaseResult[];
  compared: number;
  passed: number;
  /** Assertions that only make sense for a fragment model (counts, flags, other fragments). */
  skipped: number;
}

export function corporaDir(): string {
  return process.env.CORPORA_DIR ?? fileURLToPath(new URL('../../../shared/corpora/', import.meta.url));
}

export function corporaExist(dir = corporaDir()): boolean {
  return existsSync(dir) && REPLY_SETS.some((set) => existsSync(join(dir, set, 'expected.json')));
}

export function accuracy(result: { compared: number; passed: number }): number {
  return result.compared === 0 ? 0 : (100 * result.passed) / result.compared;
}

/** CRLF to LF, no trailing whitespace on lines, no surrounding blank lines. */
export function normaliseText(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

export function evaluateSet(dir: string, set: ReplySet, extract: Extract = extractText): SetResult {
  const setDir = join(dir, set);
  const expected = JSON.parse(readFileSync(join(setDir, 'expected.json'), 'utf8')) as ExpectedFile;
  const evaluated = set === 'reply-discourse-email_reply_trimmer'
    ? evaluateDiscourse(setDir, expected, extract)
    : evaluateFragmentSet(setDir, set, expected, extract);
  const passed = evaluated.cases.filter((c) => c.passed).length;
  return { set, cases: evaluated.cases, compared: evaluated.cases.length, passed, skipped: evaluated.skipped };
}

export function evaluateAll(dir = corporaDir(), extract: Extract = extractText): SetResult[] {
  return REPLY_SETS.filter((set) => existsSync(join(dir, set, 'expected.json'))).map((set) =>
    evaluateSet(dir, set, extract),
  );
}

export function formatReport(results: SetResult[], failuresPerSet = 5): string {
  const header = ['set', 'compared', 'passed', 'accuracy', 'skipped'];
  const rows = results.map((r) => [r.set, `${r.compared}`, `${r.passed}`, `${accuracy(r).toFixed(1)}%`, `${r.skipped}`]);
  const total = results.reduce(
    (sum, r) => ({ compared: sum.compared + r.compared, passed: sum.passed + r.passed, skipped: sum.skipped + r.skipped }),
    { compared: 0, passed: 0, skipped: 0 },
  );
  rows.push(['overall', `${total.compared}`, `${total.passed}`, `${accuracy(total).toFixed(1)}%`, `${total.skipped}`]);
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => row[col]!.length)));
  const format = (row: string[]) =>
    row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const table = [format(header), rule, ...rows.slice(0, -1).map(format), rule, format(rows[rows.length - 1]!)];

  const failing = results.flatMap((r) => {
    const failed = r.cases.filter((c) => !c.passed);
    if (failed.length === 0) return [];
    const shown = failed.slice(0, failuresPerSet).map((c) => `  ${c.name}: ${c.failures[0] ?? 'failed'}`);
    const more = failed.length > failuresPerSet ? [`  … and ${failed.length - failuresPerSet} more`] : [];
    return [`${r.set} — failing:`, ...shown, ...more];
  });
  return [...table, ...(failing.length > 0 ? ['', ...failing] : [])].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Expectation files

interface FragmentExpectation {
  index: number;
  equals?: string;
  equals_trimmed?: string;
  matches?: string;
  matches_trimmed_multiline?: string;
  contains?: string;
  not_contains?: string;
}

interface FixtureExpectation {
  tests?: string[];
  visible_text?: string;
  visible_text_trimmed?: string;
  derived_visible_text?: string;
  reply?: string;
  reply_stripped?: string;
  reply_contains?: string[];
  reply_not_contains?: string[];
  fragments?: FragmentExpectation[];
  fragment_count?: number;
  fragment_count_min?: number;
  quoted?: (boolean | null)[];
  signature?: (boolean | null)[];
  hidden?: (boolean | null)[];
  any_signature?: boolean;
  quoted_text_contains?: string[];
  performance?: string;
  template?: string;
  template_values?: string[];
  fragment1_content_template?: string;
  // discourse
  input?: string;
  expected_trimmed_file?: string;
  expected_elided_file?: string;
  expected_embedded_file?: string;
  expected_before_file?: string;
}

interface ExpectedFile {
  fixtures: Record<string, FixtureExpectation>;
}

/** One check against our visible text; returns a failure message or undefined. */
type Check = (text: string, elapsedMs: number) => string | undefined;

// ---------------------------------------------------------------------------------------------
// github / zapier / willdurand / crisp: fragment-model expectations

/** How each set's regexes behave: Ruby's ^ is a line start, Python's re.match anchors at the start. */
function regexFor(set: ReplySet, source: string, multiline = false): RegExp {
  if (set === 'reply-zapier-email-reply-parser') return new RegExp(`^(?:${source})`);
  return new RegExp(source, set === 'reply-github-email_reply_parser' || multiline ? 'm' : '');
}

function evaluateFragmentSet(setDir: string, set: ReplySet, expected: ExpectedFile, extract: Extract) {
  const cases: CaseResult[] = [];
  let skipped = 0;
  for (const [file, fixture] of Object.entries(expected.fixtures)) {
    const path = join(setDir, 'emails', file);
    if (!existsSync(path)) continue;
    const { checks, skipped: skippedHere } = checksFor(set, fixture);
    skipped += skippedHere;
    if (checks.length === 0) continue;

    const body = readFileSync(path, 'utf8');
    const templated = fixture.template?.includes('[DATE]') && fixture.template_values && fixture.visible_text !== undefined;
    const variants = templated
      ? fixture.template_values!.map((value, i) => ({ name: `${file}[${i}]`, body: body.replaceAll('[DATE]', value) }))
      : [{ name: file, body }];
    for (const variant of variants) cases.push(runChecks(variant.name, variant.body, checks, extract));
  }
  return { cases, skipped };
}

function checksFor(set: ReplySet, fixture: FixtureExpectation): { checks: Check[]; skipped: number } {
  const checks: Check[] = [];
  let skipped = 0;

  for (const key of ['visible_text', 'visible_text_trimmed', 'derived_visible_text', 'reply', 'reply_stripped'] as const) {
    const value = fixture[key];
    if (value !== undefined) checks.push(exactCheck(key, value));
  }
  for (const needle of fixture.reply_contains ?? []) checks.push(containsCheck('reply_contains', needle, true));
  for (const needle of fixture.reply_not_contains ?? []) checks.push(containsCheck('reply_not_contains', needle, false));
  if (fixture.performance !== undefined) checks.push(timingCheck());

  const firstIsVisible = fixture.quoted?.[0] !== true && fixture.hidden?.[0] !== true;
  const firstIsWholeReply = firstFragmentIsWholeReply(fixture);
  for (const fragment of fixture.fragments ?? []) {
    const assertions = fragmentChecks(set, fragment, firstIsWholeReply);
    if (fragment.index !== 0 || !firstIsVisible) skipped += assertions.length;
    else checks.push(...assertions);
  }

  const fragmentModelOnly = [
    fixture.fragment_count,
    fixture.fragment_count_min,
    fixture.quoted,
    fixture.signature,
    fixture.hidden,
    fixture.any_signature,
    fixture.quoted_text_contains,
    fixture.fragment1_content_template,
  ];
  skipped += fragmentModelOnly.filter((value) => value !== undefined).length;
  return { checks, skipped };
}

/** Whether fragment 0 is all of the visible text (so an exact fragment value is an exact reply). */
function firstFragmentIsWholeReply(fixture: FixtureExpectation): boolean {
  if (fixture.hidden && fixture.hidden.length > 1) return fixture.hidden.slice(1).every((hidden) => hidden === true);
  return (fixture.fragment_count ?? fixture.fragment_count_min ?? 0) <= 3;
}

function fragmentChecks(set: ReplySet, fragment: FragmentExpectation, wholeReply: boolean): Check[] {
  const checks: Check[] = [];
  const exact = fragment.equals ?? fragment.equals_trimmed;
  if (exact !== undefined) {
    checks.push(wholeReply ? exactCheck('fragment[0]', exact) : prefixCheck('fragment[0] (prefix)', exact));
  }
  if (fragment.matches !== undefined) checks.push(regexCheck('fragment[0] matches', regexFor(set, fragment.matches)));
  if (fragment.matches_trimmed_multiline !== undefined) {
    checks.push(regexCheck('fragment[0] matches', regexFor(set, fragment.matches_trimmed_multiline, true)));
  }
  if (fragment.contains !== undefined) checks.push(containsCheck('fragment[0] contains', fragment.contains, true));
  if (fragment.not_contains !== undefined) {
    checks.push(containsCheck('fragment[0] not_contains', fragment.not_contains, false));
  }
  return checks;
}

function exactCheck(what: string, expected: string): Check {
  const want = normaliseText(expected);
  return (text) => (normaliseText(text) === want ? undefined : `${what} differs: got ${preview(text)}`);
}

function prefixCheck(what: string, expected: string): Check {
  const want = normaliseText(expected);
  return (text) => (normaliseText(text).startsWith(want) ? undefined : `${what} differs: got ${preview(text)}`);
}

function regexCheck(what: string, pattern: RegExp): Check {
  return (text) => (pattern.test(normaliseText(text)) ? undefined : `${what} /${pattern.source}/ failed: got ${preview(text)}`);
}

function containsCheck(what: string, needle: string, wanted: boolean): Check {
  return (text) =>
    text.includes(needle) === wanted ? undefined : `${what} ${JSON.stringify(needle)} failed: got ${preview(text)}`;
}

function timingCheck(): Check {
  return (_text, elapsedMs) =>
    elapsedMs < TIME_LIMIT_MS ? undefined : `took ${elapsedMs.toFixed(0)} ms (limit ${TIME_LIMIT_MS} ms)`;
}

function runChecks(name: string, body: string, checks: Check[], extract: Extract): CaseResult {
  const started = performance.now();
  const text = extract(body);
  const elapsedMs = performance.now() - started;
  const failures = checks.map((check) => check(text, elapsedMs)).filter((f): f is string => f !== undefined);
  return { name, passed: failures.length === 0, failures };
}

function preview(text: string): string {
  const flat = normaliseText(text).replace(/\n/g, '⏎');
  return JSON.stringify(flat.length > 90 ? `${flat.slice(0, 89)}…` : flat);
}

// ---------------------------------------------------------------------------------------------
// discourse: every input has an exact trimmed/ file

function evaluateDiscourse(setDir: string, expected: ExpectedFile, extract: Extract) {
  const cases: CaseResult[] = [];
  let skipped = 0;
  for (const [file, fixture] of Object.entries(expected.fixtures)) {
    const input = join(setDir, fixture.input ?? join('emails', file));
    const trimmed = fixture.expected_trimmed_file ? join(setDir, fixture.expected_trimmed_file) : undefined;
    skipped += [fixture.expected_elided_file, fixture.expected_embedded_file, fixture.expected_before_file].filter(
      (f) => f !== undefined,
    ).length;
    if (!existsSync(input) || !trimmed || !existsSync(trimmed)) continue;
    const body = readFileSync(input, 'utf8');
    cases.push(runChecks(file, body, [exactCheck('trimmed', readFileSync(trimmed, 'utf8'))], extract));
  }
  // The timing-only input (must not hang).
  const matchers = join(setDir, 'matchers');
  if (existsSync(matchers)) {
    for (const file of readdirSync(matchers)) {
      cases.push(runChecks(`matchers/${file} (timing)`, readFileSync(join(matchers, file), 'utf8'), [timingCheck()], extract));
    }
  }
  return { cases, skipped };
}
