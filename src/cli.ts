import { accessSync, constants, createWriteStream, existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile, parseConfig, type Config } from './config.js';
import { closest } from './domain/did-you-mean.js';
import { portsFor, type Ports } from './aws/ports-from-config.js';
import { UnknownEventError } from './aws/events.js';
import { readDeployedStack, StackOutputsError } from './aws/stack-outputs.js';
import { parseTicketId } from './domain/ticket.js';
import { createAwsClients, LocalStackError, startLocalStack } from './local/stack.js';
import { createClients } from './aws/clients.js';
import {
  assertHasData,
  assertStoreOpenable,
  DataDirError,
  findServing,
  hasStore,
  NoDataError,
  prepareDataDir,
  readManifest,
  shown,
  writeManifest,
  type ServingRecord,
} from './local/data-dir.js';
import { replayQuarantined, replayRawKeys, type Replayed } from './pipeline/replay.js';
import { sweepPlans } from './pipeline/sweep.js';
import { ImapConfigError, ImapConnectionError, ImapLoginError, MailboxLockedError, pollMailbox } from './imap/poller.js';
import { readOutbox } from './local/ses-endpoint.js';
import { serve } from './local/serve.js';
import { SmtpGatewayError } from './local/smtp-gateway.js';
import { deliverAsSes, receiptSidecarSchema, type ReceiptSidecar } from './local/ingest.js';
import { RawMailMissingError, type InboundResult } from './pipeline/inbound.js';
import type { Clock } from './pipeline/ports.js';
import { renderForgetPlan, renderForgetReport, renderOutbox, renderStaleDryRun, renderStaleResult, renderTicket, renderTicketTable, ticketRow } from './cli-render.js';
import { addressBook } from './pipeline/inbound.js';
import { runStaleJob } from './pipeline/stale-job.js';
import { dryRunPorts } from './pipeline/dry-run.js';
import { exportTickets } from './pipeline/export.js';
import { applyForget, ForgetError, isEmpty, normaliseAddress, planForget, reportOf } from './pipeline/forget.js';

const USAGE = `ticketing — email-in ticketing for IT teams, on an embedded AWS stack under --data or on a
deployed stack (--stack NAME)

Usage:
  ticketing ingest FILE.eml...      store each mail as SES would and run the inbound handler;
                                    prints one JSON line per file
  ticketing tickets [--json]        list tickets (and quarantined mail)
  ticketing show TICKET [--json]    one ticket with its thread, e.g. ticketing show TKT-3
  ticketing outbox [--json]         mail sent through the local SES endpoint
  ticketing export [--out FILE]     every ticket with its messages and history, one JSON line each
  ticketing stale [--json] [--html FILE] [--dry-run]
                                    run the stale-ticket job once (as the schedule does): flag,
                                    clear, remind, close, mail the IT digest; --dry-run: say what
                                    it would do, writing and sending nothing
  ticketing replay --quarantined    run the quarantined mail through the pipeline again
  ticketing replay RAWKEY...        run these raw objects (e.g. inbound/<SES message id>) again;
                                    a JSON line per mail
  ticketing sweep [--json]          finish what deliveries planned and did not finish (mail to
                                    retry, runs that stopped), as the schedule does
  ticketing forget ADDRESS [--yes] [--json]
                                    erase a requester's personal data and mail (a privacy
                                    request); asks first unless --yes
  ticketing serve [--smtp-port N]   an SMTP gateway on 127.0.0.1 (default port 2525) in front of
                                    the pipeline, the stale job on its schedule; Ctrl-C stops it.
                                    Other commands on the same --data use it while it runs
  ticketing imap-poll [--once]      poll the configured IMAP mailbox into the pipeline (every
                                    minute until Ctrl-C; --once: one poll); a JSON line per message
  ticketing demo                    ingest the demo inbox into a fresh data directory (.data/demo)

Options:
  --data DIR       local data directory (default .data)
  --config FILE    JSON configuration; default: the one recorded for --data by the command that
                   made it (DIR/ticketing.json), else the built-in defaults
  --now ISO-8601   the clock, e.g. 2026-11-23T09:00:00Z (default: the system clock)
  --json           machine-readable output
  --stack NAME     a deployed stack (tickets, show, export, stale --dry-run, replay, sweep, forget):
                   its table, bucket and config from the stack's outputs; standard AWS credentials
  --region REGION  the deployed stack's region (default: AWS_REGION or your AWS profile's)
  --aws            like --stack, with the table and bucket named by the config's aws block
  -h, --help       this help`;

class UsageError extends Error {
  override name = 'UsageError';
}

type Access = 'read' | 'write' | 'create';

interface CommandSpec {
  /** Options only this command takes (the common ones: data, config, now, stack, region, aws, help). */
  options: string[];
  /** read: an existing store, nothing written; write: an existing store; create: may make the data dir. */
  access: Access;
  /** Runs against a deployed stack (--stack, --aws). */
  deployed: boolean;
  /** What positional arguments it takes. */
  args: 'none' | 'one' | 'some' | 'any';
}

const COMMANDS: Record<string, CommandSpec> = {
  ingest: { options: [], access: 'create', deployed: false, args: 'some' },
  tickets: { options: ['json'], access: 'read', deployed: true, args: 'none' },
  show: { options: ['json'], access: 'read', deployed: true, args: 'one' },
  outbox: { options: ['json'], access: 'read', deployed: false, args: 'none' },
  export: { options: ['out'], access: 'read', deployed: true, args: 'none' },
  stale: { options: ['json', 'html', 'dry-run'], access: 'write', deployed: true, args: 'none' },
  replay: { options: ['quarantined'], access: 'write', deployed: true, args: 'any' },
  sweep: { options: ['json'], access: 'write', deployed: true, args: 'none' },
  forget: { options: ['yes', 'json'], access: 'write', deployed: true, args: 'one' },
  serve: { options: ['smtp-port'], access: 'create', deployed: false, args: 'none' },
  'imap-poll': { options: ['once'], access: 'create', deployed: false, args: 'none' },
  demo: { options: [], access: 'create', deployed: false, args: 'none' },
};

const OPTIONS = {
  data: { type: 'string' },
  config: { type: 'string' },
  now: { type: 'string' },
  json: { type: 'boolean' },
  html: { type: 'string' },
  'dry-run': { type: 'boolean' },
  out: { type: 'string' },
  yes: { type: 'boolean' },
  'smtp-port': { type: 'string' },
  once: { type: 'boolean' },
  quarantined: { type: 'boolean' },
  stack: { type: 'string' },
  region: { type: 'string' },
  aws: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMON_OPTIONS = new Set(['data', 'config', 'now', 'stack', 'region', 'aws', 'help']);

/** Where a command's data is: the embedded stack in this process, the one `serve` runs, or AWS. */
type Target =
  | { kind: 'local'; data: string }
  | { kind: 'serving'; data: string; serving: ServingRecord }
  | { kind: 'deployed'; label: string };

interface Options {
  target: Target;
  config: Config;
  now: Date | null;
  /** Demo: each mail arrives at the time in its Date header, so the story's clock is the mails'. */
  arriveAtDateHeader?: boolean;
  json: boolean;
  /** `stale --html FILE`: where the digest's HTML goes. */
  html?: string;
}

function where(target: Target): string {
  return target.kind === 'deployed' ? target.label : shown(target.data);
}

function parseNow(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new UsageError(`--now expects an ISO-8601 time such as 2026-11-23T09:00:00Z, got "${value}"`);
  }
  return date;
}

/** A clock that starts at --now (or the system time) and moves on one second per mail, to keep arrival order. */
function steppingClock(start: Date | null): Clock & { step(): void; set(at: Date): void } {
  let offset = 0;
  return {
    now: () => new Date((start ?? new Date()).getTime() + offset * 1000),
    step: () => void (start && offset++),
    set: (at: Date) => {
      start = at;
      offset = 0;
    },
  };
}

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

type Deps = Ports<ReturnType<typeof steppingClock>>;

/** The ports on the command's target: clients made once, closed (and an embedded stack stopped) after. */
async function withPorts<T>(opts: Options, run: (deps: Deps) => Promise<T>): Promise<T> {
  const { target, config } = opts;
  const stack = target.kind === 'local' ? await startLocalStack({ dataDir: target.data, config }) : null;
  const clients = stack
    ? createAwsClients(stack)
    : target.kind === 'serving'
      ? createAwsClients({ ...target.serving.endpoints, region: target.serving.region })
      : createClients({ region: config.aws.region });
  try {
    return await run(portsFor(config, clients, { clock: steppingClock(opts.now) }));
  } finally {
    clients.destroy();
    await stack?.close();
  }
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

export async function ingestFiles(files: string[], opts: Options, print: (line: string) => void): Promise<number> {
  assertReadableFiles(files);
  let failures = 0;
  await withPorts(opts, async (deps) => {
    for (const file of files) {
      try {
        const raw = readFileSync(file);
        const sentAt = opts.arriveAtDateHeader ? dateHeader(raw) : null;
        if (sentAt) deps.clock.set(sentAt);
        const results = await deliverAsSes(raw, readSidecar(file), deps);
        // The held-back auto-replies are for the metrics; the line says them in its reason.
        for (const { suppressed: _counted, ...r } of results) {
          print(JSON.stringify({ file: basename(file), ...r }));
        }
      } catch (err) {
        failures++;
        const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        print(JSON.stringify({ file: basename(file), messageId: null, outcome: 'error', ticket: null, reason: error, status: null, category: null, priority: null, missing: [], replies: [] }));
      }
      deps.clock.step();
    }
  });
  return failures ? 1 : 0;
}

async function listTickets(opts: Options, print: (line: string) => void): Promise<number> {
  await withPorts(opts, async (deps) => {
    const monthAgo = new Date(deps.clock.now().getTime() - 30 * 24 * 3600_000).toISOString();
    const [tickets, quarantine, undelivered] = await Promise.all([deps.store.listTickets(), deps.store.listQuarantine(), deps.store.undeliveredSince(monthAgo)]);
    if (opts.json) print(JSON.stringify(tickets.map(ticketRow), null, 2));
    else print(renderTicketTable(tickets, quarantine, undelivered));
  });
  return 0;
}

async function showTicket(ref: string, opts: Options, print: (line: string) => void): Promise<number> {
  const number = parseTicketId(opts.config.ticketPrefix, ref) ?? (/^\d+$/.test(ref) ? Number(ref) : null);
  if (number === null) throw new UsageError(`"${ref}" is not a ticket id; ticket ids look like ${opts.config.ticketPrefix}-42`);
  return withPorts(opts, async (deps) => {
    const ticket = await deps.store.getTicketById(number);
    if (!ticket) {
      print(`No ticket ${opts.config.ticketPrefix}-${number} in ${where(opts.target)}.`);
      return 1;
    }
    const [messages, events] = await Promise.all([deps.store.listMessages(ticket.key), deps.store.listEvents(ticket.key)]);
    print(opts.json ? JSON.stringify({ ...ticketRow(ticket), ticket, messages, events }, null, 2) : renderTicket(ticket, messages, events));
    return 0;
  });
}

/** `ticketing export`: one JSON line per ticket, to stdout or to a file that appears whole when done. */
async function exportAll(out: string | undefined, opts: Options, print: (line: string) => void): Promise<number> {
  const partial = out ? `${out}.partial` : null;
  if (partial) {
    try {
      writeFileSync(partial, '');
    } catch (err) {
      throw new UsageError(`cannot write --out ${out}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? `the directory ${dirname(out!)} does not exist` : (err as Error).message}`);
    }
  }
  const file = partial ? createWriteStream(partial) : null;
  const counts = { tickets: 0, messages: 0 };
  try {
    await withPorts(opts, async (deps) => {
      for await (const exported of exportTickets(deps.store)) {
        const line = JSON.stringify(exported);
        if (file) {
          if (!file.write(`${line}\n`)) await new Promise<void>((drained) => file.once('drain', () => drained()));
        } else print(line);
        counts.tickets++;
        counts.messages += exported.messages.length;
      }
    });
  } catch (err) {
    file?.destroy();
    if (partial) rmSync(partial, { force: true });
    throw err;
  }
  if (file && partial && out) {
    await new Promise<void>((done, fail) => file.end((err?: Error | null) => (err ? fail(err) : done())));
    renameSync(partial, out);
    console.error(`ticketing: exported ${counts.tickets} ticket(s) with ${counts.messages} message(s) to ${out}`);
  }
  return 0;
}

/**
 * `ticketing imap-poll`: the configured mailbox into the pipeline, one JSON line per message.
 * `--once` polls once (exit 1 when a message failed); otherwise every minute until Ctrl-C.
 */
async function imapPoll(once: boolean, opts: Options, print: (line: string) => void): Promise<number> {
  if (!opts.config.imap) throw new UsageError('imap-poll needs an "imap" block in the config (host, user, and a password, passwordSecretArn or accessToken)');
  return withPorts(opts, async (deps) => {
    const pollOnce = async (): Promise<boolean> => {
      try {
        const results = await pollMailbox(deps, opts.config, { onResult: (r) => print(JSON.stringify(r)) });
        return !results.some((r) => r.outcome === 'error');
      } catch (err) {
        if (!(err instanceof MailboxLockedError)) throw err;
        console.error(`ticketing: ${err.message}; skipped this poll`);
        return true;
      }
    };
    if (once) return (await pollOnce()) ? 0 : 1;
    let stopped = false;
    const stop = () => (stopped = true);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    while (!stopped) {
      await pollOnce();
      for (let waited = 0; waited < 60_000 && !stopped; waited += 500) await new Promise((r) => setTimeout(r, 500));
    }
    return 0;
  });
}

/** `ticketing serve`: the embedded stack behind an SMTP gateway, until Ctrl-C (or SIGTERM). */
async function serveUntilStopped(portOption: string | undefined, opts: Options, print: (line: string) => void): Promise<number> {
  const smtpPort = portOption === undefined ? 2525 : Number(portOption);
  if (!Number.isInteger(smtpPort) || smtpPort < 0 || smtpPort > 65535) throw new UsageError(`--smtp-port expects a port number, got "${portOption}"`);
  if (opts.target.kind === 'deployed') throw new UsageError('serve runs the embedded stack only');
  const serving = await serve({ data: resolve(opts.target.data), config: opts.config, smtpPort, now: opts.now, print });
  await new Promise<void>((stopped) => {
    // `once`: a second Ctrl-C falls back to Node's default and ends the process at once.
    const stop = (): void => {
      print('\nStopping…');
      serving.close().then(stopped, (err: unknown) => {
        console.error(`ticketing: stopping failed: ${(err as Error).message}`);
        stopped();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** `ticketing replay`: quarantined mail, or the raw objects named, through the pipeline again. */
async function replay(rawKeys: string[], quarantined: boolean, opts: Options, print: (line: string) => void): Promise<number> {
  return withPorts(opts, async (deps) => {
    const printLine = (r: Replayed) => print(JSON.stringify(r));
    const results = quarantined ? await replayQuarantined(deps, opts.config, printLine) : await replayRawKeys(rawKeys, deps, opts.config, printLine);
    if (!results.length) print(quarantined ? 'Nothing is quarantined.' : 'Nothing to replay.');
    return 0;
  });
}

/** `ticketing sweep`: what deliveries planned and did not finish, finished now. */
async function sweep(opts: Options, print: (line: string) => void): Promise<number> {
  return withPorts(opts, async (deps) => {
    const swept = await sweepPlans({ store: deps.store, mailer: deps.mailer, events: deps.events, clock: deps.clock }, opts.config);
    if (opts.json) print(JSON.stringify(swept));
    else {
      print(`${swept.plans} unfinished plan(s): ${swept.completed} effect(s) done now, ${swept.waiting} left to deliveries still in progress.`);
      for (const p of swept.problems) print(`  ! ${p}`);
    }
    return swept.problems.length ? 1 : 0;
  });
}

/**
 * One run of the scheduled job, on the --now clock: the JSON contract, or a few plain lines.
 * `dryRun`: the same job on ports that keep every write and send to themselves.
 */
async function staleJob(dryRun: boolean, opts: Options, print: (line: string) => void): Promise<number> {
  return withPorts(opts, async (deps) => {
    const real = { store: deps.store, mailer: deps.mailer, events: deps.events, clock: deps.clock };
    const simulated = dryRun ? dryRunPorts(real) : null;
    const { result, digestHtml } = await runStaleJob(simulated?.ports ?? real, opts.config, addressBook(opts.config));
    if (opts.html && digestHtml) writeFileSync(opts.html, digestHtml);
    const { flagged, cleared, digest, nudged, closed, slot, alreadyRan, problems } = result;
    if (opts.json) print(JSON.stringify({ flagged, cleared, digest, nudged, closed, slot, alreadyRan, problems, ...(simulated ? { dryRun: true, mails: simulated.mails } : {}) }));
    else if (simulated) print(renderStaleDryRun(result, simulated.mails, opts.html && digestHtml ? opts.html : null));
    else print(renderStaleResult(result, opts.html && digestHtml ? opts.html : null));
    return 0;
  });
}

async function showOutbox(opts: Options, print: (line: string) => void): Promise<number> {
  if (opts.target.kind === 'deployed') throw new UsageError('outbox shows the local SES endpoint’s mail; a deployed stack sends through Amazon SES, which keeps no copy');
  const entries = await readOutbox(join(opts.target.data, 'outbox'));
  print(await renderOutbox(entries, opts.json));
  return 0;
}

/** `ticketing forget ADDRESS`: what names them is found, shown, confirmed, then erased. */
async function forget(address: string, yes: boolean, opts: Options, print: (line: string) => void): Promise<number> {
  return withPorts(opts, async (deps) => {
    const ports = { store: deps.erasure, blobs: deps.blobs, clock: deps.clock };
    const plan = await planForget(address, ports);
    if (isEmpty(plan)) {
      const report = reportOf(plan, 0);
      print(opts.json ? JSON.stringify(report) : `Nothing to erase: no record in ${where(opts.target)} names ${report.address} (any more).`);
      return 0;
    }
    if (!yes) {
      console.error(renderForgetPlan(plan, where(opts.target)));
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await prompt.question('Erase all of this for good? [y/N] ').finally(() => prompt.close());
      if (!/^y(es)?$/i.test(answer.trim())) {
        print('Nothing erased.');
        return 1;
      }
    }
    const report = await applyForget(plan, ports);
    print(opts.json ? JSON.stringify(report) : renderForgetReport(report));
    return 0;
  });
}

/** One `ingest` output line, as the demo reads it back. */
type InboundLine = Pick<InboundResult, 'outcome' | 'ticket' | 'reason' | 'category' | 'priority' | 'missing' | 'replies'> & { file: string };

/** `npm start`: the demo inbox, in a fresh data directory each run, so the story is the same every time. */
async function demo(data: string, now: Date | null, print: (line: string) => void): Promise<number> {
  const root = resolve(import.meta.dirname, '..');
  const inbox = join(root, 'fixtures', 'demo');
  const running = await findServing(data);
  if (running) throw new DataDirError(`ticketing serve is running on ${shown(data)} (pid ${running.pid}); stop it first: the demo starts that directory afresh`);
  rmSync(data, { recursive: true, force: true });
  prepareDataDir(data);
  const configFile = join(root, 'fixtures', 'northwind.config.json');
  writeManifest(data, { config: configFile, recordedAt: new Date().toISOString() });
  const config = loadConfigFile(configFile);
  const files = readdirSync(inbox).filter((f) => f.endsWith('.eml')).sort().map((f) => join(inbox, f));
  const demoOpts: Options = { target: { kind: 'local', data }, config, now: now ?? new Date('2026-11-23T08:00:00Z'), arriveAtDateHeader: true, json: false };
  print(`Demo: a Monday morning at Northwind IT — ${files.length} mails arrive at ${config.supportAddresses.join(', ')}.\n`);
  const lines: string[] = [];
  const code = await ingestFiles(files, demoOpts, (line) => lines.push(line));
  for (const line of lines) {
    const r = JSON.parse(line) as InboundLine;
    const triaged = r.outcome === 'created' ? ` (${r.category}, ${r.priority}${r.missing.length ? `, asks for: ${r.missing.join(', ')}` : ''})` : '';
    print(`${r.file}\n  → ${r.outcome}${r.ticket ? ` ${r.ticket}` : ''}${triaged}: ${r.reason}`);
    for (const reply of r.replies) print(`  ✉ ${reply.kind} to ${reply.to}: ${reply.subject}`);
  }
  print('\nTickets now:\n');
  await listTickets(demoOpts, print);
  const at = shown(data);
  print(`\nData kept in ${at} (with the Northwind config). Look at it with --data ${at}:`);
  print(`  npx ticketing tickets --data ${at}`);
  print(`  npx ticketing show TKT-1 --data ${at}`);
  print(`  npx ticketing outbox --data ${at}        # the mail we sent`);
  return code;
}

/** parseArgs' own errors, as one line that says what to do. */
function optionError(err: Error & { code?: string }): UsageError {
  const option = /'(-{1,2}[^'\s]+)/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const near = closest(option.replace(/^-+/, ''), Object.keys(OPTIONS));
    return new UsageError(`unknown option ${option}${near ? ` (did you mean --${near}?)` : ''}; run ticketing --help for the options`);
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const name = option.replace(/^-+/, '');
    const takesValue = (OPTIONS as Record<string, { type: string }>)[name]?.type === 'string';
    return new UsageError(takesValue ? `${option} needs a value, e.g. ${option} ${EXAMPLE_VALUES[name] ?? 'VALUE'}` : `${option} takes no value`);
  }
  return new UsageError(`${err.message.split('. ')[0]}; run ticketing --help`);
}

const EXAMPLE_VALUES: Record<string, string> = {
  data: '.data/demo',
  config: 'fixtures/northwind.config.json',
  now: '2026-11-23T09:00:00Z',
  html: 'digest.html',
  out: 'tickets.jsonl',
  'smtp-port': '2525',
  stack: 'Ticketing-prod',
  region: 'eu-west-1',
};

interface ResolvedRun {
  opts: Options;
  /** The one line on stderr that says which config (and which data) the command used. */
  about: string;
}

/** Target and config for a command: a deployed stack, or a data directory and what it recorded. */
async function resolveRun(command: string, spec: CommandSpec, values: ParsedValues, now: Date | null): Promise<ResolvedRun> {
  const json = values.json === true;
  const access: Access = command === 'stale' && values['dry-run'] ? 'read' : spec.access;
  if (values.stack !== undefined || values.aws) {
    if (values.stack !== undefined && values.aws) throw new UsageError('--stack and --aws both name a deployed stack: give one');
    const deployedCommands = Object.entries(COMMANDS).filter(([, s]) => s.deployed).map(([name]) => (name === 'stale' ? 'stale --dry-run' : name));
    if (!spec.deployed) throw new UsageError(`${command} works on the embedded stack only; a deployed stack takes ${deployedCommands.join(', ')}`);
    if (command === 'stale' && !values['dry-run']) {
      throw new UsageError('the deployed stack runs the stale job on its own schedule; see what it would do with stale --dry-run');
    }
    if (values.data !== undefined) throw new UsageError(`--data is the embedded stack's; with ${values.stack !== undefined ? '--stack' : '--aws'} the data is the deployed stack's`);
    if (values.stack !== undefined) {
      const stack = await readDeployedStack(values.stack, values.region);
      let config = values.config ? loadConfigFile(values.config) : stack.config;
      if (!config) {
        throw new StackOutputsError(`stack ${stack.stackName} has no TicketingConfig output (deployed before the CLI could read its config): redeploy it, or pass --config FILE with the settings it was deployed with`);
      }
      config = { ...config, aws: { ...config.aws, region: stack.region, tableName: stack.tableName, bucket: stack.bucket } };
      const source = values.config ? `${values.config} (--config)` : `the stack's TicketingConfig output`;
      return {
        opts: { target: { kind: 'deployed', label: `stack ${stack.stackName}` }, config, now, json },
        about: `stack ${stack.stackName} in ${stack.region} (table ${stack.tableName}, bucket ${stack.bucket}); config: ${source}`,
      };
    }
    const file = loadConfigFile(values.config);
    const config = values.region ? { ...file, aws: { ...file.aws, region: values.region } } : file;
    return {
      opts: { target: { kind: 'deployed', label: `table ${config.aws.tableName}` }, config, now, json },
      about: `--aws: table ${config.aws.tableName}, bucket ${config.aws.bucket} in ${config.aws.region}; config: ${values.config ?? 'built-in defaults'}`,
    };
  }

  const data = values.data ?? '.data';
  if (values.region !== undefined) throw new UsageError('--region goes with --stack (a deployed stack)');
  if (access !== 'create') assertHasData(data);
  const hadStore = hasStore(data);
  if (access !== 'read') prepareDataDir(data);
  const serving = command === 'outbox' ? null : await findServing(data);
  if (access === 'read' && !serving && command !== 'outbox') assertStoreOpenable(data);
  const manifest = readManifest(data);
  let config: Config;
  let source: string;
  if (values.config !== undefined) {
    config = loadConfigFile(values.config);
    source = `${shown(values.config)}${manifest?.config && resolve(values.config) !== manifest.config ? ` (--config; ${shown(data)} was made with ${shown(manifest.config)})` : ''}`;
  } else if (manifest) {
    config = manifest.config ? loadRecordedConfig(manifest.config, data) : parseConfig({});
    source = `${manifest.config ? shown(manifest.config) : 'built-in defaults'}, recorded for ${shown(data)}`;
  } else {
    config = parseConfig({});
    source = `built-in defaults${hadStore ? ` (none recorded for ${shown(data)}; pass --config FILE once to record one)` : ''}`;
  }
  // Recorded by the command that makes the store, or by the first --config given for an older
  // store; never guessed for a store made before configs were recorded.
  if (!manifest && access !== 'read' && (!hadStore || values.config !== undefined)) {
    writeManifest(data, { config: values.config === undefined ? null : resolve(values.config), recordedAt: new Date().toISOString() });
    source += `; now recorded for ${shown(data)}`;
  }
  const through = serving ? `; through the running ticketing serve (pid ${serving.pid})` : '';
  return {
    opts: { target: serving ? { kind: 'serving', data, serving } : { kind: 'local', data }, config, now, json, html: values.html },
    about: `config ${source}${through}`,
  };
}

function loadRecordedConfig(path: string, data: string): Config {
  if (!existsSync(path)) {
    throw new ConfigError(`the config recorded for ${shown(data)}, ${path}, is gone: pass --config FILE (or restore the file)`);
  }
  return loadConfigFile(path);
}

type ParsedValues = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

export async function main(argv: string[], print: (line: string) => void = (l) => console.log(l)): Promise<number> {
  try {
    let parsed: { values: ParsedValues; positionals: string[] };
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS }) as typeof parsed;
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw optionError(err as Error);
      throw err;
    }
    const { values, positionals } = parsed;
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      print(USAGE);
      return command || values.help ? 0 : 2;
    }
    const spec = COMMANDS[command];
    if (!spec) {
      const near = closest(command, Object.keys(COMMANDS));
      throw new UsageError(`unknown command "${command}"${near ? ` (did you mean ${near}?)` : ''}; run ticketing --help for the list`);
    }
    const misplaced = Object.keys(values).filter((name) => values[name as keyof ParsedValues] !== undefined && !COMMON_OPTIONS.has(name) && !spec.options.includes(name));
    if (misplaced.length) {
      const owners = Object.entries(COMMANDS).filter(([, s]) => s.options.includes(misplaced[0]!)).map(([name]) => name);
      throw new UsageError(`${command} does not take --${misplaced[0]}${owners.length ? ` (${owners.join(', ')} do${owners.length === 1 ? 'es' : ''})` : ''}; run ticketing --help`);
    }
    checkArguments(command, spec, rest, values);
    const now = parseNow(values.now);

    if (command === 'demo') {
      if (values.stack !== undefined || values.aws || values.config !== undefined) throw new UsageError('demo uses its own config and data directory; it takes --data and --now only');
      return await demo(resolve(values.data ?? '.data/demo'), now, print);
    }
    const { opts, about } = await resolveRun(command, spec, values, now);
    // outbox reads the local SES endpoint's files only: no config involved.
    if (!opts.json && command !== 'outbox') console.error(`ticketing: ${about}`);
    switch (command) {
      case 'ingest':
        return await ingestFiles(rest, opts, print);
      case 'tickets':
        return await listTickets(opts, print);
      case 'show':
        return await showTicket(rest[0]!, opts, print);
      case 'outbox':
        return await showOutbox(opts, print);
      case 'export':
        return await exportAll(values.out, opts, print);
      case 'stale':
        return await staleJob(values['dry-run'] === true, opts, print);
      case 'serve':
        return await serveUntilStopped(values['smtp-port'], opts, print);
      case 'imap-poll':
        return await imapPoll(values.once === true, opts, print);
      case 'replay':
        return await replay(rest, values.quarantined === true, opts, print);
      case 'sweep':
        return await sweep(opts, print);
      case 'forget':
        return await forget(rest[0]!, values.yes === true, opts, print);
      default:
        throw new UsageError(`unknown command "${command}"; run ticketing --help for the list`);
    }
  } catch (err) {
    if (err instanceof NoDataError) {
      console.error(`ticketing: ${err.message}`);
      return 1;
    }
    if (
      err instanceof UsageError ||
      err instanceof ConfigError ||
      err instanceof DataDirError ||
      err instanceof LocalStackError ||
      err instanceof StackOutputsError ||
      err instanceof ForgetError ||
      err instanceof UnknownEventError ||
      err instanceof SmtpGatewayError ||
      err instanceof ImapConfigError ||
      err instanceof ImapLoginError ||
      err instanceof ImapConnectionError
    ) {
      console.error(`ticketing: ${oneLine(err.message)}`);
      return 2;
    }
    // Not a mistake of the user's: one line all the same, and the way to the whole story.
    if (err instanceof RawMailMissingError) {
      console.error(`ticketing: ${oneLine(err.message)}; check the key (ticketing tickets lists quarantined mail with its raw key)`);
      return 2;
    }
    if (process.env.TICKETING_DEBUG) throw err;
    const e = err instanceof Error ? err : new Error(String(err));
    console.error(`ticketing: ${e.name}: ${oneLine(e.message)} (run again with TICKETING_DEBUG=1 for where it happened)`);
    return 1;
  }
}

/** What the command's positional arguments must be, checked before any data is touched. */
function checkArguments(command: string, spec: CommandSpec, rest: string[], values: ParsedValues): void {
  if (spec.args === 'none' && rest.length) throw new UsageError(`${command} takes no arguments (got "${rest[0]}"); run ticketing --help`);
  if (command === 'show' && rest.length !== 1) throw new UsageError('show needs one ticket id, e.g. ticketing show TKT-1');
  if (command === 'forget') {
    if (rest.length !== 1) throw new UsageError('forget needs one email address, e.g. ticketing forget maria.garcia@northwind.example');
    normaliseAddress(rest[0]!);
    if (!values.yes && !process.stdin.isTTY) throw new UsageError('forget erases for good and asks first, but there is no terminal to ask on; add --yes to confirm');
  }
  if (command === 'ingest') assertReadableFiles(rest);
  if (command === 'replay' && (values.quarantined === true) === rest.length > 0) {
    throw new UsageError('replay takes either --quarantined or raw object keys (e.g. inbound/<SES message id>), not both and not neither');
  }
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}
