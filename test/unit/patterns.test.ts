/**
 * Rule patterns compiled once (src/domain/patterns.ts) and the keywords read from them
 * (src/domain/patterns/required-text.ts): every shortcut answers exactly what trying each pattern
 * on its own answers, on the built-in rules and on patterns chosen to break them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromEveryLanguage } from '../../src/domain/languages/language.js';
import { defaultMissingInfoRules } from '../../src/domain/missing-info.js';
import { firstMatchOf, matchesOf, PatternSet, patternSet } from '../../src/domain/patterns.js';
import { keywordCheck, requiredText } from '../../src/domain/patterns/required-text.js';
import { defaultTriageRules } from '../../src/domain/triage.js';
import { expandToday } from '../../src/domain/triage/today.js';

/** Every line of every fixture file as it lies on disk: headers, bodies, several languages. */
function fixtureLines(): string[] {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : name.endsWith('.eml') ? [path] : [];
    });
  const lines = files(fileURLToPath(new URL('../../fixtures/', import.meta.url))).flatMap((file) => readFileSync(file, 'utf8').split(/\r?\n/));
  return [...new Set(lines)].filter((line) => line.length < 2000);
}

const lines = fixtureLines();
const texts = [
  ...lines,
  'Out of office: URGENT, the whole floor is down',
  'ſent from my phone; the ＫＥＹ is in room 2.14', // letters that fold to ASCII under i and u
  'I clicked on a link and entered my password 😀 emoji',
  'Call me at 10:30 today, we have a meeting at 11 tomorrow',
  'ログインできません。至急お願いします。',
  '',
];

const rulePatterns = [
  ...defaultTriageRules.categories.flatMap((c) => Object.keys(c.keywords)),
  ...defaultTriageRules.signals.flatMap((s) => [...s.patterns.map(expandToday(new Date('2026-11-23T10:00:00Z'))), ...s.sameSentence, ...s.unlessSameSentence]),
  ...defaultMissingInfoRules.details.flatMap((d) => [...d.present, ...d.onlyIf, ...d.unless]),
];
/** Patterns written to trip a shortcut: back references, named groups, anchors, empty matches, edges in CJK, astral letters. */
const awkward = ['(\\w)\\1', '(?<x>ab)\\k<x>', 'a?', 'x*', '(?:)', '^re', 'wrote$', 'ログ', 'é|ß|ſ', 'K|\\u{1F600}', '(?<=on )\\d+', '\\bthanks\\b', '\\.', '(?<y>me)\\k<y>?', 'at \\d+', '😀+', '[a-z]+ing'];

describe('requiredText: the text every match holds', () => {
  it.each([
    ['ransomware', ['ransomware']],
    ['compromised|hacked', ['compromised', 'hacked']],
    ['urgent(ly)?', ['urgent']],
    ['(laptop|pc|computer|machine) (is|went) dead', [' dead']],
    ['not (really |that )?urgent', ['urgent']],
    ['data (loss|leak)', ['data ']],
    ['NW-(LT|MB)-\\d+', ['NW-LT-', 'NW-MB-']],
    ['^.{1,30}から送信$', ['から送信']],
    ['\\u{1F600}+', ['😀']],
    ['work(?! out)', ['work']],
  ])('%s → %j', (source, expected) => {
    expect(requiredText(source)).toEqual(expected);
  });

  it.each(['a?', 'x*', '(?:)', '[a-z]{1,4}-?\\d{2,5}', '.+', '(\\w)\\1', '(a|b?)', 'board (meeting'])('%s promises no text', (source) => {
    expect(requiredText(source)).toBeNull();
  });
});

describe('keywordCheck: never false where a pattern matches', () => {
  it.each([...rulePatterns, ...awkward])('%s', (pattern) => {
    // Prepare
    const check = keywordCheck([{ source: pattern, flags: 'iu' }]);
    const re = new RegExp(pattern, 'iu');

    // Act
    const missed = check ? texts.filter((text) => re.test(text) && !check.test(text)) : [];

    // Assess
    expect(missed).toEqual([]);
  });

  it('serves RegExps of other flags (the mobile signatures), or gives no check', () => {
    const signatures = fromEveryLanguage((language) => language.mobileSignatures);
    const check = keywordCheck(signatures, { whiteSpace: 'collapsed' });
    expect(check).not.toBeNull();
    const collapsed = texts.map((text) => text.trim().replace(/\s+/g, ' '));
    expect(signatures.flatMap((re) => collapsed.filter((text) => re.test(text) && !check!.test(text)))).toEqual([]);
    expect(keywordCheck([/caf\u00e9/i])).toBeNull(); // non-ASCII without u: its case rules differ from i and u
    expect(keywordCheck([/sent from/i])?.test('SENT FROM my phone')).toBe(true);
  });
});

describe('PatternSet: one combined test for "does any of these occur"', () => {
  const lists = [
    ...defaultTriageRules.categories.map((c) => Object.keys(c.keywords)),
    ...defaultTriageRules.signals.flatMap((s) => [s.patterns.map(expandToday(new Date('2026-11-23T10:00:00Z'))), s.sameSentence, s.unlessSameSentence]),
    ...defaultMissingInfoRules.details.flatMap((d) => [d.present, d.onlyIf, d.unless]),
    awkward,
    [],
  ];

  // One test per list: together they try every default rule on every sample text, which on a
  // busy machine would take one test near its time limit.
  it.each(lists.map((list, i) => [i, JSON.stringify(list).slice(0, 60), list] as const))('answers as each pattern tried on its own: list %i %s', (_i, _name, list) => {
    const set = new PatternSet(list);
    const wrong = texts.filter((text) => set.some(text) !== list.some((p) => matchesOf(p, text).length > 0));
    expect(wrong).toEqual([]);
  });

  it('is compiled once per list, and again when the list is edited in place', () => {
    const list = ['printer'];
    const first = patternSet(list);
    expect(patternSet(list)).toBe(first);
    list.push('toner');
    expect(patternSet(list)).not.toBe(first);
    expect(patternSet(list).some('out of toner')).toBe(true);
  });

  it('throws on a pattern that is not a regular expression, as a single pattern does', () => {
    expect(() => new PatternSet(['fine', 'board (meeting'])).toThrow(SyntaxError);
  });
});

describe('matchesOf and firstMatchOf list matches as matchAll does', () => {
  const samples = ['aa bb cc', 'x😀😀 y', 'abab abab', 'on 12 and on 34', 'Re: re: wrote', '', 'ſ ß É é'];
  it.each(awkward)('%s', (pattern) => {
    for (const text of samples) {
      const edged = matchesOf(pattern, text);
      expect(firstMatchOf(pattern, text, () => true)).toEqual(edged[0] ?? null);
      expect(firstMatchOf(pattern, text, (m) => m.index > 0)).toEqual(edged.find((m) => m.index > 0) ?? null);
      expect(matchesOf(pattern, text)).toEqual(edged); // the shared RegExp is left ready for the next search
    }
  });

  it('finds what the pattern with its word edges finds through matchAll, on random text with surrogates', () => {
    // Prepare: letters of every kind a word edge tells apart, paired and lone surrogates among them.
    const alphabet = ['a', 'b', 'x', 'é', 'K', '1', '_', ' ', '.', '😀', '𝼀', '𝟎', 'ロ', 'グ', '\ud800', '\udc00'];
    let seed = 14;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const texts = Array.from({ length: 400 }, () => Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    const patterns = ['a', 'ab|b', 'x*', 'a?', '(?:)', '😀+', '𝼀|ロ', 'ログ', 'é', 'k', '\\d', '[^a]', '.', '(?<=a)b', 'b(?!a)'];
    // As the patterns were compiled before: a lookbehind and a lookahead, each left out where the pattern starts or ends in an unspaced script.
    const unspaced = (text: string) => /^[^\p{Script=Latin}\P{L}]/u.test(text);
    const withEdges = (p: string) =>
      new RegExp(`${unspaced(p) ? '' : '(?<![\\p{Script=Latin}\\p{N}_])'}(?:${p})${unspaced(p.at(-1) ?? '') ? '' : '(?![\\p{Script=Latin}\\p{N}_])'}`, 'giu');

    // Act
    const wrong = patterns.flatMap((pattern) =>
      texts.flatMap((text) => {
        const expected = [...text.matchAll(withEdges(pattern))].map((m) => ({ text: m[0], index: m.index }));
        const found = matchesOf(pattern, text);
        const any = new PatternSet([pattern]).some(text);
        return JSON.stringify(found) === JSON.stringify(expected) && any === expected.length > 0 ? [] : [`${pattern} in ${JSON.stringify(text)}`];
      }),
    );

    // Assess
    expect(wrong).toEqual([]);
  });

  it('finds the same matches as the pattern with its word edges through matchAll', () => {
    const edges = (p: string) => new RegExp(`(?<![\\p{Script=Latin}\\p{N}_])(?:${p})(?![\\p{Script=Latin}\\p{N}_])`, 'giu');
    // 𝼀 is a Latin letter and 𝟎 a digit outside the BMP: the edge before a match reads a whole surrogate pair.
    for (const pattern of ['print(er|ers)?', 'a?', 'x*', '😀+', 'ab|b', '(?:)']) {
      for (const text of ['printer print blueprint', 'a b a', 'x😀😀 y', '', '𝼀print 𝟎print print', 'abab ab b 𝼀b', '\udc00print \ud800print']) {
        expect(matchesOf(pattern, text)).toEqual([...text.matchAll(edges(pattern))].map((m) => ({ text: m[0], index: m.index })));
      }
    }
  });
});
