/**
 * Peak memory of parsing one generated mail (one base64 attachment) streamed from a file, by
 * parseMail, mailparser's simpleParser and postal-mime, at several sizes. Each parse runs in a
 * child process of its own, so none inherits another's heap. Figures only, no thresholds.
 *
 *   node --expose-gc src/bin/run.mjs test/bench/parse-memory.ts [--mb 30]   (the bench runs 1, 10, 30)
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import PostalMime from 'postal-mime';
import { parseMail } from '../../src/mail/parse.js';
import { MB, runTsChild, table, fixed } from './measure.js';

export const PARSERS = ['parseMail', 'simpleParser', 'postal-mime'] as const;
export type Parser = (typeof PARSERS)[number];

export interface MemoryFigures {
  parser: Parser;
  /** Size of the mail, bytes. */
  bytes: number;
  ms: number;
  baselineRss: number;
  peakRss: number;
  peakHeapUsed: number;
  baselineExternal: number;
  peakExternal: number;
  /** Buffer memory still held once the parse is over and garbage is collected. */
  afterGcExternal: number;
  attachments: number;
}

/** Writes a mail of about `totalMb` MB: a short text part and one binary attachment in base64. */
export async function generateLargeMail(path: string, totalMb: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(
    [
      'From: Ann Example <ann@example.com>',
      'To: support@example.com',
      'Subject: Memory test: large attachment',
      'Message-ID: <parse-memory-bench@example.com>',
      'Date: Tue, 4 Jun 2024 09:15:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="bench-boundary"',
      '',
      '--bench-boundary',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The disk image is attached.',
      '--bench-boundary',
      'Content-Type: application/octet-stream; name="disk.img"',
      'Content-Disposition: attachment; filename="disk.img"',
      'Content-Transfer-Encoding: base64',
      '',
      '',
    ].join('\r\n'),
  );
  // base64 with 76-character lines: 57 bytes in, 78 bytes out
  const lines = Math.floor((totalMb * MB) / 78);
  const perBlock = 1000;
  for (let done = 0; done < lines; done += perBlock) {
    const n = Math.min(perBlock, lines - done);
    const b64 = randomBytes(57 * n).toString('base64');
    let block = '';
    for (let i = 0; i < n; i++) block += `${b64.slice(i * 76, i * 76 + 76)}\r\n`;
    await write(block);
  }
  await write('--bench-boundary--\r\n');
  out.end();
  await finished(out);
}

/** Runs in the child: parse the file with one parser while sampling memory every 5 ms. */
async function measure(parser: Parser, file: string): Promise<MemoryFigures> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage();
  const peak = { rss: baseline.rss, heapUsed: baseline.heapUsed, external: baseline.external };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.external = Math.max(peak.external, m.external);
  };
  const timer = setInterval(sample, 5);
  const started = performance.now();
  let attachments: number;
  if (parser === 'parseMail') {
    const msg = await parseMail(createReadStream(file), {
      limits: { maxMessageBytes: 100 * MB, maxHeaderLines: 2000 },
      attachments: {
        // a sink that consumes the bytes as a blob upload would, keeping none of them
        async put({ content }) {
          const sinkhole = new Writable({ write: (_chunk, _enc, done) => done() });
          content.pipe(sinkhole);
          await finished(sinkhole);
          return { blobKey: 'discarded' };
        },
      },
    });
    attachments = msg.attachments.length;
  } else if (parser === 'simpleParser') {
    attachments = (await simpleParser(createReadStream(file))).attachments.length;
  } else {
    // postal-mime takes the whole message, as bytes: reading them is part of using it.
    attachments = (await PostalMime.parse(readFileSync(file))).attachments.length;
  }
  sample();
  clearInterval(timer);
  const ms = Math.round(performance.now() - started);
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    gc?.();
  }
  const after = process.memoryUsage();
  return {
    parser,
    bytes: statSync(file).size,
    ms,
    baselineRss: baseline.rss,
    peakRss: peak.rss,
    peakHeapUsed: peak.heapUsed,
    baselineExternal: baseline.external,
    peakExternal: peak.external,
    afterGcExternal: after.external,
    attachments,
  };
}

export const rssGrowth = (f: MemoryFigures) => f.peakRss - f.baselineRss;

/** Each parser on a generated mail of each size, each in a fresh child process. */
export async function measureParseMemory(sizesMb: number[]): Promise<MemoryFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'parse-memory-'));
  const self = fileURLToPath(import.meta.url);
  try {
    const figures: MemoryFigures[] = [];
    for (const mb of sizesMb) {
      const file = join(dir, `large-${mb}.eml`);
      await generateLargeMail(file, mb);
      for (const parser of PARSERS) figures.push(await runTsChild<MemoryFigures>(self, ['--child', parser, file], { nodeArgs: ['--expose-gc'], timeoutMs: 5 * 60_000 }));
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => `${fixed(bytes / MB, 1)} MB`;

export function memoryTable(figures: MemoryFigures[]): string {
  return table(
    ['mail', 'parser', 'time', 'RSS growth', 'peak RSS', 'peak heap', 'external after GC', 'growth / parseMail'],
    figures.map((f) => {
      const ours = figures.find((o) => o.parser === 'parseMail' && o.bytes === f.bytes)!;
      return [mb(f.bytes), f.parser, `${f.ms} ms`, mb(rssGrowth(f)), mb(f.peakRss), mb(f.peakHeapUsed), mb(f.afterGcExternal - f.baselineExternal), `${fixed(rssGrowth(f) / Math.max(rssGrowth(ours), 1), 1)}×`];
    }),
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    process.stdout.write(`${JSON.stringify(await measure(args[1] as Parser, args[2] as string))}\n`);
    return;
  }
  const sizeArg = args.indexOf('--mb');
  console.log(memoryTable(await measureParseMemory(sizeArg >= 0 ? [Number(args[sizeArg + 1])] : [30])));
}

// Run as a script (the bench's children, or by hand); imported by the bench, it only exports.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
