/**
 * Polls one Microsoft 365 folder through Microsoft Graph into the inbound pipeline: every new
 * message's MIME is kept as a raw blob, run through processInbound, then moved to the processed
 * folder. Ids are immutable (client.ts), so a message keeps its id through the move.
 *
 * The store's cursor holds the folder's delta link and the ids seen but not yet finished
 * (`pending`). New ids are saved there before any is processed, and an id leaves only once its
 * message is moved, so a crash between fetch and move retries it on the next poll, where the
 * pipeline recognises it (redelivered, no second ticket) and it is moved.
 *
 * Failure rule: unlike the IMAP poller, a message the pipeline fails on does not stop the batch.
 * It stays in the folder and in `pending`, the next poll tries it first, and the other messages
 * go on. Graph throttling past the poll's wait budget ends the poll early with nothing lost.
 */
import type { Config } from '../config.js';
import type { Receipt } from '../domain/receipt.js';
import type { AccessTokenSource } from '../oauth/access-token.js';
import { processInbound, type InboundPorts, type InboundResult } from '../pipeline/inbound.js';
import { withMailboxLease } from '../pipeline/mailbox-lease.js';
import type { MailboxCursor, MailboxFolder } from '../pipeline/ports.js';

export { MailboxLockedError } from '../pipeline/mailbox-lease.js';
import { GraphAuthError, GraphClient, GraphError, GraphThrottledError } from './client.js';
import { folderChanges } from './delta.js';
import { findFolder } from './folders.js';

export type GraphConfig = NonNullable<Config['graph']>;

export interface GraphPollDeps extends InboundPorts {
  /** The app's token for Graph (src/oauth/microsoft-identity.ts microsoftAppTokens). */
  tokens: AccessTokenSource;
  fetch?: typeof fetch;
  /** How a Retry-After wait is spent; tests record it instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
}

export type GraphPollResult =
  | (InboundResult & { id: string })
  /** The pipeline (or Graph, for this message) failed: the message stays and is tried first next poll. */
  | { id: string; outcome: 'error'; error: string }
  /** Deleted from the mailbox before we read it. */
  | { id: string; outcome: 'gone'; reason: string };

export interface GraphPollOptions {
  /** Called once per message, after it is moved and the cursor saved (or after it failed). */
  onResult?(r: GraphPollResult): void | Promise<void>;
  /** How long the folder lock lasts if this poller dies holding it. Default 15 minutes (a Lambda's limit). */
  lockTtlMs?: number;
  /** The most this poll waits on Graph's Retry-After in all. Default 60 s. */
  maxThrottleWaitMs?: number;
}

export class GraphConfigError extends Error {
  override name = 'GraphConfigError';
}

/**
 * About this many ids wait in the cursor at most (plus one delta page of 100): one store item,
 * far under DynamoDB's 400 KB with ids of about 150 characters. A longer first sync of a full
 * folder continues on the next polls.
 */
export const MAX_PENDING = 1000;

/** `graph:<mailbox>`: the store's key for this mailbox's cursor and lease. */
export function graphAccount(graph: Pick<GraphConfig, 'mailbox'>): string {
  return `graph:${graph.mailbox.toLowerCase()}`;
}

/** The blob key a polled message is kept under (`graph/<mailbox>/<id>.eml`; ids are case-sensitive). */
export function graphRawKey(mailbox: string, id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._=-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `graph/${mailbox.toLowerCase()}/${safe}.eml`;
}

/**
 * One poll of config.graph.folder: first the ids left pending, then the folder's changes, at
 * most batchSize messages in all. Throws MailboxLockedError when another poller holds the
 * folder, GraphAuthError / GraphFolderError / GraphError for the mailbox itself, and
 * GraphThrottledError when Graph throttles the poll past its wait budget before the batch.
 */
export async function pollGraphMailbox(deps: GraphPollDeps, config: Config, opts: GraphPollOptions = {}): Promise<GraphPollResult[]> {
  const graph = config.graph;
  if (!graph) throw new GraphConfigError('no graph block in the configuration');
  const mailbox: MailboxFolder = { account: graphAccount(graph), folder: graph.folder };
  return withMailboxLease(deps, mailbox, opts.lockTtlMs, () => {
    const client = new GraphClient({
      endpoint: graph.graphEndpoint,
      mailbox: graph.mailbox,
      tokens: deps.tokens,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(opts.maxThrottleWaitMs !== undefined ? { maxThrottleWaitMs: opts.maxThrottleWaitMs } : {}),
    });
    return new FolderPoll(client, mailbox, graph, deps, config, opts).run();
  });
}

/** One poll's state: the cursor as saved, what was tried, what came of it. */
class FolderPoll {
  private cursor: MailboxCursor = { cursor: null, pending: [] };
  private readonly tried = new Set<string>();
  private readonly results: GraphPollResult[] = [];
  private processedFolder = '';
  /** Graph asked us to wait past the budget: the poll stops where it is. */
  private throttled = false;

  constructor(
    private readonly client: GraphClient,
    private readonly mailbox: MailboxFolder,
    private readonly graph: GraphConfig,
    private readonly deps: GraphPollDeps,
    private readonly config: Config,
    private readonly opts: GraphPollOptions,
  ) {}

  async run(): Promise<GraphPollResult[]> {
    const folder = await findFolder(this.client, this.graph.folder, false);
    this.processedFolder = await findFolder(this.client, this.graph.processedFolder, true);
    this.cursor = (await this.deps.store.mailboxCursor(this.mailbox)) ?? { cursor: null, pending: [] };
    // What waited from last time goes first: older mail first, and a slow delta read does not hold it up.
    await this.handle(this.cursor.pending.slice(0, this.graph.batchSize));
    if (this.throttled) return this.results;

    // A full list waits for the batches to make room; the delta link keeps the place meanwhile.
    const room = MAX_PENDING - this.cursor.pending.length;
    if (room > 0) await this.readChanges(folder, room);

    const left = this.graph.batchSize - this.tried.size;
    if (left > 0) await this.handle(this.cursor.pending.filter((id) => !this.tried.has(id)).slice(0, left));
    return this.results;
  }

  private async readChanges(folder: string, room: number): Promise<void> {
    // Reading stops after the page that fills the room, so the list may pass it by one page.
    const changes = await folderChanges(this.client, folder, this.cursor.cursor, room);
    const gone = new Set(changes.removed);
    const waiting = this.cursor.pending.filter((id) => !gone.has(id));
    const known = new Set([...waiting, ...this.tried]);
    const fresh = changes.present.filter((id) => !known.has(id));
    // The new place and the new ids in one write, before any of them is processed.
    await this.save({ cursor: changes.cursor, pending: [...waiting, ...fresh] });
  }

  private async handle(ids: string[]): Promise<void> {
    for (const id of ids) {
      if (this.throttled) return;
      this.tried.add(id);
      const result = await this.one(id);
      if (!result) continue;
      this.results.push(result);
      await this.opts.onResult?.(result);
    }
  }

  /** One message: fetched, kept, processed, moved, then off the pending list. */
  private async one(id: string): Promise<GraphPollResult | null> {
    let raw: Buffer;
    try {
      raw = await this.client.bytes(`/messages/${encodeURIComponent(id)}/$value`);
    } catch (err) {
      if (err instanceof GraphError && err.status === 404) {
        await this.done(id);
        return { id, outcome: 'gone', reason: 'deleted from the mailbox before it was read' };
      }
      return this.failed(id, err);
    }
    const rawKey = graphRawKey(this.graph.mailbox, id);
    let outcome: InboundResult;
    try {
      await this.deps.blobs.put(rawKey, raw, 'message/rfc822');
      const receipt: Receipt = { source: 'graph', rawKey, receivedAt: this.deps.clock.now().toISOString(), recipients: [], verdicts: null };
      outcome = await processInbound(receipt, this.deps, this.config);
    } catch (err) {
      return this.failed(id, err);
    }
    try {
      await this.client.json('POST', `/messages/${encodeURIComponent(id)}/move`, { json: { destinationId: this.processedFolder } });
    } catch (err) {
      // Deleted since we read it: processed, and out of the folder all the same.
      if (!(err instanceof GraphError && err.status === 404)) {
        const what = outcome.ticket ? `${outcome.outcome} ${outcome.ticket}` : outcome.outcome;
        return this.failed(id, err, `processed (${what}) but not moved to ${this.graph.processedFolder}; the next poll moves it`);
      }
    }
    await this.done(id);
    return { id, ...outcome };
  }

  /** The message stays pending; a mailbox-wide refusal ends the poll, throttling stops the batch. */
  private failed(id: string, err: unknown, context?: string): GraphPollResult | null {
    if (err instanceof GraphAuthError) throw err;
    if (err instanceof GraphThrottledError) this.throttled = true;
    const message = err instanceof Error ? err.message : String(err);
    return { id, outcome: 'error', error: context ? `${context}: ${message}` : message };
  }

  private async done(id: string): Promise<void> {
    await this.save({ cursor: this.cursor.cursor, pending: this.cursor.pending.filter((p) => p !== id) });
  }

  private async save(cursor: MailboxCursor): Promise<void> {
    this.cursor = cursor;
    await this.deps.store.saveMailboxCursor(this.mailbox, cursor, this.deps.clock.now());
  }
}
