/**
 * A thin Microsoft Graph client for one mailbox, over fetch: the app's bearer token, immutable
 * ids on every request (an id survives the move to the processed folder), one token refresh on
 * 401, and Retry-After honoured on 429/503 within a bounded wait, so a poll ends inside its
 * Lambda's time and leaves the rest for the next one.
 *
 * Errors name the mailbox, the request and Graph's own `{ error: { code, message } }`; the token
 * never appears in them.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { AccessTokenSource } from '../oauth/access-token.js';
import { networkCode, neverSent } from '../aws/sdk-error.js';
import { retryAfterMs as retryAfter } from '../domain/retry-after.js';

export interface GraphClientOptions {
  /** graph.graphEndpoint: `https://graph.microsoft.com`, another cloud's, or a local stand-in. */
  endpoint: string;
  /** The mailbox every request acts on (`/users/{mailbox}`). */
  mailbox: string;
  tokens: AccessTokenSource;
  fetch?: typeof fetch;
  /** How a Retry-After wait is spent (tests pass one that only records it). */
  sleep?: (ms: number) => Promise<void>;
  /**
   * The most this client waits on Retry-After in all (one poll's client: its whole poll). A
   * longer wait ends in GraphThrottledError instead. Default 60 s; 0: never wait.
   */
  maxThrottleWaitMs?: number;
}

/** Graph's answer, or the lack of one, for a request on the mailbox. */
export class GraphError extends Error {
  override name = 'GraphError';
  constructor(
    message: string,
    /** The HTTP status; 0 when Graph was never heard from. */
    readonly status: number,
    /** Graph's error code (`ErrorItemNotFound`, `ApplicationThrottled`), or the network error's. */
    readonly code: string,
    /** Worth trying again later: throttling, Graph's server faults, network trouble. */
    readonly retryable: boolean,
    options: { cause?: unknown; uncertain?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.uncertain = options.uncertain ?? false;
  }

  /** The request may have been acted on although no answer came (a dropped connection, 504). */
  readonly uncertain: boolean;
}

/** Graph asked us to wait longer than this poll may: nothing is lost, the next poll goes on. */
export class GraphThrottledError extends GraphError {
  override name = 'GraphThrottledError';
}

/** The app's token was refused twice (401), or the app may not do this (403): an admin must look. */
export class GraphAuthError extends GraphError {
  override name = 'GraphAuthError';
}

export interface GraphResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

interface RequestInit {
  /** A JSON value (sent as application/json) or text with its own content type. */
  json?: unknown;
  text?: { body: string; contentType: string };
  /** Further `Prefer` preferences (`odata.maxpagesize=100`), beside the immutable ids. */
  prefer?: string[];
}

const DEFAULT_MAX_THROTTLE_WAIT_MS = 60_000;
/** When a 429/503 names no Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 5_000;

export class GraphClient {
  readonly mailbox: string;
  /** `…/v1.0/users/{mailbox}`: what every path is relative to. */
  private readonly base: string;
  private readonly origin: string;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxWaitMs: number;
  private waitedMs = 0;

  constructor(private readonly options: GraphClientOptions) {
    this.mailbox = options.mailbox;
    this.base = `${options.endpoint.replace(/\/+$/, '')}/v1.0/users/${encodeURIComponent(options.mailbox)}`;
    this.origin = new URL(options.endpoint).origin;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.maxWaitMs = options.maxThrottleWaitMs ?? DEFAULT_MAX_THROTTLE_WAIT_MS;
  }

  /** A JSON answer. `target`: a path under the mailbox, or a link Graph gave us (nextLink, deltaLink). */
  async json<T>(method: 'GET' | 'POST', target: string, init: RequestInit = {}): Promise<T> {
    const res = await this.request(method, target, init);
    if (res.body.length === 0) return {} as T;
    try {
      return JSON.parse(res.body.toString('utf8')) as T;
    } catch (err) {
      throw new GraphError(`Microsoft Graph answered ${method} ${this.shown(target)} for mailbox ${this.mailbox} with a body that is not JSON`, res.status, 'InvalidJson', true, { cause: err });
    }
  }

  /** The raw bytes of an answer (a message's MIME from `/$value`). */
  async bytes(target: string): Promise<Buffer> {
    return (await this.request('GET', target)).body;
  }

  async request(method: 'GET' | 'POST', target: string, init: RequestInit = {}): Promise<GraphResponse> {
    const url = this.url(target);
    for (let refreshed = false; ; ) {
      const res = await this.once(method, url, target, init);
      if (res.status === 401 && !refreshed) {
        // Revoked or expired early: one fresh token, then Graph's word stands.
        this.options.tokens.refresh();
        refreshed = true;
        continue;
      }
      if (res.status === 429 || res.status === 503) {
        const waitMs = retryAfterMs(res.headers.get('retry-after'));
        if (this.waitedMs + waitMs > this.maxWaitMs) {
          throw this.failure(method, target, res, `asked us to wait ${Math.ceil(waitMs / 1000)} s, more than this poll may wait (${Math.round(this.maxWaitMs / 1000)} s in all): the rest is left for the next poll`);
        }
        this.waitedMs += waitMs;
        await this.sleep(waitMs);
        continue;
      }
      if (res.status >= 400) throw this.failure(method, target, res);
      return res;
    }
  }

  private async once(method: string, url: string, target: string, init: RequestInit): Promise<GraphResponse> {
    const token = await this.options.tokens.token();
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      prefer: ['IdType="ImmutableId"', ...(init.prefer ?? [])].join(', '),
      // Quoted in Graph's logs: what Microsoft support asks for.
      'client-request-id': randomUUID(),
    };
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.text) {
      headers['content-type'] = init.text.contentType;
      body = init.text.body;
    }
    let res: Response;
    try {
      res = await this.fetch(url, { method, headers, body, redirect: 'manual' });
    } catch (err) {
      const code = networkCode(err);
      throw new GraphError(`could not reach Microsoft Graph at ${this.origin} for ${method} ${this.shown(target)} on mailbox ${this.mailbox}: ${code}`, 0, code, true, {
        cause: err,
        uncertain: method !== 'GET' && !neverSent(code),
      });
    }
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  }

  /** Graph's links are followed only to Graph itself: a stored link never carries the token elsewhere. */
  private url(target: string): string {
    if (!/^https?:\/\//i.test(target)) return `${this.base}${target}`;
    if (new URL(target).origin !== this.origin) {
      throw new GraphError(`refusing to follow a link to ${new URL(target).origin} for mailbox ${this.mailbox}: only ${this.origin} gets the app's token`, 0, 'ForeignLink', false);
    }
    return target;
  }

  /** The request as a person reads it: the path under the mailbox, without the query (state tokens). */
  private shown(target: string): string {
    const path = /^https?:\/\//i.test(target) ? new URL(target).pathname : target.split('?')[0]!;
    const mine = new URL(this.base).pathname;
    const decoded = path.startsWith(mine) ? path.slice(mine.length) : path.replace(/^\/v1\.0\/users\/[^/]+/i, '');
    return decoded || '/';
  }

  private failure(method: string, target: string, res: GraphResponse, extra?: string): GraphError {
    const { code, message } = graphErrorOf(res);
    const what = `Microsoft Graph answered ${method} ${this.shown(target)} for mailbox ${this.mailbox} with ${res.status} ${code}${message ? ` (${message})` : ''}`;
    const text = extra ? `${what} and ${extra}` : what;
    if (res.status === 429 || res.status === 503) return new GraphThrottledError(text, res.status, code, true);
    if (res.status === 401) return new GraphAuthError(`${text} (the token was refused again after a fresh one: check the app's credentials and admin consent)`, 401, code, false);
    if (res.status === 403) return new GraphAuthError(`${text} (check the app's Mail.ReadWrite permission and the mailbox's RBAC scope)`, 403, code, false);
    return new GraphError(text, res.status, code, res.status >= 500, { uncertain: res.status === 504 });
  }
}

/** Graph's `{ error: { code, message } }`, or what the status says when the body is not that. */
export function graphErrorOf(res: { status: number; body: Buffer }): { code: string; message: string } {
  try {
    const parsed = JSON.parse(res.body.toString('utf8')) as { error?: { code?: unknown; message?: unknown } };
    if (parsed.error && typeof parsed.error.code === 'string') {
      return { code: parsed.error.code, message: typeof parsed.error.message === 'string' ? oneLine(parsed.error.message) : '' };
    }
  } catch {
    // Not JSON: a proxy's page, an empty body.
  }
  return { code: `HTTP${res.status}`, message: '' };
}

/** Graph's Retry-After (src/domain/retry-after.ts), or the default wait when it names none. */
export function retryAfterMs(value: string | null, now = Date.now()): number {
  return retryAfter(value, now) ?? DEFAULT_RETRY_AFTER_MS;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}

/**
 * The token scope for Graph at `endpoint`: its own `/.default` (graph.microsoft.com, or a
 * national cloud's graph.microsoft.us); a local stand-in on 127.0.0.1 plays the global service.
 */
export function graphScope(endpoint: string): string {
  return endpoint.startsWith('http://127.0.0.1') ? 'https://graph.microsoft.com/.default' : `${endpoint.replace(/\/+$/, '')}/.default`;
}
