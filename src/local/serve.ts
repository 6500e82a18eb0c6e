/**
 * `ticketing serve`: the local stack kept running with an SMTP gateway in front of it and the
 * stale job on its schedule, so the product can be tried with a real mail client.
 */
import { handleInboundEvent, type InboundDeps } from '../aws/inbound-handler.js';
import { portsFor } from '../aws/ports-from-config.js';
import { configSchema, type Config } from '../config.js';
import { createHttpApp } from '../http/app.js';
import type { ApiKeyStore } from '../http/api-keys.js';
import { addressBook, type InboundResult } from '../pipeline/inbound.js';
import type { Clock, TicketStore } from '../pipeline/ports.js';
import { runStaleJob } from '../pipeline/stale-job.js';
import { sesEventFor, sesLikeId } from './ingest.js';
import { DataDirError, findServing, removeServing, shown, writeServing } from './data-dir.js';
import { startHttpServer, socketAddress, type HttpServer } from './http-server.js';
import { withLocalLinkKey } from './link-key.js';
import { startSmtpGateway, type SmtpEnvelope } from './smtp-gateway.js';
import { createAwsClients, startLocalStack, type LocalStack } from './stack.js';

export interface ServeOptions {
  /** The local data directory, as --data. */
  data: string;
  config: Config;
  /** 0 picks a free port (tests); the running one is returned. */
  smtpPort?: number;
  /** The HTTP app's port (form, status pages, API); 0 picks a free one. Default 8080. */
  httpPort?: number;
  /** A fixed port for the local SES endpoint's web view of sent mail; 0 or absent picks a free one. */
  sesPort?: number;
  /** Where the clock starts (--now); it then runs with the system clock. Absent: the system clock. */
  now?: Date | null;
  print(line: string): void;
}

export interface Serving {
  smtpPort: number;
  httpPort: number;
  /** Where the form is, and what the links in our mail point at (web.baseUrl, or this server). */
  webUrl: string;
  /** The config as served: the local link key in it, web.baseUrl at this server unless set. */
  config: Config;
  /** The local SES endpoint's page listing the mail we sent. */
  sesWebUrl: string;
  /** The running stack's ticket store, to look at what arrived. */
  store: TicketStore;
  /** The REST API's keys on the running stack. */
  apiKeys: ApiKeyStore;
  /** Stops the stale schedule, the gateway (after mail in flight) and the stack. */
  close(): Promise<void>;
}

/**
 * Does what SES inbound does for one SMTP transaction: the S3 action stores the raw mail, then
 * the Lambda action runs with the envelope's real recipients, so the handler's "addressed to a
 * support address" rule judges what the client actually sent to.
 */
export async function deliverAsSesTo(raw: Buffer, recipients: string[], deps: InboundDeps): Promise<InboundResult[]> {
  const { config } = deps;
  const id = sesLikeId();
  await deps.blobsFor(config.aws.bucket).put(`${config.aws.inboundPrefix}${id}`, raw, 'message/rfc822');
  // Verdicts PASS: nothing scans mail on loopback.
  const event = sesEventFor(id, deps.clock.now(), recipients, {});
  return (await handleInboundEvent(event, deps)).results;
}

/** The system clock, or one that starts at `start` and runs at the system clock's pace. */
function runningClock(start: Date | null | undefined): Clock {
  if (!start) return { now: () => new Date() };
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

export function mailLine(envelope: SmtpEnvelope, r: InboundResult): string {
  const head = r.ticket ? `${r.ticket} ${r.outcome}` : r.outcome;
  const replies = r.replies.map((reply) => `\n    ✉ ${reply.kind} to ${reply.to}: ${reply.subject}`).join('');
  return `← mail from ${envelope.from ?? '<>'} to ${envelope.to.join(', ')}\n  → ${head}: ${r.reason}${replies}`;
}

export async function serve(options: ServeOptions): Promise<Serving> {
  const { print } = options;
  const running = await findServing(options.data);
  if (running) {
    throw new DataDirError(`ticketing serve is already running on ${shown(options.data)} (pid ${running.pid}, SMTP port ${running.smtpPort}); stop it first, or use another --data`);
  }
  // The web server first: its port is in the links the chat adapter (in the stack) posts.
  const http: HttpServer = await startHttpServer(options.httpPort ?? 8080);
  const config = servedConfig(withLocalLinkKey(options.config, options.data), http.port);
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ dataDir: options.data, config, ports: { ses: options.sesPort ?? 0 }, log: (line) => print(line) });
  } catch (err) {
    await http.close();
    throw err;
  }
  const clients = createAwsClients(stack);
  const clock = runningClock(options.now);
  const deps = portsFor(config, clients, { clock });
  http.mount(createHttpApp({ config, ports: deps, apiKeys: deps.apiKeys, sessions: deps.consoleSessions, downloads: deps.blobs, clientAddress: socketAddress, plainHttp: true, log: (line) => print(`web: ${line}`) }));
  // Work that must finish before the clients and the stack go away.
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };

  const stopStack = async (): Promise<void> => {
    removeServing(options.data);
    await http.close();
    clients.destroy();
    await stack.close();
  };

  let gateway;
  try {
    gateway = await startSmtpGateway({
      port: options.smtpPort ?? 2525,
      config,
      log: (line) => print(`smtp: ${line}`),
      deliver: (raw, envelope) =>
        track(
          deliverAsSesTo(raw, envelope.to, deps).then((results) => {
            for (const r of results) print(mailLine(envelope, r));
            return results;
          }),
        ),
    });
  } catch (err) {
    await stopStack().catch(() => undefined);
    throw err;
  }

  // The schedule's job, on its slot; a run still going when the next is due is not doubled up.
  let staleRun: Promise<unknown> | null = null;
  const runStale = (): void => {
    if (staleRun) return;
    staleRun = track(
      runStaleJob({ store: deps.store, mailer: deps.mailer, events: deps.events, clock }, config, addressBook(config))
        .then(({ result }) => {
          const { flagged, cleared, digest, nudged, closed, slot, alreadyRan, problems } = result;
          print(`stale job: ${JSON.stringify({ flagged, cleared, digest, nudged, closed, slot, alreadyRan, problems })}`);
        })
        .catch((err: unknown) => print(`stale job failed (it runs again next slot): ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`))
        .finally(() => {
          staleRun = null;
        }),
    );
  };
  const timer = setInterval(runStale, config.stale.slotMinutes * 60_000);

  const sesWebUrl = `${stack.endpoints.ses}/`;
  // Other commands on this data dir (tickets, show, ingest…) use this stack while it runs.
  writeServing(options.data, { pid: process.pid, endpoints: stack.endpoints, region: config.aws.region, smtpPort: gateway.port, sesWebUrl, webUrl: config.web.baseUrl, startedAt: new Date().toISOString() });
  const support = config.supportAddresses;
  print(
    [
      `ticketing is serving ${stack.dataDir}`,
      ``,
      `  Send mail with any client to SMTP host 127.0.0.1, port ${gateway.port} (no login, no TLS).`,
      `  It accepts mail for ${support.join(', ')} and their plus-addresses (e.g. ${plusExample(support[0]!, config.ticketPrefix)}).`,
      `  Request form and status pages: ${config.web.baseUrl}/   REST API: ${config.web.baseUrl}/api/v1 (described at /api/openapi.json;`,
      `    make a key with: ticketing api-key create --name NAME --data ${shown(options.data)})`,
      `  Mail we send (acks, replies, digests): ${sesWebUrl}  or  ticketing outbox --data ${shown(options.data)}`,
      `  The tickets, while this runs: ticketing tickets --data ${shown(options.data)}  (show, export, ingest… work too)`,
      `  The stale job runs every ${config.stale.slotMinutes} min.`,
      ...chatLines(config),
      ``,
      `Press Ctrl-C to stop.`,
    ].join('\n'),
  );

  let closing: Promise<void> | undefined;
  const smtp = gateway;
  return {
    smtpPort: smtp.port,
    httpPort: http.port,
    webUrl: config.web.baseUrl,
    config,
    sesWebUrl,
    store: deps.store,
    apiKeys: deps.apiKeys,
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        await Promise.all([smtp.close(), http.close()]);
        await Promise.allSettled([...inFlight]);
        await stopStack();
      })();
      return closing;
    },
  };
}

/** The default web.baseUrl names port 8080: when this server listens elsewhere, links point here. */
function servedConfig(config: Config, httpPort: number): Config {
  const defaultUrl = configSchema.parse({}).web.baseUrl;
  if (config.web.baseUrl !== defaultUrl) return config;
  return { ...config, web: { ...config.web, baseUrl: `http://127.0.0.1:${httpPort}` } };
}

function plusExample(address: string, prefix: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${prefix.toLowerCase()}-1${address.slice(at)}`;
}

/** What the banner says about chat: where ticket events go, and where Slack's requests come in. */
function chatLines(config: Config): string[] {
  const { slack, teams } = config.chat;
  const lines: string[] = [];
  if (slack) lines.push(`  Slack gets ${slack.events.join(', ')} (new tickets: ${slack.priorities.join(', ')})${slack.signingSecret || slack.secretArn ? `; its buttons and /ticket come in at ${config.web.baseUrl}/slack/actions and /slack/commands` : ''}.`);
  if (teams) lines.push(`  Teams gets ${teams.events.join(', ')} (new tickets: ${teams.priorities.join(', ')}).`);
  return lines;
}
