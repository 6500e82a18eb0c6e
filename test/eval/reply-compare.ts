// Compares extractVisibleText with the expectations of public reply-parsing corpora: five in
// ../shared/corpora/ (see each set's MANIFEST.md and expected.json) and two copied from npm
// packages into test/eval/corpora/ (see each folder's README.md). Shared by the eval script
// (test/eval/reply-corpora.ts) and the regression test (test/unit/visible-text-corpora.test.ts).
//
// Each set is marked tuned, held out or split (REPLY_SETS): the rules were designed looking at
// the failures of tuned sets and parts; held-out ones are only measured, so their figure says how
// the rules do on replies nobody tuned them for. A split set's odd-numbered cases are tuned on,
// its even-numbered ones held out (a rule fixed before any case's result was looked at). Failures of
// a held-out set or part used to design a rule make it a tuned one: change its mark in the same
// commit.
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

/** How a set states what it expects, which decides how it is read. */
type SetFormat = 'discourse' | 'fragments' | 'pairs';

/** 'tuned': its failures shaped the rules; 'held-out': measured only, never used to design a rule. */
export type Use = 'tuned' | 'held-out';

export interface ReplySetInfo {
  /** 'split': the odd-numbered cases ("01-…", "03-…") tuned, the even-numbered held out. */
  use: Use | 'split';
  /** 'shared': ../shared/corpora/ (may be absent); 'project': test/eval/corpora/, always there. */
  home: 'shared' | 'project';
  format: SetFormat;
}

export const REPLY_SETS = {
  'reply-discourse-email_reply_trimmer': { use: 'tuned', home: 'shared', format: 'discourse' },
  'reply-willdurand-EmailReplyParser': { use: 'tuned', home: 'shared', format: 'fragments' },
  'reply-crisp-email-reply-parser': { use: 'tuned', home: 'shared', format: 'fragments' },
  'reply-github-email_reply_parser': { use: 'tuned', home: 'shared', format: 'fragments' },
  'reply-zapier-email-reply-parser': { use: 'tuned', home: 'shared', format: 'fragments' },
  // planer@1.2.0's text tests (ported from mailgun/talon), one file per expectation.
  'reply-npm-planer': { use: 'split', home: 'project', format: 'fragments' },
  // parse-reply@0.0.4's input/output pairs.
  'reply-npm-parse-reply': { use: 'held-out', home: 'project', format: 'pairs' },
  // mail-stripper@0.2.1's tests, as input/output pairs (derive.cjs).
  'reply-npm-mail-stripper': { use: 'held-out', home: 'project', format: 'pairs' },
  // Written blind by hand for this project (2026-12-06): odd cases tuned on, even held out.
  'reply-blind': { use: 'split', home: 'project', format: 'pairs' },
  // A second set written blind (2026-12-06), split the same way.
  'reply-blind-2': { use: 'split', home: 'project', format: 'pairs' },
  // A third, of everyday desk replies and harder shapes, split the same way.
  'reply-blind-3': { use: 'split', home: 'project', format: 'pairs' },
  // A fourth, of the company's own languages (DA, NO, FI, PL and IT too), split the same way.
  'reply-blind-4': { use: 'split', home: 'project', format: 'pairs' },
  // A fifth, of a global desk's clients and languages (PT, CS, HU, TR, RU, UK, JA, ZH, KO too), split the same way.
  'reply-blind-5': { use: 'split', home: 'project', format: 'pairs' },
  // A sixth, of everyday European desk replies in varied shapes, split the same way.
  'reply-blind-6': { use: 'split', home: 'project', format: 'pairs' },
  // A seventh, of the shapes reply parsers most often get wrong (deep threads, odd sign-offs and headers), split the same way.
  'reply-blind-7': { use: 'split', home: 'project', format: 'pairs' },
} as const satisfies Record<string, ReplySetInfo>;
export type ReplySet = keyof typeof REPLY_SETS;
const SET_NAMES = Object.keys(REPLY_SETS) as ReplySet[];

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
  /** Which cases: 'all', or for a split set's parts 'odd-numbered' and 'even-numbered'. */
  part: 'all' | 'odd-numbered' | 'even-numbered';
  /** 'split' only for a split set's whole result; its parts are tuned and held out. */
  use: Use | 'split';
  cases: CaseResult[];
  compared: number;
  passed: number;
  /** Assertions that only make sense for a fragment model (counts, flags, other fragments). */
  skipped: number;
}

/** The shared corpora: ../shared/corpora/ beside the project, or CORPORA_DIR. */
export function corporaDir(): string {
  return process.env.CORPORA_DIR ?? fileURLToPath(new URL('../../../shared/corpora/', import.meta.url));
}

/** The sets copied into the project from npm packages. */
export const PROJECT_CORPORA_DIR = fileURLToPath(new URL('./corpora/', import.meta.url));

/** Whether the shared reply sets are there (the project's own always are). */
export function corporaExist(dir = corporaDir()): boolean {
  return existsSync(dir) && SET_NAMES.some((set) => REPLY_SETS[set].home === 'shared' && setExists(dir, set));
}

function setDir(sharedDir: string, set: ReplySet): string {
  return join(REPLY_SETS[set].home === 'shared' ? sharedDir : PROJECT_CORPORA_DIR, set);
}

function setExists(sharedDir: string, set: ReplySet): boolean {
  const dir = setDir(sharedDir, set);
  return existsSync(join(dir, REPLY_SETS[set].format === 'pairs' ? 'files' : 'expected.json'));
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

/** One set; `dir` is the shared corpora folder (the project's own sets are found without it). */
export function evaluateSet(dir: string, set: ReplySet, extract: Extract = extractText): SetResult {
  const here = setDir(dir, set);
  const evaluated = evaluateFormat(here, set, extract);
  return result(set, 'all', REPLY_SETS[set].use, evaluated.cases, evaluated.skipped);
}

function result(set: ReplySet, part: SetResult['part'], use: SetResult['use'], cases: CaseResult[], skipped: number): SetResult {
  const passed = cases.filter((c) => c.passed).length;
  return { set, part, use, cases, compared: cases.length, passed, skipped };
}

function evaluateFormat(here: string, set: ReplySet, extract: Extract): { cases: CaseResult[]; skipped: number } {
  const format = REPLY_SETS[set].format;
  if (format === 'pairs') return evaluatePairs(here, extract);
  const expected = JSON.parse(readFileSync(join(here, 'expected.json'), 'utf8')) as ExpectedFile;
  return format === 'discourse'
    ? evaluateDiscourse(here, expected, extract)
    : evaluateFragmentSet(here, set, expected, extract);
}

/** A split set as its tuned (odd-numbered) and held-out (even-numbered) parts; other sets as they are. */
export function byUse(whole: SetResult): SetResult[] {
  if (whole.use !== 'split') return [whole];
  // Skipped assertions are counted per set, not per case: a split set must have none.
  if (whole.skipped > 0) throw new Error(`${whole.set}: a split set cannot have skipped assertions (${whole.skipped})`);
  const odd = (c: CaseResult) => Number.parseInt(c.name, 10) % 2 === 1;
  return [
    result(whole.set, 'odd-numbered', 'tuned', whole.cases.filter(odd), 0),
    result(whole.set, 'even-numbered', 'held-out', whole.cases.filter((c) => !odd(c)), 0),
  ];
}

/** Every set that is there (the shared ones when ../shared/corpora/ is, the project's always), split sets in their parts. */
export function evaluateAll(dir = corporaDir(), extract: Extract = extractText): SetResult[] {
  return SET_NAMES.filter((set) => setExists(dir, set)).flatMap((set) => byUse(evaluateSet(dir, set, extract)));
}

export function formatReport(results: SetResult[], failuresPerSet = 5): string {
  const header = ['set', 'use', 'compared', 'passed', 'accuracy', 'skipped'];
  const row = (name: string, use: string, r: { compared: number; passed: number; skipped: number }) => [
    name,
    use,
    `${r.compared}`,
    `${r.passed}`,
    `${accuracy(r).toFixed(1)}%`,
    `${r.skipped}`,
  ];
  const sum = (rs: SetResult[]) =>
    rs.reduce(
      (total, r) => ({ compared: total.compared + r.compared, passed: total.passed + r.passed, skipped: total.skipped + r.skipped }),
      { compared: 0, passed: 0, skipped: 0 },
    );
  const useOf = (r: SetResult) => (r.use === 'held-out' ? 'held out' : r.use);
  const nameOf = (r: SetResult) => (r.part === 'all' ? r.set : `${r.set} (${r.part})`);
  const tuned = results.filter((r) => r.use === 'tuned');
  const heldOut = results.filter((r) => r.use === 'held-out');
  const rows = results.map((r) => row(nameOf(r), useOf(r), r));
  const totals = [
    ...(tuned.length > 0 ? [row(`tuned on (${plural(tuned.length, 'set or part', 'sets or parts')})`, 'tuned', sum(tuned))] : []),
    ...(heldOut.length > 0 ? [row(`held out (${plural(heldOut.length, 'set or part', 'sets or parts')})`, 'held out', sum(heldOut))] : []),
    row('overall', '', sum(results)),
  ];
  const all = [header, ...rows, ...totals];
  const widths = header.map((_, col) => Math.max(...all.map((cells) => cells[col]!.length)));
  const format = (cells: string[]) =>
    cells.map((cell, col) => (col <= 1 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const table = [format(header), rule, ...rows.map(format), rule, ...totals.map(format)];

  // A held-out set's failures are counted, not shown: what nobody sees, nobody tunes a rule on.
  const failing = results.flatMap((r) => {
    const failed = r.cases.filter((c) => !c.passed);
    if (failed.length === 0) return [];
    if (r.use === 'held-out') return [`${nameOf(r)}, held out — ${plural(failed.length, 'case', 'cases')} failing (not shown)`];
    const shown = failed.slice(0, failuresPerSet).map((c) => `  ${c.name}: ${c.failures[0] ?? 'failed'}`);
    const more = failed.length > failuresPerSet ? [`  … and ${failed.length - failuresPerSet} more`] : [];
    return [`${nameOf(r)}, ${useOf(r)} — failing:`, ...shown, ...more];
  });
  return [...table, ...(failing.length > 0 ? ['', ...failing] : [])].join('\n');
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
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
  /** planer: the name of the upstream test the case comes from. */
  test?: string;
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

// ---------------------------------------------------------------------------------------------
// parse-reply: files/NAME.input.txt and its exact files/NAME.output.txt (compared trimmed upstream)

function evaluatePairs(setDir: string, extract: Extract) {
  const files = join(setDir, 'files');
  const cases = readdirSync(files)
    .filter((file) => file.endsWith('.input.txt'))
    .sort()
    .flatMap((file) => {
      const output = join(files, file.replace(/\.input\.txt$/, '.output.txt'));
      if (!existsSync(output)) return [];
      const body = readFileSync(join(files, file), 'utf8');
      return [runChecks(file, body, [exactCheck('output', readFileSync(output, 'utf8'))], extract)];
    });
  return { cases, skipped: 0 };
}
