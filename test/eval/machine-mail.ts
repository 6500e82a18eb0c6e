/**
 * Machine-mail detection and bounce reading on the public sisimai set
 * (../shared/corpora/bounce-sisimai-set-of-emails, or CORPORA_DIR/…): how many of its bounces
 * classifyMachineMail calls 'bounce', and for those with sisimai's expected answers, whether
 * deliveryReport finds as many failed recipients as sisimai does, with the same status codes.
 * A report, not a gate: `node src/bin/run.mjs test/eval/machine-mail.ts` always exits 0.
 *
 * What is compared, and what cannot be:
 * - The set names no recipient addresses, only one record per failed recipient, so "recipients
 *   right" means the same number of failed recipients.
 * - sisimai invents codes of its own (x.0.9xx, from its reason names) where the mail states
 *   none; for those a status is right when ours is absent or of the same class (5 or 4).
 * - Delay warnings (Action: delayed, or "delayed … will retry" in words) are bounces to sisimai,
 *   but deliveryReport reports no failed recipient for them on purpose (the mail system is still
 *   trying; nothing has failed yet); they are counted apart.
 * - maildir/dos and maildir/mac are CRLF and CR-only copies of 80 older samples (the first of
 *   each mail system, some under older names): the same messages again, counted apart.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../../src/config.js';
import { deliveryReport, type DeliveryReport } from '../../src/domain/bounce.js';
import { classifyMachineMail, type MachineVerdict } from '../../src/domain/machine-mail.js';
import { EmbeddedHeaders } from '../../src/mail/embedded-parts.js';
import { MalformedMailError, parseMail, type AttachmentSink } from '../../src/mail/parse.js';
import type { InboundMessage } from '../../src/mail/types.js';
import { northwind } from '../support/message.js';
import { corporaDir } from './reply-compare.js';

export const SISIMAI_SET = 'bounce-sisimai-set-of-emails';


/** A raw mail read as the pipeline reads it: the message, and the texts deliveryReport gets. */
export async function readAsPipeline(raw: Buffer): Promise<{ msg: InboundMessage; texts: string[] }> {
  const embedded = new EmbeddedHeaders();
  let parts = 0;
  const sink: AttachmentSink = {
    async put({ contentType, content }) {
      for await (const _chunk of embedded.tap(contentType, content as Readable));
      return { blobKey: `eval/${++parts}` };
    },
  };
  const msg = await parseMail(raw, { limits: parseConfig({}).mail, attachments: sink });
  return { msg, texts: [msg.text, ...embedded.texts] };
}

interface SisimaiRecord {
  deliverystatus: string;
  reason: string;
}

interface SisimaiFile {
  file: string;
  category: string;
  sisimai_expected?: SisimaiRecord[];
}

export function sisimaiDir(dir = corporaDir()): string {
  return join(dir, SISIMAI_SET);
}

export function sisimaiExists(dir = corporaDir()): boolean {
  return existsSync(join(sisimaiDir(dir), 'expected.json'));
}

/** What one sample came to. */
export interface SampleOutcome {
  file: string;
  /** bsd (LF), dos (CRLF copy), mac (CR-only copy) or not (negative samples). */
  folder: string;
  /** The set's category, first word: bounce, auto-reply, feedback-report, delivery-success, not, unknown. */
  category: string;
  expectedStatuses: string[];
  verdict: MachineVerdict | null;
  report: DeliveryReport | null;
  parseError: string | null;
}

/** The kinds a non-bounce category should get. */
const EXPECTED_KINDS: Record<string, (kind: string | null) => boolean> = {
  'auto-reply': (k) => k === 'out-of-office' || k === 'auto-reply',
  'feedback-report': (k) => k === 'feedback-report',
  'delivery-success': (k) => k === 'delivery-success',
  not: (k) => k !== 'bounce',
};

export async function evaluateMachineMail(dir = corporaDir(), folders?: string[]): Promise<SampleOutcome[]> {
  const root = sisimaiDir(dir);
  const files = (JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as { files: Record<string, SisimaiFile> }).files;
  const outcomes: SampleOutcome[] = [];
  for (const entry of Object.values(files)) {
    const folder = entry.file.split('/')[1] ?? '';
    if (folders && !folders.includes(folder)) continue;
    const base = {
      file: entry.file,
      folder,
      category: entry.category.split(' ')[0] as string,
      expectedStatuses: (entry.sisimai_expected ?? []).map((r) => r.deliverystatus),
    };
    try {
      const { msg, texts } = await readAsPipeline(readFileSync(join(root, entry.file)));
      const verdict = classifyMachineMail(msg, northwind);
      const report = verdict?.kind === 'bounce' ? deliveryReport(texts) : null;
      outcomes.push({ ...base, verdict, report, parseError: null });
    } catch (err) {
      if (!(err instanceof MalformedMailError)) throw err;
      outcomes.push({ ...base, verdict: null, report: null, parseError: err.message });
    }
  }
  return outcomes;
}

/** sisimai's own codes (x.0.9xx, or none) are not in the mail: an absent status or the same class is right. */
function statusMatches(expected: string, got: string | null): boolean {
  if (expected === '' || /^\d\.0\.9\d\d$/.test(expected)) return got === null || got[0] === expected[0];
  return got === expected;
}

/** Every expected record has its own reported status that matches it. */
function statusesMatch(expected: string[], got: (string | null)[]): boolean {
  const left = [...got];
  return expected.every((e) => {
    const i = left.findIndex((g) => statusMatches(e, g));
    if (i === -1) return false;
    left.splice(i, 1);
    return true;
  });
}

export type Comparison = 'right' | 'status-wrong' | 'recipients-wrong' | 'delay-warning' | 'not-compared';

/** How one sample's delivery report compares with sisimai's answer. */
export function compare(o: SampleOutcome): Comparison {
  if (o.category !== 'bounce' || o.verdict?.kind !== 'bounce' || !o.report || !o.expectedStatuses.length) return 'not-compared';
  const got = o.report.failedRecipients;
  if (!got.length && o.report.delayWarning) return 'delay-warning';
  if (got.length !== o.expectedStatuses.length) return 'recipients-wrong';
  return statusesMatch(o.expectedStatuses, got.map((r) => r.status)) ? 'right' : 'status-wrong';
}

export interface Summary {
  folder: string;
  bounces: number;
  calledBounce: number;
  compared: number;
  recipientsRight: number;
  statusRight: number;
  delayWarnings: number;
  /** Samples of the other categories, and how many got the kind they should. */
  others: number;
  othersRight: number;
  /** Samples without an expectation (newer than sisimai's tables): all are bounces. */
  unknown: number;
  unknownCalledBounce: number;
  parseErrors: number;
}

export function summarise(outcomes: SampleOutcome[]): Summary[] {
  const folders = [...new Set(outcomes.map((o) => o.folder))];
  return folders.map((folder) => {
    const own = outcomes.filter((o) => o.folder === folder);
    const bounces = own.filter((o) => o.category === 'bounce');
    const compared = bounces.map(compare).filter((c) => c !== 'not-compared' && c !== 'delay-warning');
    const others = own.filter((o) => EXPECTED_KINDS[o.category]);
    const unknown = own.filter((o) => o.category === 'unknown');
    return {
      folder,
      bounces: bounces.length,
      calledBounce: bounces.filter((o) => o.verdict?.kind === 'bounce').length,
      compared: compared.length,
      recipientsRight: compared.filter((c) => c !== 'recipients-wrong').length,
      statusRight: compared.filter((c) => c === 'right').length,
      delayWarnings: bounces.map(compare).filter((c) => c === 'delay-warning').length,
      others: others.length,
      othersRight: others.filter((o) => EXPECTED_KINDS[o.category]!(o.verdict?.kind ?? null)).length,
      unknown: unknown.length,
      unknownCalledBounce: unknown.filter((o) => o.verdict?.kind === 'bounce').length,
      parseErrors: own.filter((o) => o.parseError).length,
    };
  });
}

export function percentOf(part: number, whole: number): string {
  return whole ? `${((100 * part) / whole).toFixed(1)}%` : '-';
}

/** `maildir/bsd/lhost-exim-04.eml` → `lhost-exim`: misses grouped by the mail system that wrote them. */
function family(file: string): string {
  return (file.split('/').pop() ?? file).replace(/-\d+\.eml$/, '');
}

function statuses(values: (string | null)[]): string {
  return values.length ? values.map((s) => s ?? '—').join(',') : 'none';
}

export function formatMachineMailReport(outcomes: SampleOutcome[]): string {
  const out: string[] = [];
  const rows = summarise(outcomes).map((s) => [
    s.folder,
    `${s.calledBounce}/${s.bounces} ${percentOf(s.calledBounce, s.bounces)}`,
    `${s.recipientsRight}/${s.compared} ${percentOf(s.recipientsRight, s.compared)}`,
    `${s.statusRight}/${s.compared} ${percentOf(s.statusRight, s.compared)}`,
    `${s.delayWarnings}`,
    `${s.othersRight}/${s.others}`,
    `${s.unknownCalledBounce}/${s.unknown}`,
    `${s.parseErrors}`,
  ]);
  const header = ['folder', "bounces called 'bounce'", 'recipient count right', 'recipients+status right', 'delay warnings', 'other kinds right', 'unlabelled called bounce', 'unparsed'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  for (const row of [header, ...rows]) out.push(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());

  // Misses, from the LF originals only (dos/ and mac/ repeat them).
  const bsd = outcomes.filter((o) => o.folder === 'bsd' || o.folder === 'not');
  out.push('', "bounces not called 'bounce' (bsd):");
  for (const o of bsd.filter((o) => o.category === 'bounce' && o.verdict?.kind !== 'bounce')) {
    out.push(`  ${o.file}: ${o.verdict ? `${o.verdict.kind} (${o.verdict.reason})` : 'a person'}`);
  }
  out.push('', 'other categories given another kind (bsd, not):');
  for (const o of bsd.filter((o) => EXPECTED_KINDS[o.category] && !EXPECTED_KINDS[o.category]!(o.verdict?.kind ?? null))) {
    out.push(`  ${o.file} [${o.category}]: ${o.verdict ? `${o.verdict.kind} (${o.verdict.reason})` : 'a person'}`);
  }
  out.push('', 'delivery reports that differ from sisimai (bsd), by mail system: expected → got');
  const groups = new Map<string, SampleOutcome[]>();
  for (const o of bsd) {
    const c = compare(o);
    if (c !== 'recipients-wrong' && c !== 'status-wrong') continue;
    groups.set(family(o.file), [...(groups.get(family(o.file)) ?? []), o]);
  }
  for (const [name, misses] of [...groups].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))) {
    const first = misses[0]!;
    const example = `${statuses(first.expectedStatuses)} → ${statuses(first.report!.failedRecipients.map((r) => r.status))}`;
    out.push(`  ${name} ×${misses.length}: e.g. ${family(first.file)}-${/-(\d+)\.eml$/.exec(first.file)?.[1]} ${example}`);
  }
  return out.join('\n');
}

export async function reportMachineMail(): Promise<void> {
  const dir = corporaDir();
  if (!sisimaiExists(dir)) {
    console.log(`${sisimaiDir(dir)} not found: machine-mail evaluation not run`);
    return;
  }
  console.log(`machine-mail detection and bounce reading vs. the sisimai set (${sisimaiDir(dir)})\n`);
  console.log(formatMachineMailReport(await evaluateMachineMail(dir)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await reportMachineMail();
  process.exitCode = 0;
}
