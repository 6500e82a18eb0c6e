/**
 * Triage accuracy on the labelled fixtures (fixtures/triage/expected-existing.json and
 * expected.json): category and priority confusion matrices, and how well the missing-info asks
 * match the labels. Every decision is the product's own: real parser → visible text → rules
 * from fixtures/northwind.config.json.
 *
 * Run alone: `node src/bin/run.mjs test/eval/triage.ts`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfigFile, type Config } from '../../src/config.js';
import { missingDetails, stillMissing } from '../../src/domain/missing-info.js';
import type { Priority } from '../../src/domain/ticket.js';
import { escalate, triage, type TriageInput, type TriageResult } from '../../src/domain/triage.js';
import { parseMail } from '../../src/mail/parse.js';
import { extractVisibleText } from '../../src/mail/visible-text.js';

const fixtures = new URL('../../fixtures/', import.meta.url);

/** The tests' config: Northwind's, with the CFO as a VIP sender. */
export const northwind: Config = loadConfigFile(fileURLToPath(new URL('northwind.config.json', fixtures)));

/** One labelled new mail (paths relative to fixtures/). */
export interface TriageLabel {
  file: string;
  category: string;
  priority: Priority;
  missing: string[];
  note: string;
}

/** One labelled reply on a ticket opened by `original`. */
export interface ReplyLabel {
  file: string;
  original: string;
  /** The ticket's priority before the reply. */
  current: Priority;
  category: string;
  missingBefore: string[];
  /** The ticket's priority after the reply. */
  priority: Priority;
  stillMissing: string[];
  note: string;
}

function readLabels<T>(name: string): T[] {
  return JSON.parse(readFileSync(new URL(`triage/${name}`, fixtures), 'utf8')) as T[];
}

export const triageLabels: TriageLabel[] = [...readLabels<TriageLabel>('expected-existing.json'), ...readLabels<TriageLabel>('expected.json')];
/** Written and labelled blind to the rules, then tuned on: its first figures are in the README. */
export const tuningLabels: TriageLabel[] = readLabels<TriageLabel>('tuning/expected.json');
/** Labelled blind to the rules and never used to tune them: measured, not asserted. */
export const holdoutLabels: TriageLabel[] = readLabels<TriageLabel>('holdout/expected.json');
/** A second set written and labelled blind (fixtures/triage/blind-2/): 75% / 60% as written, then tuned on. */
export const blind2Labels: TriageLabel[] = readLabels<TriageLabel>('blind-2/expected.json');
/** A third, around the categories' borders (fixtures/triage/blind-3/): measured as written, then tuned on. */
export const blind3Labels: TriageLabel[] = readLabels<TriageLabel>('blind-3/expected.json');
/** A fourth, an ordinary week's mail (fixtures/triage/blind-4/): measured as written, then tuned on. */
export const blind4Labels: TriageLabel[] = readLabels<TriageLabel>('blind-4/expected.json');
export const replyLabels: ReplyLabel[] = readLabels<ReplyLabel>('expected-replies.json');

/** What the pipeline feeds triage for a fixture: subject, visible text, sender, sent date. */
export async function triageInputOf(file: string): Promise<TriageInput> {
  const msg = await parseMail(readFileSync(new URL(file, fixtures)), { limits: northwind.mail });
  return {
    subject: msg.subject,
    text: extractVisibleText(msg.text, { subject: msg.subject }).text,
    sender: msg.from?.address ?? '',
    sentAt: msg.date ? new Date(msg.date) : new Date(0),
  };
}

export interface TriageOutcome {
  label: TriageLabel;
  result: TriageResult;
  /** Ids asked for on the expected category, so a category mistake does not count twice. */
  asked: string[];
}

export async function triageOutcomes(config: Config = northwind, labels: TriageLabel[] = triageLabels): Promise<TriageOutcome[]> {
  return Promise.all(
    labels.map(async (label) => {
      const input = await triageInputOf(label.file);
      const result = triage(input, config.triage);
      const asked = missingDetails(label.category, [input.subject, input.text], config.missingInfo).map((d) => d.id);
      return { label, result, asked };
    }),
  );
}

export interface ReplyOutcome {
  label: ReplyLabel;
  priority: Priority;
  reason: string | null;
  stillMissing: string[];
}

export async function replyOutcomes(config: Config = northwind): Promise<ReplyOutcome[]> {
  return Promise.all(
    replyLabels.map(async (label) => {
      const input = await triageInputOf(label.file);
      const raised = escalate(label.current, input, config.triage);
      const still = stillMissing(label.missingBefore, input.text, label.category, config.missingInfo).map((d) => d.id);
      return { label, priority: raised?.priority ?? label.current, reason: raised?.reason ?? null, stillMissing: still };
    }),
  );
}

/** Rows expected, columns actual. */
export function confusionMatrix(pairs: { expected: string; actual: string }[], order: string[] = []): string {
  const labels = [...new Set([...order, ...pairs.flatMap((p) => [p.expected, p.actual])])];
  const count = (e: string, a: string) => pairs.filter((p) => p.expected === e && p.actual === a).length;
  const width = Math.max(8, ...labels.map((l) => l.length)) + 1;
  const cell = (s: string | number) => String(s).padStart(width);
  const lines = [`${'expected \\ actual'.padEnd(18)}${labels.map(cell).join('')}`];
  for (const e of labels) {
    if (!pairs.some((p) => p.expected === e)) continue;
    lines.push(`${e.padEnd(18)}${labels.map((a) => cell(count(e, a) || '.')).join('')}`);
  }
  return lines.join('\n');
}

export function accuracy(pairs: { expected: string; actual: string }[]): { correct: number; total: number; rate: number } {
  const correct = pairs.filter((p) => p.expected === p.actual).length;
  return { correct, total: pairs.length, rate: pairs.length ? correct / pairs.length : 1 };
}

/** Asks against labels: a false ask is a detail asked for that the mail already gives. */
export function askScores(outcomes: TriageOutcome[]) {
  let rightAsks = 0;
  const falseAsks: string[] = [];
  const missedAsks: string[] = [];
  for (const { label, asked } of outcomes) {
    for (const id of asked) {
      if (label.missing.includes(id)) rightAsks++;
      else falseAsks.push(`${label.file}: ${id}`);
    }
    for (const id of label.missing) if (!asked.includes(id)) missedAsks.push(`${label.file}: ${id}`);
  }
  const precision = rightAsks + falseAsks.length ? rightAsks / (rightAsks + falseAsks.length) : 1;
  const recall = rightAsks + missedAsks.length ? rightAsks / (rightAsks + missedAsks.length) : 1;
  return { rightAsks, falseAsks, missedAsks, precision, recall };
}

const percent = (rate: number) => `${Math.round(rate * 100)}%`;

/** `heldOut`: only the figures are printed; which mails missed is not shown, so no rule is tuned on them. */
function reportOutcomes(title: string, outcomes: TriageOutcome[], heldOut = false): void {
  const categories = northwind.triage.categories.map((c) => c.name).concat(northwind.triage.fallbackCategory);
  const byCategory = outcomes.map((o) => ({ expected: o.label.category, actual: o.result.category }));
  const byPriority = outcomes.map((o) => ({ expected: o.label.priority, actual: o.result.priority }));

  console.log(`\nTriage on ${title}\n`);
  console.log('Category (rows expected, columns actual)\n');
  console.log(confusionMatrix(byCategory, categories));
  const cat = accuracy(byCategory);
  console.log(`\ncategory accuracy ${percent(cat.rate)} (${cat.correct}/${cat.total})\n`);
  console.log('Priority (rows expected, columns actual)\n');
  console.log(confusionMatrix(byPriority, ['P1', 'P2', 'P3', 'P4']));
  const pri = accuracy(byPriority);
  const offByOne = byPriority.filter((p) => Math.abs(Number(p.expected.slice(1)) - Number(p.actual.slice(1))) <= 1).length;
  console.log(`\npriority accuracy ${percent(pri.rate)} (${pri.correct}/${pri.total}), within one level ${percent(offByOne / byPriority.length)}`);

  for (const o of heldOut ? [] : outcomes) {
    if (o.label.category !== o.result.category || o.label.priority !== o.result.priority) {
      console.log(`MISS ${o.label.file}: expected ${o.label.category}/${o.label.priority}, got ${o.result.category}/${o.result.priority}`);
      for (const reason of o.result.reasons) console.log(`     ${reason}`);
    }
  }

  const asks = askScores(outcomes);
  console.log(`\nMissing information (on the expected category)\n`);
  console.log(`asks ${asks.rightAsks + asks.falseAsks.length}, right ${asks.rightAsks}; precision ${percent(asks.precision)}, recall ${percent(asks.recall)}`);
  const listed = (files: string[]) => (heldOut ? '' : files.map((f) => `\n  ${f}`).join(''));
  console.log(`false asks (asked, but the mail gives it): ${asks.falseAsks.length}${listed(asks.falseAsks)}`);
  console.log(`missed asks (missing, but not asked): ${asks.missedAsks.length}${listed(asks.missedAsks)}`);
}

export async function reportTriage(): Promise<void> {
  reportOutcomes(`${triageLabels.length} labelled mails the rules were tuned on (fixtures/triage/expected*.json)`, await triageOutcomes());
  reportOutcomes(`${tuningLabels.length} mails written blind to the rules, then tuned on (fixtures/triage/tuning/)`, await triageOutcomes(northwind, tuningLabels));
  reportOutcomes(`${holdoutLabels.length} held-out mails, labelled blind to the rules (fixtures/triage/holdout/)`, await triageOutcomes(northwind, holdoutLabels), true);
  reportOutcomes(`${blind2Labels.length} more mails written blind, then tuned on (fixtures/triage/blind-2/)`, await triageOutcomes(northwind, blind2Labels));
  reportOutcomes(`${blind3Labels.length} more mails written blind around the categories' borders, then tuned on (fixtures/triage/blind-3/)`, await triageOutcomes(northwind, blind3Labels));
  reportOutcomes(`${blind4Labels.length} more mails written blind, an ordinary week, then tuned on (fixtures/triage/blind-4/)`, await triageOutcomes(northwind, blind4Labels));

  const replies = await replyOutcomes();
  console.log(`\nReplies (escalation and still-missing details)\n`);
  for (const r of replies) {
    const ok = r.priority === r.label.priority && r.stillMissing.join() === r.label.stillMissing.join();
    console.log(
      `${ok ? 'ok  ' : 'MISS'} ${r.label.file}: ${r.label.current} → ${r.priority} (expected ${r.label.priority}), still missing [${r.stillMissing.join(', ')}] (expected [${r.label.stillMissing.join(', ')}])${r.reason ? `\n     ${r.reason}` : ''}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await reportTriage();
}
