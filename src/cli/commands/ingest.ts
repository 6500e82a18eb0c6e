/** `ticketing ingest FILE.eml...`: each mail stored as SES would store it, then the inbound handler. */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { deliverBatchAsSes, receiptSidecarSchema, type BatchMail, type ReceiptSidecar } from '../../local/ingest.js';
import type { InboundResult } from '../../pipeline/inbound.js';
import type { TargetedCommand } from '../command.js';
import { withPorts } from '../ports.js';
import type { Options } from '../target.js';
import { UsageError } from '../errors.js';

export const ingest: TargetedCommand = {
  options: [], access: 'create', deployed: false, args: 'some',
  help: `  ticketing ingest FILE.eml...      store each mail as SES would and run the inbound handler;
                                    prints one JSON line per file`,
  check: (files) => assertReadableFiles(files),
  run: ({ args, opts, print }) => ingestFiles(args, opts, print),
};

/** The Date header of a raw mail, read from its header block only. */
function dateHeader(raw: Buffer): Date | null {
  const head = raw.subarray(0, 64 * 1024).toString('latin1').split(/\r?\n\r?\n/)[0] ?? '';
  const value = /^Date:[ \t]*(.+(?:\r?\n[ \t].+)*)/im.exec(head)?.[1];
  const date = value ? new Date(value.replace(/\r?\n[ \t]+/g, ' ').replace(/\s*\([^)]*\)\s*$/, '')) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

function readSidecar(file: string): ReceiptSidecar {
  const path = file.replace(/\.eml$/i, '') + '.receipt.json';
  if (!existsSync(path)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`receipt sidecar ${path} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = receiptSidecarSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`receipt sidecar ${path}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Every file is there and readable before anything is touched: a typo creates no data directory. */
function assertReadableFiles(files: string[]): void {
  if (!files.length) throw new UsageError('ingest needs at least one .eml file');
  const problems = files.flatMap((file) => {
    try {
      if (!statSync(file).isFile()) return [`${file} is not a file`];
      accessSync(file, constants.R_OK);
      return [];
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return [code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file} (${code === 'EACCES' ? 'permission denied' : (err as Error).message})`];
    }
  });
  if (problems.length) throw new UsageError(`${problems.slice(0, 3).join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}: nothing was ingested`);
}

/** Mails under way at once: enough to overlap one mail's reading, storing and parsing with others' decisions. */
const IN_FLIGHT = 8;

/**
 * Ingests the files as a batch (src/local/ingest.ts `deliverBatchAsSes`): the result is the one
 * delivering them one by one in this order gives, and the lines come out in this order.
 */
export async function ingestFiles(files: string[], opts: Options, print: (line: string) => void): Promise<number> {
  assertReadableFiles(files);
  let failures = 0;
  await withPorts(opts, async (deps) => {
    // Each mail arrives one second after the one before on the --now clock (or at its Date header).
    let fixedClock = opts.now !== null;
    const mailAt = (index: number): BatchMail => {
      try {
        const raw = readFileSync(files[index]!);
        const sentAt = opts.arriveAtDateHeader ? dateHeader(raw) : null;
        if (sentAt) {
          deps.clock.set(sentAt);
          fixedClock = true;
        }
        const at = deps.clock.now();
        return { raw, verdicts: readSidecar(files[index]!), clock: fixedClock ? { now: () => at } : deps.clock };
      } finally {
        deps.clock.step();
      }
    };
    // Lines wait for the files before them: they come out in the files' order.
    const lines = new Map<number, string[]>();
    let printed = 0;
    const finished = (index: number, outcome: { results: InboundResult[] } | { error: unknown }) => {
      const file = basename(files[index]!);
      if ('error' in outcome) {
        failures++;
        const error = outcome.error instanceof Error ? `${outcome.error.name}: ${outcome.error.message}` : String(outcome.error);
        lines.set(index, [JSON.stringify({ file, messageId: null, outcome: 'error', ticket: null, reason: error, status: null, category: null, priority: null, missing: [], incident: null, replies: [] })]);
      } else {
        // The held-back auto-replies are for the metrics; the line says them in its reason.
        // The line's contract: the result without its typed extras (held-back replies, the API's command lists).
        lines.set(index, outcome.results.map(({ suppressed: _counted, commands: _forTheApi, ...r }) => JSON.stringify({ file, ...r })));
      }
      for (let next = lines.get(printed); next; next = lines.get(++printed)) {
        next.forEach((line) => print(line));
        lines.delete(printed);
      }
    };
    await deliverBatchAsSes(files.length, mailAt, deps, { inFlight: IN_FLIGHT, finished });
  });
  return failures ? 1 : 0;
}
