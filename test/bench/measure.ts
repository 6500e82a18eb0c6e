/**
 * What every part of the bench measures with: CPU time of a piece of work (process.cpuUsage,
 * every thread of the process), medians, child processes that are always ended, and the
 * table the bench prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MB = 1024 * 1024;
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** `node src/bin/run.mjs FILE.ts`: how the bench runs its own TypeScript in a child. */
export const TS_RUNNER = fileURLToPath(new URL('../../src/bin/run.mjs', import.meta.url));

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** CPU milliseconds (user + system, all threads) the work took; garbage collected first, so earlier work is not billed. */
export async function cpuMs(work: () => Promise<unknown>): Promise<number> {
  gc?.();
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const children = new Set<ChildProcess>();
let reaperInstalled = false;

/** A child and whatever it started (it leads a process group of its own). */
function end(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Every child still running is ended when the bench exits or is interrupted. */
function installReaper(): void {
  if (reaperInstalled) return;
  reaperInstalled = true;
  const reap = () => {
    for (const child of children) end(child);
  };
  process.on('exit', reap);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      reap();
      process.exit(130);
    });
  }
}

export interface ChildResult {
  stdout: string;
  stderr: string;
  code: number | null;
  /** Wall milliseconds from spawn to exit. */
  ms: number;
}

/** Runs a child to its end (killed at `timeoutMs`), keeping its output. */
export function runChild(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ChildResult> {
  installReaper();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // A group of its own: ending it ends what it started too (esbuild under cdk synth).
    const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => end(child), options.timeoutMs ?? 10 * 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      children.delete(child);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ stdout, stderr, code, ms: performance.now() - started });
    });
  });
}

/** Runs one of the bench's TypeScript modules in a child and reads the JSON it prints last. */
export async function runTsChild<T>(file: string, args: string[], options: { nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<T> {
  const r = await runChild(process.execPath, [...(options.nodeArgs ?? []), TS_RUNNER, file, ...args], { timeoutMs: options.timeoutMs });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || !last.startsWith('{')) throw new Error(`${file} ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr.slice(-2000)}`);
  return JSON.parse(last) as T;
}

/** A table with a header row, columns padded; numbers right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[], raw?: (string | number)[]) => r.map((c, i) => (typeof raw?.[i] === 'number' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(r.map(String), r))].join('\n');
}

export const fixed = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
export const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');
