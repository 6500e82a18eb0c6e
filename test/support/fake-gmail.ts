/**
 * A local stand-in for Google's side of a Workspace mailbox, on one node:http server on
 * 127.0.0.1, speaking exactly the requests the Gmail poller makes, in Google's documented wire
 * format:
 * - the OAuth token endpoint's JWT bearer grant (POST /token, form-encoded): the assertion's
 *   RS256 signature is checked against the service account's public key (a key pair made here),
 *   its kid, iss, aud, sub, scope, iat/exp (at most an hour); whether domain-wide delegation is
 *   granted for that scope; tokens with a set lifetime, which can be revoked;
 * - Gmail API v1 for one user: users.getProfile, users.labels.list/create, users.history.list
 *   (paged; 404 for a start id older than the kept history), users.messages.list (paged, newest
 *   first), users.messages.get?format=raw, users.messages.modify. A history id grows with every
 *   change, as Gmail's does (with gaps).
 * Errors are Google's JSON: `{"error":"…","error_description":"…"}` from the token endpoint,
 * `{"error":{"code","message","errors":[{"message","domain","reason"}],"status"}}` from Gmail.
 */
import { createHash, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const GMAIL_SCOPE = 'https://www.googleapis.com/auth/gmail.modify';

/** The key file Google Cloud hands out for a service account (Keys → Add key → JSON). */
export interface ServiceAccountKeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}

interface StoredMessage {
  id: string;
  threadId: string;
  raw: Buffer;
  labelIds: Set<string>;
  internalDate: number;
  historyId: number;
}

type HistoryRecord =
  | { id: number; kind: 'messageAdded'; message: { id: string; threadId: string; labelIds: string[] } }
  | { id: number; kind: 'labelAdded' | 'labelRemoved'; message: { id: string; threadId: string; labelIds: string[] }; labelIds: string[] };

interface Throttle {
  status: 429 | 403 | 503;
  reason: string;
  retryAfter?: string;
}

export interface RequestLog {
  method: string;
  /** The Gmail method (users.history.list, …) or `token`. */
  call: string;
  query: Record<string, string[]>;
  status: number;
}

export interface FakeGoogleOptions {
  /** The mailbox that exists in the fake Workspace. */
  mailbox: string;
  /** The fake's clock (a test's manual clock); the poller must sign with the same. */
  now: () => Date;
  /** Results per page of history.list and messages.list (Google's default is 100). */
  pageSize?: number;
  /** Seconds a token lives (Google's: 3599). */
  tokenLifetimeS?: number;
}

export interface FakeGoogle {
  /** For gmail.tokenEndpoint. */
  tokenEndpoint: string;
  /** For gmail.gmailEndpoint. */
  gmailEndpoint: string;
  /** The service account's key file, as JSON text. */
  keyFile: string;
  key: ServiceAccountKeyFile;
  /** Grant or withdraw domain-wide delegation of the gmail.modify scope (granted at start). */
  setDelegation(granted: boolean): void;
  /** Every token issued so far stops working (401 from Gmail). */
  revokeTokens(): void;
  /** Tokens issued so far. */
  tokensIssued(): number;
  /** Mail arrives: a new message with these labels (default INBOX and UNREAD); its id. */
  deliver(raw: Buffer, labelIds?: string[]): string;
  /** The message is deleted for good (emptied from the trash). */
  remove(id: string): void;
  /** A person puts labels on a message (say, moves it back to the inbox). */
  addLabels(id: string, labelIds: string[]): void;
  labelsOf(id: string): string[];
  /** Message ids with this label id, oldest first. */
  withLabel(labelId: string): string[];
  labelId(name: string): string | undefined;
  /** History before now is dropped: a start id from before answers 404. */
  expireHistory(): void;
  /** The next `count` Gmail requests are throttled. */
  throttle(count: number, how: Throttle): void;
  requests(): RequestLog[];
  clearRequests(): void;
  close(): Promise<void>;
}

const SYSTEM_LABELS = ['INBOX', 'SENT', 'DRAFT', 'SPAM', 'TRASH', 'UNREAD', 'STARRED', 'IMPORTANT', 'CATEGORY_PERSONAL', 'CATEGORY_UPDATES'];

export async function startFakeGoogle(options: FakeGoogleOptions): Promise<FakeGoogle> {
  const pageSize = options.pageSize ?? 100;
  const lifetime = options.tokenLifetimeS ?? 3599;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyId = randomBytes(20).toString('hex');
  const clientId = String(100000000000000000000n + BigInt(`0x${randomBytes(6).toString('hex')}`));
  const clientEmail = 'ticketing-poller@northwind-helpdesk.iam.gserviceaccount.com';

  let delegated = true;
  const tokens = new Map<string, { sub: string; expiresAt: number }>();
  let issued = 0;
  const messages = new Map<string, StoredMessage>();
  const labels = new Map<string, { id: string; name: string; type: 'system' | 'user' }>(SYSTEM_LABELS.map((id) => [id, { id, name: id, type: 'system' as const }]));
  let userLabelSeq = 0;
  let historyId = 4_180_000 + Math.floor(Math.random() * 1000);
  let oldestHistory = historyId;
  const history: HistoryRecord[] = [];
  const throttles: Throttle[] = [];
  const log: RequestLog[] = [];
  let msgSeq = 0;

  const nextHistoryId = () => (historyId += 1 + Math.floor(Math.random() * 5));
  const snapshot = (m: StoredMessage) => ({ id: m.id, threadId: m.threadId, labelIds: [...m.labelIds] });
  const changeLabels = (m: StoredMessage, add: string[], remove: string[]) => {
    const added = add.filter((l) => !m.labelIds.has(l));
    const removed = remove.filter((l) => m.labelIds.has(l));
    for (const l of added) m.labelIds.add(l);
    for (const l of removed) m.labelIds.delete(l);
    if (added.length) history.push({ id: nextHistoryId(), kind: 'labelAdded', message: snapshot(m), labelIds: added });
    if (removed.length) history.push({ id: nextHistoryId(), kind: 'labelRemoved', message: snapshot(m), labelIds: removed });
    if (added.length || removed.length) m.historyId = historyId;
  };

  const tokenEndpointPath = '/token';
  let base = '';

  function tokenError(res: ServerResponse, status: number, error: string, description: string) {
    send(res, status, { error, error_description: description });
  }

  function grant(body: URLSearchParams, res: ServerResponse): number {
    if (body.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      tokenError(res, 400, 'unsupported_grant_type', 'Invalid grant_type: ' + (body.get('grant_type') ?? ''));
      return 400;
    }
    const parts = (body.get('assertion') ?? '').split('.');
    if (parts.length !== 3) {
      tokenError(res, 400, 'invalid_request', 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe');
      return 400;
    }
    const [h, p, s] = parts as [string, string, string];
    let header: { alg?: string; kid?: string };
    let claims: { iss?: string; sub?: string; scope?: string; aud?: string; iat?: number; exp?: number };
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    } catch {
      tokenError(res, 400, 'invalid_grant', 'Invalid JWT Signature.');
      return 400;
    }
    const signed = header.alg === 'RS256' && verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'));
    if (!signed || header.kid !== keyId || claims.iss !== clientEmail) {
      tokenError(res, 400, 'invalid_grant', 'Invalid JWT Signature.');
      return 400;
    }
    const now = Math.floor(options.now().getTime() / 1000);
    const { iat, exp } = claims;
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600 || exp <= iat || iat > now + 60 || exp < now) {
      tokenError(res, 400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
      return 400;
    }
    if (claims.aud !== `${base}${tokenEndpointPath}`) {
      tokenError(res, 400, 'invalid_grant', 'Invalid JWT: Failed audience check.');
      return 400;
    }
    if (claims.sub !== options.mailbox) {
      tokenError(res, 400, 'invalid_grant', 'Invalid email or User ID');
      return 400;
    }
    const scopes = (claims.scope ?? '').split(' ');
    if (!delegated || !scopes.includes(GMAIL_SCOPE) || scopes.some((x) => x !== GMAIL_SCOPE)) {
      tokenError(res, 401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.');
      return 401;
    }
    const accessToken = `ya29.fake-${randomBytes(24).toString('base64url')}`;
    tokens.set(accessToken, { sub: claims.sub, expiresAt: now + lifetime });
    issued++;
    send(res, 200, { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' });
    return 200;
  }

  function gmailError(res: ServerResponse, code: number, status: string, reason: string, message: string, headers: Record<string, string> = {}) {
    send(res, code, { error: { code, message, errors: [{ message, domain: reason.endsWith('LimitExceeded') ? 'usageLimits' : 'global', reason }], status } }, headers);
    return code;
  }

  function pageOf<T>(items: T[], token: string | null): { page: T[]; next?: string } {
    const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, '')) : 0;
    const page = items.slice(start, start + pageSize);
    return start + pageSize < items.length ? { page, next: Buffer.from(`offset:${start + pageSize}`).toString('base64url') } : { page };
  }

  async function gmail(req: IncomingMessage, res: ServerResponse, url: URL, rest: string[], body: string): Promise<[string, number]> {
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const held = auth ? tokens.get(auth) : undefined;
    const call = callName(req.method!, rest);
    if (!held || held.expiresAt <= Math.floor(options.now().getTime() / 1000)) {
      send(res, 401, { error: { code: 401, message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }], status: 'UNAUTHENTICATED' } }, { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' });
      return [call, 401];
    }
    const [user, ...path] = rest;
    if (user !== options.mailbox && user !== 'me') return [call, gmailError(res, 403, 'PERMISSION_DENIED', 'forbidden', 'Delegation denied for ' + options.mailbox)];
    const throttle = throttles.shift();
    if (throttle) {
      const message = throttle.status === 429 ? 'Too many concurrent requests for user' : throttle.status === 403 ? 'User-rate limit exceeded.' : 'The service is currently unavailable.';
      const status = throttle.status === 429 ? 'RESOURCE_EXHAUSTED' : throttle.status === 403 ? 'PERMISSION_DENIED' : 'UNAVAILABLE';
      return [call, gmailError(res, throttle.status, status, throttle.reason, message, throttle.retryAfter ? { 'retry-after': throttle.retryAfter } : {})];
    }
    const q = url.searchParams;
    switch (call) {
      case 'users.getProfile':
        send(res, 200, { emailAddress: options.mailbox, messagesTotal: messages.size, threadsTotal: messages.size, historyId: String(historyId) });
        return [call, 200];
      case 'users.labels.list':
        send(res, 200, { labels: [...labels.values()].map((l) => ({ ...l, ...(l.type === 'user' ? { labelListVisibility: 'labelShow', messageListVisibility: 'show' } : {}) })) });
        return [call, 200];
      case 'users.labels.create': {
        const wanted = JSON.parse(body) as { name?: string };
        if (!wanted.name) return [call, gmailError(res, 400, 'INVALID_ARGUMENT', 'invalidArgument', 'Invalid label name')];
        if ([...labels.values()].some((l) => l.name.toLowerCase() === wanted.name!.toLowerCase())) return [call, gmailError(res, 409, 'ALREADY_EXISTS', 'duplicate', 'Label name exists or conflicts')];
        const label = { id: `Label_${++userLabelSeq}`, name: wanted.name, type: 'user' as const };
        labels.set(label.id, label);
        send(res, 200, { ...label, labelListVisibility: 'labelShow', messageListVisibility: 'show' });
        return [call, 200];
      }
      case 'users.history.list': {
        const start = Number(q.get('startHistoryId'));
        if (!q.get('startHistoryId') || Number.isNaN(start)) return [call, gmailError(res, 400, 'INVALID_ARGUMENT', 'invalidArgument', 'Invalid startHistoryId')];
        if (start < oldestHistory) return [call, gmailError(res, 404, 'NOT_FOUND', 'notFound', 'Requested entity was not found.')];
        const types = q.getAll('historyTypes');
        const labelId = q.get('labelId');
        const matching = history.filter((r) => {
          if (r.id <= start || (types.length && !types.includes(r.kind))) return false;
          if (!labelId) return true;
          return r.kind === 'messageAdded' ? r.message.labelIds.includes(labelId) : r.message.labelIds.includes(labelId) || r.labelIds.includes(labelId);
        });
        const { page, next } = pageOf(matching, q.get('pageToken'));
        const records = page.map((r) => ({
          id: String(r.id),
          messages: [{ id: r.message.id, threadId: r.message.threadId }],
          ...(r.kind === 'messageAdded' ? { messagesAdded: [{ message: r.message }] } : r.kind === 'labelAdded' ? { labelsAdded: [{ message: r.message, labelIds: r.labelIds }] } : { labelsRemoved: [{ message: r.message, labelIds: r.labelIds }] }),
        }));
        send(res, 200, { ...(records.length ? { history: records } : {}), ...(next ? { nextPageToken: next } : {}), historyId: String(historyId) });
        return [call, 200];
      }
      case 'users.messages.list': {
        const wanted = q.getAll('labelIds');
        const found = [...messages.values()]
          .filter((m) => wanted.every((l) => m.labelIds.has(l)) && !m.labelIds.has('SPAM') && !m.labelIds.has('TRASH'))
          .sort((a, b) => b.internalDate - a.internalDate);
        const { page, next } = pageOf(found, q.get('pageToken'));
        send(res, 200, { ...(page.length ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}), ...(next ? { nextPageToken: next } : {}), resultSizeEstimate: found.length });
        return [call, 200];
      }
      case 'users.messages.get': {
        const m = messages.get(path[1]!);
        if (!m) return [call, gmailError(res, 404, 'NOT_FOUND', 'notFound', 'Requested entity was not found.')];
        if (q.get('format') !== 'raw') return [call, gmailError(res, 400, 'INVALID_ARGUMENT', 'invalidArgument', 'this fake serves format=raw only')];
        send(res, 200, {
          id: m.id,
          threadId: m.threadId,
          labelIds: [...m.labelIds],
          snippet: '',
          sizeEstimate: m.raw.length,
          historyId: String(m.historyId),
          internalDate: String(m.internalDate),
          raw: m.raw.toString('base64url'),
        });
        return [call, 200];
      }
      case 'users.messages.modify': {
        const m = messages.get(path[1]!);
        if (!m) return [call, gmailError(res, 404, 'NOT_FOUND', 'notFound', 'Requested entity was not found.')];
        const change = JSON.parse(body) as { addLabelIds?: string[]; removeLabelIds?: string[] };
        const unknown = [...(change.addLabelIds ?? []), ...(change.removeLabelIds ?? [])].find((l) => !labels.has(l));
        if (unknown) return [call, gmailError(res, 400, 'INVALID_ARGUMENT', 'invalidArgument', `Invalid label: ${unknown}`)];
        changeLabels(m, change.addLabelIds ?? [], change.removeLabelIds ?? []);
        send(res, 200, snapshot(m));
        return [call, 200];
      }
      default:
        return [call, gmailError(res, 404, 'NOT_FOUND', 'notFound', 'Not Found')];
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', base);
        const query: Record<string, string[]> = {};
        for (const k of new Set(url.searchParams.keys())) query[k] = url.searchParams.getAll(k);
        if (req.method === 'POST' && url.pathname === tokenEndpointPath) {
          const status = grant(new URLSearchParams(body), res);
          log.push({ method: 'POST', call: 'token', query: {}, status });
          return;
        }
        const m = /^\/gmail\/v1\/users\/(.+)$/.exec(url.pathname);
        if (!m) {
          send(res, 404, { error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } });
          return;
        }
        const rest = m[1]!.split('/').map(decodeURIComponent);
        const [call, status] = await gmail(req, res, url, rest, body);
        log.push({ method: req.method!, call, query, status });
      })().catch((err: unknown) => {
        if (!res.headersSent) send(res, 500, { error: { code: 500, message: String(err), status: 'INTERNAL' } });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const key: ServiceAccountKeyFile = {
    type: 'service_account',
    project_id: 'northwind-helpdesk',
    private_key_id: keyId,
    private_key: (privateKey as KeyObject).export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: clientId,
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
    universe_domain: 'googleapis.com',
  };

  return {
    tokenEndpoint: `${base}${tokenEndpointPath}`,
    gmailEndpoint: base,
    key,
    keyFile: JSON.stringify(key, null, 2),
    setDelegation: (granted) => void (delegated = granted),
    revokeTokens: () => tokens.clear(),
    tokensIssued: () => issued,
    deliver(raw, labelIds = ['INBOX', 'UNREAD']) {
      // Gmail's ids are 16 hex digits; their order follows arrival.
      const id = createHash('sha256').update(`${++msgSeq}:${raw.length}:${Math.random()}`).digest('hex').slice(0, 16);
      const m: StoredMessage = { id, threadId: id, raw, labelIds: new Set(labelIds), internalDate: options.now().getTime() + msgSeq, historyId: nextHistoryId() };
      messages.set(id, m);
      history.push({ id: m.historyId, kind: 'messageAdded', message: snapshot(m) });
      return id;
    },
    remove(id) {
      messages.delete(id);
      nextHistoryId();
    },
    addLabels(id, labelIds) {
      changeLabels(messages.get(id)!, labelIds, []);
    },
    labelsOf: (id) => [...(messages.get(id)?.labelIds ?? [])].sort(),
    withLabel: (labelId) => [...messages.values()].filter((m) => m.labelIds.has(labelId)).sort((a, b) => a.internalDate - b.internalDate).map((m) => m.id),
    labelId: (name) => [...labels.values()].find((l) => l.name === name)?.id,
    expireHistory() {
      oldestHistory = nextHistoryId();
      history.length = 0;
    },
    throttle(count, how) {
      for (let i = 0; i < count; i++) throttles.push(how);
    },
    requests: () => [...log],
    clearRequests: () => void (log.length = 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function callName(method: string, rest: string[]): string {
  const [, a, b, c] = rest;
  if (a === 'profile') return 'users.getProfile';
  if (a === 'labels') return method === 'POST' ? 'users.labels.create' : 'users.labels.list';
  if (a === 'history') return 'users.history.list';
  if (a === 'messages' && !b) return 'users.messages.list';
  if (a === 'messages' && b && c === 'modify' && method === 'POST') return 'users.messages.modify';
  if (a === 'messages' && b && !c && method === 'GET') return 'users.messages.get';
  return 'unknown';
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
