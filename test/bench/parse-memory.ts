/**
 * Peak memory of parsing one generated ~30 MB mail (a 22 MB attachment, base64) streamed from a
 * file: parseMail vs mailparser's simpleParser on the same file. Each parser runs in a child
 * process of its own so neither inherits the other's heap. Prints figures only, no thresholds.
 *
 *   node --expose-gc src/bin/run.mjs test/bench/parse-memory.ts [--mb 30]
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { parseMail } from '../../src/mail/parse.js';

const MB = 1024 * 1024;

interface Figures {
  parser: string;
  ms: number;
  baselineRss: number;
  baselineExternal: number;
  peakRss: number;
  peakHeapUsed: number;
  peakExternal: number;
  /** Buffer memory still held once the parse is over and garbage is collected. */
  afterGcExternal: number;
  attachments: number;
}

/** Writes a mail of about `totalMb` MB: a short text part and one binary attachment in base64. */
async function generate(path: string, totalMb: number): Promise<void> {
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
async function measure(parser: string, file: string): Promise<Figures> {
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
  } else {
    const mail = await simpleParser(createReadStream(file));
    attachments = mail.attachments.length;
  }
  sample();
  clearInterval(timer);
  const ms = Math.round(performance.now() - started);
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc?.();
  }
  const after = process.memoryUsage();
  return {
    afterGcExternal: after.external,
    parser,
    ms,
    baselineRss: baseline.rss,
    baselineExternal: baseline.external,
    peakRss: peak.rss,
    peakHeapUsed: peak.heapUsed,
    peakExternal: peak.external,
    attachments,
  };
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const figures = await measure(args[1] as string, args[2] as string);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  const sizeArg = args.indexOf('--mb');
  const totalMb = sizeArg >= 0 ? Number(args[sizeArg + 1]) : 30;
  const dir = mkdtempSync(join(tmpdir(), 'parse-memory-'));
  const file = join(dir, 'large.eml');
  try {
    await generate(file, totalMb);
    const size = statSync(file).size;
    console.log(`message: ${mb(size)} (${size} bytes), one base64 attachment, streamed from ${file}`);
    const runner = fileURLToPath(new URL('../../src/bin/run.mjs', import.meta.url));
    const self = fileURLToPath(import.meta.url);
    const results: Figures[] = [];
    for (const parser of ['parseMail', 'simpleParser']) {
      const child = spawnSync(process.execPath, ['--expose-gc', runner, self, '--child', parser, file], {
        encoding: 'utf8',
        maxBuffer: 16 * MB,
      });
      if (child.status !== 0) throw new Error(`${parser} run failed (exit ${child.status}):\n${child.stderr}`);
      const line = child.stdout.trim().split('\n').pop() as string;
      results.push(JSON.parse(line) as Figures);
    }
    console.log('parser        time      baseline RSS  peak RSS    RSS growth  peak heapUsed  external: baseline / peak / after GC');
    for (const r of results) {
      console.log(
        [
          r.parser.padEnd(12),
          `${r.ms} ms`.padStart(8),
          mb(r.baselineRss).padStart(13),
          mb(r.peakRss).padStart(10),
          mb(r.peakRss - r.baselineRss).padStart(11),
          mb(r.peakHeapUsed).padStart(14),
          `${mb(r.baselineExternal)} / ${mb(r.peakExternal)} / ${mb(r.afterGcExternal)}`.padStart(28),
        ].join('  '),
      );
    }
    const [ours, theirs] = results as [Figures, Figures];
    const growth = (r: Figures) => r.peakRss - r.baselineRss;
    console.log(`RSS growth ratio simpleParser / parseMail: ${(growth(theirs) / Math.max(growth(ours), 1)).toFixed(1)}x`);
    console.log(`peak RSS ratio simpleParser / parseMail:   ${(theirs.peakRss / ours.peakRss).toFixed(1)}x`);
    console.log(`RSS growth per message byte: parseMail ${(growth(ours) / size).toFixed(2)}, simpleParser ${(growth(theirs) / size).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
