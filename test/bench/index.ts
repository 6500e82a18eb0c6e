/**
 * `npm run bench`: where the time, memory, round trips and money go, each beside its floor or a
 * peer measured in the same run, so the ratios hold on a busy machine. Prints tables, then one
 * JSON line with the headline figures (issue 14). Figures only: nothing here passes or fails.
 *
 *   npm run bench [-- --quick] [-- --seed N]
 *
 * Full: 1,000 small replies, 1,000 multipart requests, 20 with 5 MB attachments, 5 samples of each
 * stage, 11 fresh imports of each bundle, 100 requests (and their replies) through ingest, tables
 * of 1k, 10k and 100k tickets. --quick: 100 + 100 + 3 mails, 3 samples, 5 imports, 25 requests,
 * and the 100k table extrapolated from 1k and 10k (marked so in the table).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { northwindConfig } from '../support/pipeline.js';
import { measureColdStart, type ColdStart } from './cold-start.js';
import { writeCorpus, type CorpusKind } from './corpus.js';
import { costPer10k, HELPDESK_SEAT, PRICES_AS_OF } from './cost.js';
import { measurePaths, type PathCounts } from './dynamo-paths.js';
import { measureIngest } from './ingest.js';
import { fixed, MB, ratio, table } from './measure.js';
import { measureParseMemory, memoryTable, rssGrowth, type MemoryFigures } from './parse-memory.js';
import { measureStages, STAGES, type StageResults } from './stages.js';
import { measureStaleReads, type StaleReads } from './stale-reads.js';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, seed: { type: 'string', default: '14' } } });
const quick = args.quick;
const plan = {
  corpus: quick ? { multipart: 100, replies: 100, large: 3, attachmentBytes: 5 * MB } : { multipart: 1000, replies: 1000, large: 20, attachmentBytes: 5 * MB },
  samples: quick ? 3 : 5,
  importSamples: quick ? 5 : 11,
  rssSizesMb: [1, 10, 30],
  ingestRequests: quick ? 25 : 100,
  staleSizes: quick ? [1_000, 10_000] : [1_000, 10_000, 100_000],
};

const started = performance.now();
const log = (line: string) => process.stderr.write(`${line}\n`);
const section = (title: string, body: string) => console.log(`\n## ${title}\n\n${body}`);
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

console.log(`# npm run bench${quick ? ' --quick' : ''}: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, load ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the start`);
const dir = mkdtempSync(join(tmpdir(), 'bench-corpus-'));
try {
  log(`corpus (seed ${args.seed}) in ${dir}`);
  const corpus = await writeCorpus(dir, plan.corpus, Number(args.seed));

  log(`stages: ${plan.samples} samples of every stage on every mail [${elapsed()}]`);
  const stages = await measureStages(corpus, northwindConfig, plan.samples, log);
  section('CPU time per mail (median of samples; × = over simpleParser on the same mails)', stageTable(stages));
  section('What processInbound made of the corpus (last sample)', table(['mails', 'outcomes'], (['multipart', 'replies', 'large'] as CorpusKind[]).map((k) => [k, Object.entries(stages.outcomes[k]).map(([o, n]) => `${o} ${n}`).join(', ')])));

  log(`cold start: cdk synth, floors, ${plan.importSamples} fresh imports of each [${elapsed()}]`);
  const cold = await measureColdStart(plan.importSamples, log);
  section(
    `Cold start: Lambda bundles (cdk synth) vs a bundle of the packages they import; import in a fresh node, median of ${cold.samples} (MB = 2^20 bytes; the ratio is of CPU time, which other processes on the machine disturb less than wall time)`,
    table(
      ['function', 'index.mjs', 'all files', 'packages bundle', 'import CPU', 'packages CPU', 'import / packages', 'import wall', 'packages wall', 'packages'],
      [
        ...cold.functions.map((f) => [f.name, `${fixed(f.bytes / MB)} MB`, `${fixed(f.assetBytes / MB)} MB`, `${fixed(f.floorBytes / MB)} MB`, `${fixed(f.importCpuMs, 0)} ms`, `${fixed(f.floorImportCpuMs, 0)} ms`, ratio(f.importCpuMs / f.floorImportCpuMs), `${fixed(f.importMs, 0)} ms`, `${fixed(f.floorImportMs, 0)} ms`, f.packages.length]),
        ['(empty module)', '', '', '', `${fixed(cold.emptyImportCpuMs, 1)} ms`, '', '', `${fixed(cold.emptyImportMs, 1)} ms`, '', ''],
      ],
    ),
  );
  const inbound = cold.functions.find((f) => f.name === 'Inbound')!;

  log(`ingest: ${plan.ingestRequests} requests and their replies through \`ticketing ingest\` [${elapsed()}]`);
  const ingest = await measureIngest(corpus, plan.ingestRequests, log);
  section(
    '`ticketing ingest` on the embedded stack',
    table(
      ['mails', 'one mail (start)', 'whole batch', 'mails/s (start taken off)', 'mails/s (start included)', 'outcomes'],
      [[ingest.mails, `${fixed(ingest.oneMailMs / 1000, 1)} s`, `${fixed(ingest.batchMs / 1000, 1)} s`, fixed(ingest.perSecond, 1), fixed(ingest.perSecondWithStart, 1), Object.entries(ingest.outcomes).map(([o, n]) => `${o} ${n}`).join(', ')]],
    ) + (ingest.failures.length ? `\nfailed: ${ingest.failures.slice(0, 3).join('; ')}` : ''),
  );

  // These count bytes, requests and capacity, not time: run together, in their own processes where they are heavy.
  log(`memory (${plan.rssSizesMb.join(', ')} MB mails), round trips (the fixture corpus on the local stack) and the stale job (tables of ${plan.staleSizes.join(', ')} tickets), together [${elapsed()}]`);
  const [memory, paths, stale] = await Promise.all([measureParseMemory(plan.rssSizesMb), measurePaths(log), measureStaleReads(plan.staleSizes, log)]);
  section('Peak RSS growth parsing one large mail (a base64 attachment), each parse in a fresh process', memoryTable(memory));
  const ours30 = memory.find((m) => m.parser === 'parseMail' && m.bytes > 25 * MB)!;

  section(
    `DynamoDB per path (fixture corpus on ${paths.backend === 'dynamodb-local' ? 'Amazon DynamoDB Local' : 'dynalite, whose capacity leaves out index writes'}; requests in flight together are one round trip)`,
    table(
      ['path', 'mail', 'outcome', 'round trips', 'requests', 'RRU', 'WRU', 'S3 PUT/GET', 'sends', 'operations'],
      Object.entries(paths.paths).map(([name, m]) => [name, m.file, `${m.outcome}${m.replies.length ? ` (${m.replies.join(', ')})` : ''}`, m.roundTrips, m.requests, fixed(m.capacity.readUnits, 1), fixed(m.capacity.writeUnits, 1), `${m.s3Puts}/${m.s3Gets}`, m.sesSends, m.operations.join(' ')]),
    ),
  );

  const staleRows: (StaleReads & { extrapolated?: boolean })[] = [...stale];
  if (!stale.some((s) => s.tickets === 100_000)) staleRows.push(extrapolate(stale, 100_000));
  section(
    'The daily stale job on a growing table (10,000 tickets a month; see test/bench/stale-reads.ts), and one sweep',
    table(
      ['tickets', 'open', 'candidates', 'read requests', 'items read', 'RRU', 'write requests', 'WRU', 'sweep reads / RRU'],
      staleRows.map((s) => [`${s.tickets}${s.extrapolated ? ' (extrapolated)' : ''}`, s.open, s.candidates, s.job.readRequests, s.job.itemsRead, fixed(s.job.readUnits, 1), s.job.writeRequests, fixed(s.job.writeUnits, 0), `${s.sweep.readRequests} / ${fixed(s.sweep.readUnits, 1)}`]),
    ),
  );

  section(
    'A staff-console page on the same tables: the queue (every view and count), and All tickets searched (a page of 50 matches; no match: the read budget)',
    table(
      ['tickets', 'open', 'queue reads / items / RRU', 'search reads / items / RRU', 'no match reads / items / RRU'],
      stale.map((s) => [s.tickets, s.open, ...[s.console.queue, s.console.search, s.console.searchNothing].map((c) => `${c.readRequests} / ${c.itemsRead} / ${fixed(c.readUnits, 1)}`)]),
    ),
  );

  const processMs = (stages.msPerMail.replies.process * stages.mails.replies + stages.msPerMail.multipart.process * stages.mails.multipart) / (stages.mails.replies + stages.mails.multipart);
  const cost = costPer10k(paths, stale.find((s) => s.tickets === 10_000)!, processMs, inbound.importCpuMs);
  section(
    `AWS cost of 10,000 tickets a month (list prices ${PRICES_AS_OF}, before free tiers; per ticket: ${fixed(cost.perTicket.inboundMails, 2)} mails in, ${fixed(cost.perTicket.sends, 2)} sent, as in the fixture corpus)`,
    table(
      ['service', 'what', 'a month', 'unit', 'USD a month'],
      [
        ...cost.lines.map((l) => [l.service, l.what, fixed(l.quantity, l.quantity < 100 ? 2 : 0), l.unit, fixed(l.monthly, 4)]),
        ['total', '', '', '', fixed(cost.total, 2)],
        ['of it SES', '', '', '', `${fixed(cost.sesTotal, 2)} (${fixed((1 - cost.nonSesShare) * 100, 0)}%)`],
        [HELPDESK_SEAT.name, `one agent, ${HELPDESK_SEAT.asOf}`, '', '', fixed(HELPDESK_SEAT.perMonth, 2)],
      ],
    ),
  );

  const headline = headlineTable(stages, cold.functions, inbound, ours30, ingest.perSecond, paths);
  section('Issue 14 figures (targets are the issue\'s, for reading; nothing here asserts them)', headline);
  console.log(`\nbench took ${elapsed()}; load ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end`);

  const r = (x: number, digits = 2) => Number(x.toFixed(digits));
  const staleOf = (n: number) => staleRows.find((s) => s.tickets === n)!.job.readRequests;
  console.log(
    JSON.stringify({
      logicOverParser: r(stages.msPerMail.replies.ours / stages.msPerMail.replies.simpleParser),
      processOverParser: r(stages.msPerMail.replies.process / stages.msPerMail.replies.simpleParser),
      ingestPerSecond: r(ingest.perSecond, 1),
      rssGrowthMB30: r(rssGrowth(ours30) / MB, 1),
      importOverFloor: r(inbound.importCpuMs / inbound.floorImportCpuMs),
      bundleMB: r(inbound.bytes / MB),
      roundTrips: { newTicket: paths.paths.newTicket.roundTrips, reply: paths.paths.reply.roundTrips, redelivery: paths.paths.redelivery.roundTrips, machineOnThread: paths.paths.machineOnThread.roundTrips },
      staleReads: { '1k': staleOf(1_000), '10k': staleOf(10_000), '100k': staleOf(100_000) },
      consoleQueueReads: Object.fromEntries(stale.map((s) => [s.tickets, s.console.queue.readRequests])),
      costPer10k: r(cost.total),
      nonSesCostShare: r(cost.nonSesShare),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function stageTable(s: StageResults): string {
  const kinds: CorpusKind[] = ['replies', 'multipart', 'large'];
  const header = ['stage', ...kinds.map((k) => `${k} (${s.mails[k]} × ${s.meanBytes[k] > MB ? `${fixed(s.meanBytes[k] / MB, 1)} MB` : `${fixed(s.meanBytes[k] / 1024, 1)} KiB`})`)];
  return table(
    header,
    STAGES.map((stage) => [stage, ...kinds.map((k) => `${fixed(s.msPerMail[k][stage], 3)} ms  ${ratio(s.msPerMail[k][stage] / s.msPerMail[k].simpleParser)}`)]),
  );
}

function headlineTable(s: StageResults, functions: ColdStart[], inbound: ColdStart, ours30: MemoryFigures, perSecond: number, paths: PathCounts): string {
  const over = (k: CorpusKind, stage: (typeof STAGES)[number]) => ratio(s.msPerMail[k][stage] / s.msPerMail[k].simpleParser);
  return table(
    ['figure', 'measured', 'issue target'],
    [
      ['our parse + logic / simpleParser, small replies', over('replies', 'ours'), '≤ 1.30×'],
      ['our parse + logic / simpleParser, multipart with history', over('multipart', 'ours'), ''],
      ['processInbound (in-memory ports) / simpleParser, small replies', over('replies', 'process'), '≤ 2×'],
      ['parseMail / simpleParser, small replies', over('replies', 'parseMail'), '≤ 1×'],
      ['parseMail / simpleParser, 5 MB attachments', over('large', 'parseMail'), ''],
      ['postal-mime / simpleParser, small replies', over('replies', 'postal-mime'), '(peer)'],
      ['peak RSS growth, parseMail, 30 MB mail', `${fixed(rssGrowth(ours30) / MB, 1)} MB`, 'flat'],
      ['inbound bundle (index.mjs; all its files)', `${fixed(inbound.bytes / MB)} MB; ${fixed(inbound.assetBytes / MB)} MB`, '< 1.8 MB'],
      ['inbound import / its packages\' import (CPU)', ratio(inbound.importCpuMs / inbound.floorImportCpuMs), '≤ 1.1×'],
      ...functions.filter((f) => f.name !== 'Inbound').map((f) => [`${f.name} import / its packages' import (CPU)`, ratio(f.importCpuMs / f.floorImportCpuMs), '']),
      ['ticketing ingest, a batch', `${fixed(perSecond, 1)} mails/s`, '≥ 50 mails/s'],
      ['round trips: new ticket with ack and notice', paths.paths.newTicket.roundTrips, '5'],
      ['round trips: tag-only machine mail on a thread', paths.paths.machineOnThread.roundTrips, '3'],
      ['round trips: reply / staff reply / re-delivery', `${paths.paths.reply.roundTrips} / ${paths.paths.staffReply.roundTrips} / ${paths.paths.redelivery.roundTrips}`, ''],
    ],
  );
}

/** A table size not measured (--quick): each count on the line through the two largest measured sizes. */
function extrapolate(measured: StaleReads[], n: number): StaleReads & { extrapolated: true } {
  const [a, b] = [measured.at(-2)!, measured.at(-1)!];
  const line = (ya: number, yb: number) => Math.round(yb + ((yb - ya) / (b.tickets - a.tickets)) * (n - b.tickets));
  const job = { ...b.job };
  for (const key of ['readRequests', 'writeRequests', 'readUnits', 'writeUnits', 'itemsRead'] as const) job[key] = line(a.job[key], b.job[key]);
  return { ...b, tickets: n, open: line(a.open, b.open), candidates: line(a.candidates, b.candidates), stale: line(a.stale, b.stale), job, extrapolated: true };
}
