/**
 * `ticketing ingest` on the embedded stack (dynalite, s3rver, the local SES and SNS endpoints,
 * all in the CLI's process), as a user runs it: a batch of the corpus's requests and the
 * replies that answer them, in arrival order, into a fresh data directory. The command's start
 * (the embedded stack coming up) is measured apart, with one mail, and taken off:
 * mails per second = (N − 1) / (time for N mails − time for 1 mail).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Corpus } from './corpus.js';
import { median, REPO_ROOT, runChild } from './measure.js';

export interface IngestResults {
  mails: number;
  /** Wall ms of `ingest` with the whole batch, start included. */
  batchMs: number;
  /** Wall ms of `ingest` with one mail (median of the runs): the command's start and one mail. */
  oneMailMs: number;
  perSecond: number;
  /** The batch including the command's start. */
  perSecondWithStart: number;
  outcomes: Record<string, number>;
  failures: string[];
}

const CLI = join(REPO_ROOT, 'src/bin/ticketing.mjs');

async function ingest(files: string[]): Promise<{ ms: number; lines: Record<string, unknown>[]; stderr: string }> {
  const data = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  try {
    const r = await runChild(process.execPath, [CLI, 'ingest', '--data', data, '--config', join(REPO_ROOT, 'fixtures/northwind.config.json'), '--now', '2026-11-02T07:00:00Z', ...files], {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      timeoutMs: 15 * 60_000,
    });
    const lines = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    if (lines.length !== files.length) throw new Error(`ingest printed ${lines.length} lines for ${files.length} files (exit ${r.code}): ${r.stderr.slice(-1500)}`);
    return { ms: r.ms, lines, stderr: r.stderr };
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

/** `requests` of the corpus's multipart requests and the replies that answer them. */
export async function measureIngest(corpus: Corpus, requests: number, log: (line: string) => void): Promise<IngestResults> {
  const firsts = corpus.files.multipart.slice(0, requests);
  const replies = corpus.files.replies.filter((_, i) => corpus.answers[i]! < requests);
  const batch = [...firsts, ...replies];
  const one: number[] = [];
  for (let i = 0; i < 3; i++) one.push((await ingest(firsts.slice(0, 1))).ms);
  const run = await ingest(batch);
  const oneMailMs = median(one);
  const outcomes: Record<string, number> = {};
  for (const l of run.lines) outcomes[String(l.outcome)] = (outcomes[String(l.outcome)] ?? 0) + 1;
  const failures = run.lines.filter((l) => l.outcome === 'error').map((l) => `${l.file}: ${l.reason}`);
  log(`  ingest: one mail ${(oneMailMs / 1000).toFixed(1)} s (the command's start), ${batch.length} mails ${(run.ms / 1000).toFixed(1)} s`);
  return {
    mails: batch.length,
    batchMs: run.ms,
    oneMailMs,
    perSecond: (batch.length - 1) / Math.max(1e-9, (run.ms - oneMailMs) / 1000),
    perSecondWithStart: batch.length / (run.ms / 1000),
    outcomes,
    failures,
  };
}
