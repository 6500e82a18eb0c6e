/**
 * The few Gmail API calls the poller makes (REST v1 over fetch), for one mailbox. A refused
 * token (401) is refreshed once; throttling (429, 403 rateLimitExceeded / userRateLimitExceeded)
 * and server errors are retried a bounded number of times, after Retry-After when Google sends
 * one. Errors name the mailbox and the call, never the token.
 */
import type { AccessTokenSource } from '../oauth/access-token.js';
import { retryAfterMs } from '../domain/retry-after.js';

export interface GmailLabel {
  id: string;
  name: string;
  type?: 'system' | 'user';
}

export interface GmailRawMessage {
  id: string;
  labelIds: string[];
  raw: Buffer;
}

/** One page of users.history.list, reduced to what the poller reads. */
export interface HistoryPage {
  history?: Array<{
    id: string;
    messagesAdded?: Array<{ message: { id: string; labelIds?: string[] } }>;
    labelsAdded?: Array<{ message: { id: string; labelIds?: string[] }; labelIds: string[] }>;
  }>;
  nextPageToken?: string;
  historyId: string;
}

export interface GmailClientOptions {
  /** https://gmail.googleapis.com, or a local stand-in. */
  endpoint: string;
  /** The mailbox acted on (the userId of every call). */
  mailbox: string;
  tokens: AccessTokenSource;
  fetch?: typeof fetch;
  /** How waiting is done (tests record the waits instead). */
  sleep?: (ms: number) => Promise<void>;
  /** Tries per call when throttled or Google fails; default 5. */
  maxAttempts?: number;
}

/** Google's error body: `{ error: { code, message, errors: [{ reason, domain, message }], status } }`. */
interface GoogleErrorBody {
  error?: { code?: number; message?: string; status?: string; errors?: Array<{ reason?: string; domain?: string; message?: string }> };
}

export class GmailApiError extends Error {
  override name = 'GmailApiError';
  constructor(
    readonly call: string,
    readonly status: number | null,
    /** Google's `errors[0].reason` (notFound, rateLimitExceeded, insufficientPermissions…), when given. */
    readonly reason: string | null,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get notFound(): boolean {
    return this.status === 404;
  }
}

const THROTTLE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);
const DEFAULT_MAX_ATTEMPTS = 5;
/** A longer wait than this is not sat out inside one poll: the next poll comes sooner. */
const MAX_WAIT_MS = 60_000;
const BACKOFF_BASE_MS = 1000;

function reasonOf(body: GoogleErrorBody | null): string | null {
  return body?.error?.errors?.[0]?.reason ?? null;
}

function retryable(status: number, reason: string | null): boolean {
  return status === 429 || status >= 500 || (status === 403 && reason !== null && THROTTLE_REASONS.has(reason));
}

export class GmailClient {
  readonly #o: Required<Omit<GmailClientOptions, 'fetch' | 'sleep'>> & Pick<GmailClientOptions, 'fetch' | 'sleep'>;

  constructor(options: GmailClientOptions) {
    this.#o = { maxAttempts: DEFAULT_MAX_ATTEMPTS, ...options };
  }

  getProfile(): Promise<{ emailAddress: string; historyId: string }> {
    return this.#call('users.getProfile', 'GET', 'profile');
  }

  async listLabels(): Promise<GmailLabel[]> {
    const out = await this.#call<{ labels?: GmailLabel[] }>('users.labels.list', 'GET', 'labels');
    return out.labels ?? [];
  }

  createLabel(name: string): Promise<GmailLabel> {
    return this.#call('users.labels.create', 'POST', 'labels', undefined, { name, labelListVisibility: 'labelShow', messageListVisibility: 'show' });
  }

  /** Changes after `startHistoryId`, oldest first; a 404 (GmailApiError.notFound) means the id is too old: sync in full. */
  listHistory(startHistoryId: string, labelId: string, historyTypes: string[], pageToken?: string): Promise<HistoryPage> {
    const query = new URLSearchParams({ startHistoryId, labelId, maxResults: '500' });
    for (const t of historyTypes) query.append('historyTypes', t);
    if (pageToken) query.set('pageToken', pageToken);
    return this.#call('users.history.list', 'GET', 'history', query);
  }

  /** One page of the ids of messages carrying `labelId`, newest first. */
  async listMessages(labelId: string, pageToken?: string): Promise<{ ids: string[]; nextPageToken?: string }> {
    const query = new URLSearchParams({ labelIds: labelId, maxResults: '500' });
    if (pageToken) query.set('pageToken', pageToken);
    const out = await this.#call<{ messages?: Array<{ id: string }>; nextPageToken?: string }>('users.messages.list', 'GET', 'messages', query);
    return { ids: (out.messages ?? []).map((m) => m.id), ...(out.nextPageToken ? { nextPageToken: out.nextPageToken } : {}) };
  }

  /** The message as Gmail received it (format=raw: the RFC 822 bytes, base64url). */
  async getRawMessage(id: string): Promise<GmailRawMessage> {
    const out = await this.#call<{ id: string; labelIds?: string[]; raw?: string }>('users.messages.get', 'GET', `messages/${encodeURIComponent(id)}`, new URLSearchParams({ format: 'raw' }));
    if (typeof out.raw !== 'string') throw new GmailApiError('users.messages.get', 200, null, `Gmail API users.messages.get for ${this.#o.mailbox} returned message ${id} without its raw content`);
    return { id: out.id, labelIds: out.labelIds ?? [], raw: Buffer.from(out.raw, 'base64url') };
  }

  async modifyLabels(id: string, addLabelIds: string[], removeLabelIds: string[]): Promise<void> {
    await this.#call('users.messages.modify', 'POST', `messages/${encodeURIComponent(id)}/modify`, undefined, { addLabelIds, removeLabelIds });
  }

  async #call<T>(call: string, method: 'GET' | 'POST', path: string, query?: URLSearchParams, body?: unknown): Promise<T> {
    const { endpoint, mailbox, tokens, maxAttempts } = this.#o;
    const doFetch = this.#o.fetch ?? fetch;
    const sleep = this.#o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const url = `${endpoint}/gmail/v1/users/${encodeURIComponent(mailbox)}/${path}${query ? `?${query}` : ''}`;
    const fail = (status: number | null, reason: string | null, detail: string, cause?: unknown) =>
      new GmailApiError(call, status, reason, `Gmail API ${call} for ${mailbox} failed: ${detail}`, { cause });
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await tokens.token();
      let res: Response;
      try {
        res = await doFetch(url, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (err) {
        // No answer at all: the same bounded retries as a server error.
        if (attempt < maxAttempts) {
          await sleep(backoff(attempt));
          continue;
        }
        throw fail(null, null, `no answer from ${endpoint} after ${attempt} tries: ${(err as Error).message}`, err);
      }
      if (res.ok) return (await res.json()) as T;
      const text = await res.text();
      let parsed: GoogleErrorBody | null = null;
      try {
        parsed = JSON.parse(text) as GoogleErrorBody;
      } catch {
        // Not Google's JSON (a proxy's page): the status alone speaks.
      }
      const reason = reasonOf(parsed);
      if (res.status === 401 && !refreshed) {
        // The token was revoked or ran out early: one fresh token, then the answer stands.
        refreshed = true;
        tokens.refresh();
        continue;
      }
      const detail = describeError(res.status, parsed);
      if (retryable(res.status, reason) && attempt < maxAttempts) {
        const asked = retryAfterMs(res.headers.get('retry-after'));
        if (asked !== null && asked > MAX_WAIT_MS) throw fail(res.status, reason, `${detail}; Google asked to wait ${Math.ceil(asked / 1000)} s, the next poll tries again`);
        await sleep(asked ?? backoff(attempt));
        continue;
      }
      throw fail(res.status, reason, retryable(res.status, reason) ? `${detail} (gave up after ${attempt} tries)` : detail);
    }
  }
}

/** 1 s, 2 s, 4 s, … with up to a quarter more at random, so pollers do not retry in step. */
function backoff(attempt: number): number {
  const base = Math.min(MAX_WAIT_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.round(base * (1 + Math.random() / 4));
}

function describeError(status: number, body: GoogleErrorBody | null): string {
  const e = body?.error;
  if (!e) return `HTTP ${status}`;
  const reason = e.errors?.[0]?.reason;
  return `HTTP ${status}${e.status ? ` ${e.status}` : ''}${reason ? ` (${reason})` : ''}${e.message ? `: ${e.message}` : ''}`;
}
