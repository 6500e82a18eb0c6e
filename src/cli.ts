import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile, type Config } from './config.js';
import { DynamoTicketStore } from './aws/dynamo-store.js';
import type { InboundDeps } from './aws/inbound-handler.js';
import { S3Blobs } from './aws/s3-blobs.js';
import { SesMailer } from './aws/ses-mailer.js';
import { SnsTicketEvents } from './aws/sns-events.js';
import { UnknownEventError } from './aws/events.js';
import { parseTicketId } from './domain/ticket.js';
import { createAwsClients, startLocalStack, type AwsClients, type LocalStack } from './local/stack.js';
import { createClients } from './aws/clients.js';
import { replayQuarantined, replayRawKeys, type Replayed } from './pipeline/replay.js';
import { sweepPlans } from './pipeline/sweep.js';
import { ImapConfigError, ImapConnectionError, ImapLoginError, pollMailbox } from './imap/poller.js';
import { MailboxLockedError } from './imap/checkpoint.js';
import { readOutbox } from './local/ses-endpoint.js';
import { serve } from './local/serve.js';
import { SmtpGatewayError } from './local/smtp-gateway.js';
import { deliverAsSes, receiptSidecarSchema, type ReceiptSidecar } from './local/ingest.js';
import type { InboundResult } from './pipeline/inbound.js';
import type { Clock } from './pipeline/ports.js';
import { renderOutbox, renderStaleResult, renderTicket, renderTicketTable, ticketRow } from './cli-render.js';
import { addressBook } from './pipeline/inbound.js';
import { runStaleJob } from './pipeline/stale-job.js';

const USAGE = `ticketing — email-in ticketing for IT teams (local mode: an embedded AWS stack under --data)

Usage:
  ticketing ingest FILE.eml...      store each mail as SES would and run the inbound handler;
                                    prints one JSON line per file
  ticketing tickets [--json]        list tickets (and quarantined mail)
  ticketing show TICKET [--json]    one ticket with its thread, e.g. ticketing show TKT-3
  ticketing outbox [--json]         mail sent through the local SES endpoint
  ticketing stale [--json] [--html FILE]
                                    run the stale-ticket job once (as the schedule does):
                                    flag, clear, remind, close, mail the IT digest
  ticketing demo                    ingest the demo inbox into a fresh data directory
  ticketing imap-poll [--once]      poll the configured IMAP mailbox into the pipeline (every
                                    minute until Ctrl-C; --once: one poll); a JSON line per message
  ticketing serve [--smtp-port N]   an SMTP gateway on 127.0.0.1 (default port 2525) in front of
                                    the pipeline, the stale job on its schedule; Ctrl-C stops it
  ticketing replay --quarantined    run the quarantined mail through the pipeline again
  ticketing replay RAWKEY...        run these raw objects (e.g. inbound/<SES message id>) again;
                                    a JSON line per mail
  ticketing sweep [--json]          finish what deliveries planned and did not finish (mail to
                                    retry, runs that stopped), as the schedule does

Options:
  --data DIR       local data directory (default .data)
  --config FILE    JSON configuration (defaults built in)
  --now ISO-8601   the clock, e.g. 2026-11-23T09:00:00Z (default: the system clock)
  --json           machine-readable output
  --aws            tickets, show, stale, sweep and replay against the deployed stack named by the
                   config's aws block (default credentials; AWS_ENDPOINT_URL for an emulator)
  -h, --help       this help`;

/** What may run against a deployed stack (`--aws`): the rest needs the embedded one. */
const AWS_COMMANDS = new Set(['tickets', 'show', 'stale', 'sweep', 'replay']);

class UsageError extends Error {
  override name = 'UsageError';
}

interface Options {
  data: string;
  /** Operate the deployed stack (the config's aws block) instead of the embedded one. */
  aws?: boolean;
  config: Config;
  now: Date | null;
  /** Demo: each mail arrives at the time in its Date header, so the story's clock is the mails'. */
  arriveAtDateHeader?: boolean;
  json: boolean;
  /** `stale --html FILE`: where the digest's HTML goes. */
  html?: string;
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

async function withStack<T>(
  opts: Options,
  run: (stack: LocalStack | null, deps: InboundDeps & { clock: ReturnType<typeof steppingClock> }, clients: AwsClients) => Promise<T>,
): Promise<T> {
  const stack = opts.aws ? null : await startLocalStack({ dataDir: opts.data, config: opts.config });
  const clients = stack ? createAwsClients(stack) : createClients({ region: opts.config.aws.region });
  try {
    const clock = steppingClock(opts.now);
    const deps = {
      config: opts.config,
      store: new DynamoTicketStore(clients.doc, opts.config.aws.tableName),
      blobsFor: (bucket: string) => new S3Blobs(clients.s3, bucket),
      clock,
      mailer: new SesMailer(clients.ses, opts.config.aws.region),
      events: opts.config.events.snsTopicArn ? new SnsTicketEvents(clients.sns, opts.config.events.snsTopicArn) : null,
    };
    return await run(stack, deps, clients);
  } finally {
    clients.destroy();
    await stack?.close();
  }
}

export async function ingestFiles(files: string[], opts: Options, print: (line: string) => void): Promise<number> {
  if (!files.length) throw new UsageError('ingest needs at least one .eml file');
  let failures = 0;
  await withStack(opts, async (_stack, deps) => {
    for (const file of files) {
      try {
        const raw = readFileSync(file);
        const sentAt = opts.arriveAtDateHeader ? dateHeader(raw) : null;
        if (sentAt) deps.clock.set(sentAt);
        const results = await deliverAsSes(raw, readSidecar(file), deps);
        for (const r of results) {
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
  await withStack(opts, async (_stack, deps) => {
    const monthAgo = new Date(deps.clock.now().getTime() - 30 * 24 * 3600_000).toISOString();
    const [tickets, quarantine, undelivered] = await Promise.all([deps.store.listTickets(), deps.store.listQuarantine(), deps.store.undeliveredSince(monthAgo)]);
    if (opts.json) print(JSON.stringify(tickets.map(ticketRow), null, 2));
    else print(renderTicketTable(tickets, quarantine, undelivered));
  });
  return 0;
}

async function showTicket(ref: string | undefined, opts: Options, print: (line: string) => void): Promise<number> {
  if (!ref) throw new UsageError(`show needs a ticket id, e.g. ticketing show ${opts.config.ticketPrefix}-1`);
  const number = parseTicketId(opts.config.ticketPrefix, ref) ?? (/^\d+$/.test(ref) ? Number(ref) : null);
  if (number === null) throw new UsageError(`"${ref}" is not a ticket id; ticket ids look like ${opts.config.ticketPrefix}-42`);
  return withStack(opts, async (_stack, deps) => {
    const ticket = await deps.store.getTicketById(number);
    if (!ticket) {
      print(`No ticket ${opts.config.ticketPrefix}-${number} in ${opts.data}.`);
      return 1;
    }
    const [messages, events] = await Promise.all([deps.store.listMessages(ticket.key), deps.store.listEvents(ticket.key)]);
    print(opts.json ? JSON.stringify({ ...ticketRow(ticket), ticket, messages, events }, null, 2) : renderTicket(ticket, messages, events));
    return 0;
  });
}

/**
 * `ticketing imap-poll`: the configured mailbox into the pipeline, one JSON line per message.
 * `--once` polls once (exit 1 when a message failed); otherwise every minute until Ctrl-C.
 */
async function imapPoll(once: boolean, opts: Options, print: (line: string) => void): Promise<number> {
  if (!opts.config.imap) throw new UsageError('imap-poll needs an "imap" block in the config (host, user, and a password, passwordSecretArn or accessToken)');
  return withStack(opts, async (_stack, deps, clients) => {
    const pollDeps = { ...deps, blobs: deps.blobsFor(opts.config.aws.bucket), doc: clients.doc, tableName: opts.config.aws.tableName };
    const pollOnce = async (): Promise<boolean> => {
      try {
        const results = await pollMailbox(pollDeps, opts.config, { onResult: (r) => print(JSON.stringify(r)) });
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
  const serving = await serve({ data: resolve(opts.data), config: opts.config, smtpPort, now: opts.now, print });
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
  if (quarantined === rawKeys.length > 0) throw new UsageError('replay takes either --quarantined or raw object keys (e.g. inbound/<SES message id>), not both and not neither');
  return withStack(opts, async (_stack, deps) => {
    const ports = { ...deps, blobs: deps.blobsFor(opts.config.aws.bucket) };
    const printLine = (r: Replayed) => print(JSON.stringify(r));
    const results = quarantined ? await replayQuarantined(ports, opts.config, printLine) : await replayRawKeys(rawKeys, ports, opts.config, printLine);
    if (!results.length) print(quarantined ? 'Nothing is quarantined.' : 'Nothing to replay.');
    return 0;
  });
}

/** `ticketing sweep`: what deliveries planned and did not finish, finished now. */
async function sweep(opts: Options, print: (line: string) => void): Promise<number> {
  return withStack(opts, async (_stack, deps) => {
    const swept = await sweepPlans({ store: deps.store, mailer: deps.mailer, events: deps.events, clock: deps.clock }, opts.config);
    if (opts.json) print(JSON.stringify(swept));
    else {
      print(`${swept.plans} unfinished plan(s): ${swept.completed} effect(s) done now, ${swept.waiting} left to deliveries still in progress.`);
      for (const p of swept.problems) print(`  ! ${p}`);
    }
    return swept.problems.length ? 1 : 0;
  });
}

/** One run of the scheduled job, on the --now clock: the JSON contract, or a few plain lines. */
async function staleJob(opts: Options, print: (line: string) => void): Promise<number> {
  return withStack(opts, async (_stack, deps) => {
    const { result, digestHtml } = await runStaleJob({ store: deps.store, mailer: deps.mailer, events: deps.events, clock: deps.clock }, opts.config, addressBook(opts.config));
    if (opts.html && digestHtml) writeFileSync(opts.html, digestHtml);
    if (opts.json) {
      const { flagged, cleared, digest, nudged, closed, slot, alreadyRan, problems } = result;
      print(JSON.stringify({ flagged, cleared, digest, nudged, closed, slot, alreadyRan, problems }));
    } else print(renderStaleResult(result, opts.html && digestHtml ? opts.html : null));
    return 0;
  });
}

async function showOutbox(opts: Options, print: (line: string) => void): Promise<number> {
  const entries = await readOutbox(join(opts.data, 'outbox'));
  print(await renderOutbox(entries, opts.json));
  return 0;
}

/** One `ingest` output line, as the demo reads it back. */
type InboundLine = Pick<InboundResult, 'outcome' | 'ticket' | 'reason' | 'category' | 'priority' | 'missing' | 'replies'> & { file: string };

/** `npm start`: the demo inbox, in a fresh data directory each run, so the story is the same every time. */
async function demo(opts: Options, print: (line: string) => void): Promise<number> {
  const root = resolve(import.meta.dirname, '..');
  const inbox = join(root, 'fixtures', 'demo');
  const data = resolve(opts.data === '.data' ? '.data/demo' : opts.data);
  rmSync(data, { recursive: true, force: true });
  const config = loadConfigFile(join(root, 'fixtures', 'northwind.config.json'));
  const files = readdirSync(inbox).filter((f) => f.endsWith('.eml')).sort().map((f) => join(inbox, f));
  const demoOpts: Options = { ...opts, data, config, now: opts.now ?? new Date('2026-11-23T08:00:00Z'), arriveAtDateHeader: true };
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
  await listTickets({ ...demoOpts, json: false }, print);
  print(`\nData kept in ${data}. Look closer with: npx ticketing show TKT-1 --data ${data}`);
  print(`The mail we sent: npx ticketing outbox --data ${data}`);
  return code;
}

export async function main(argv: string[], print: (line: string) => void = (l) => console.log(l)): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        data: { type: 'string', default: '.data' },
        config: { type: 'string' },
        now: { type: 'string' },
        json: { type: 'boolean', default: false },
        html: { type: 'string' },
        'smtp-port': { type: 'string' },
        once: { type: 'boolean', default: false },
        quarantined: { type: 'boolean', default: false },
        aws: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      print(USAGE);
      return command || values.help ? 0 : 2;
    }
    const opts: Options = { data: values.data!, config: loadConfigFile(values.config), now: parseNow(values.now), json: values.json!, html: values.html, aws: values.aws! };
    if (opts.aws && !AWS_COMMANDS.has(command)) throw new UsageError(`${command} works on the embedded stack only; --aws takes ${[...AWS_COMMANDS].join(', ')}`);
    switch (command) {
      case 'ingest':
        return await ingestFiles(rest, opts, print);
      case 'tickets':
        return await listTickets(opts, print);
      case 'show':
        return await showTicket(rest[0], opts, print);
      case 'outbox':
        return await showOutbox(opts, print);
      case 'stale':
        return await staleJob(opts, print);
      case 'demo':
        return await demo(opts, print);
      case 'serve':
        return await serveUntilStopped(values['smtp-port'], opts, print);
      case 'imap-poll':
        return await imapPoll(values.once!, opts, print);
      case 'replay':
        return await replay(rest, values.quarantined!, opts, print);
      case 'sweep':
        return await sweep(opts, print);
      default:
        throw new UsageError(`unknown command "${command}"; run ticketing --help for the list`);
    }
  } catch (err) {
    if (
      err instanceof UsageError ||
      err instanceof ConfigError ||
      err instanceof UnknownEventError ||
      err instanceof SmtpGatewayError ||
      err instanceof ImapConfigError ||
      err instanceof ImapLoginError ||
      err instanceof ImapConnectionError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`ticketing: ${(err as Error).message}`);
      return 2;
    }
    throw err;
  }
}
