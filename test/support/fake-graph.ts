/**
 * A stand-in for Microsoft Graph v1.0 on 127.0.0.1, serving exactly the requests src/graph/
 * makes, in Graph's documented wire format: mailFolders (get a well-known folder, list, list
 * childFolders, create), the messages delta query (pages with @odata.nextLink, a final
 * @odata.deltaLink, @removed entries), a message's MIME (`/$value`), move, and sendMail with
 * base64 MIME. Errors are `{ error: { code, message } }`.
 *
 * Ids behave as Exchange's do: a message's REST id changes when it moves, unless the request
 * says `Prefer: IdType="ImmutableId"`; then the id it is given stays for its life. Every request
 * needs a bearer token the `acceptToken` check takes (else 401 InvalidAuthenticationToken).
 *
 * On demand: 429 with Retry-After (`throttle`), expired delta tokens (`expireDeltaTokens`: 410
 * Gone, or 400 syncStateNotFound), and a failure of any request (`failNext`).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGraphOptions {
  /** The support mailbox (its user principal name). */
  mailbox: string;
  /** Whether a bearer token is good (the fake identity server's, or a test's own). */
  acceptToken(token: string): boolean | Promise<boolean>;
  /** Most messages per delta page, whatever the client prefers (Graph's own default is 10). */
  pageSize?: number;
}

export interface FakeRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  status: number;
  prefer: string;
  /** The bearer token it carried. */
  token: string | null;
}

interface Folder {
  id: string;
  displayName: string;
  parent: string | null;
  wellKnown?: string;
}

interface Message {
  immutableId: string;
  restId: string;
  folder: string;
  raw: Buffer;
}

/** A change to a folder's contents, for the delta query. */
interface Change {
  seq: number;
  folder: string;
  message: string;
}

interface Round {
  id: string;
  entries: Array<{ id: string; removed: boolean }>;
  /** Where this round's deltaLink starts the next one. */
  seq: number;
  folder: string;
  generation: number;
}

export interface FakeGraph {
  /** The endpoint to configure as graph.graphEndpoint. */
  url: string;
  /** A folder an admin made under the mailbox root; its id. */
  createFolder(name: string): string;
  /** A mail arriving in a folder (a path of display names or a well-known name); its immutable id. */
  deliver(folder: string, raw: Buffer): string;
  /** Immutable ids of the messages in a folder, oldest first. */
  list(folder: string): string[];
  /** A person moves a message (e.g. back to the inbox). */
  move(id: string, folder: string): void;
  /** A person deletes a message. */
  remove(id: string): void;
  folderNames(): string[];
  /** The next `times` requests matching `match` answer 429 with this Retry-After. */
  throttle(times: number, retryAfterSeconds: number, match?: (method: string, path: string) => boolean): void;
  /** The next request matching `match` fails with this status and Graph error code. */
  failNext(match: (method: string, path: string) => boolean, status: number, code: string): void;
  /** Every delta token issued so far dies: 'gone' answers 410 with a Location, 'syncStateNotFound' a 400. */
  expireDeltaTokens(how: 'gone' | 'syncStateNotFound'): void;
  /** What sendMail took, decoded from base64. */
  sent: Buffer[];
  requests: FakeRequest[];
  close(): Promise<void>;
}

const WELL_KNOWN = ['inbox', 'drafts', 'sentitems', 'deleteditems', 'junkemail', 'archive', 'outbox'];
const DISPLAY: Record<string, string> = { inbox: 'Inbox', drafts: 'Drafts', sentitems: 'Sent Items', deleteditems: 'Deleted Items', junkemail: 'Junk Email', archive: 'Archive', outbox: 'Outbox' };

export async function startFakeGraph(options: FakeGraphOptions): Promise<FakeGraph> {
  const pageSize = options.pageSize ?? 10;
  const folders = new Map<string, Folder>();
  const messages = new Map<string, Message>();
  const changes: Change[] = [];
  const rounds = new Map<string, Round>();
  const throttles: Array<{ left: number; seconds: number; match: (m: string, p: string) => boolean }> = [];
  const failures: Array<{ match: (m: string, p: string) => boolean; status: number; code: string }> = [];
  const sent: Buffer[] = [];
  const requests: FakeRequest[] = [];
  let seq = 0;
  let generation = 0;
  let expiry: 'gone' | 'syncStateNotFound' = 'gone';

  const newId = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}=`;
  const root: Folder = { id: newId('AQMkADRoot'), displayName: 'Top of Information Store', parent: null, wellKnown: 'msgfolderroot' };
  folders.set(root.id, root);
  for (const name of WELL_KNOWN) {
    const f: Folder = { id: newId('AQMkADFolder'), displayName: DISPLAY[name]!, parent: root.id, wellKnown: name };
    folders.set(f.id, f);
  }

  const byWellKnown = (name: string) => [...folders.values()].find((f) => f.wellKnown === name.toLowerCase());
  const folderByPath = (path: string): Folder => {
    const parts = path.split('/').filter(Boolean);
    let at: Folder | undefined = byWellKnown(parts[0]!) ?? [...folders.values()].find((f) => f.parent === root.id && f.displayName.toLowerCase() === parts[0]!.toLowerCase());
    for (const part of parts.slice(1)) at = [...folders.values()].find((f) => f.parent === at?.id && f.displayName.toLowerCase() === part.toLowerCase());
    if (!at) throw new Error(`fake graph: no folder ${path}`);
    return at;
  };
  const record = (folder: string, message: string) => changes.push({ seq: ++seq, folder, message });
  const place = (m: Message, folder: string) => {
    if (m.folder === folder) return;
    record(m.folder, m.immutableId);
    m.folder = folder;
    m.restId = newId('AAMkADRest');
    record(folder, m.immutableId);
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { code: 'generalException', message: String(err) } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const prefer = String(req.headers.prefer ?? '');
    const auth = String(req.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : null;
    const entry: FakeRequest = { method, url: `${url.pathname}${url.search}`, status: 0, prefer, token };
    requests.push(entry);
    const reply = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      send(res, status, json, headers);
    };

    if (!token || !(await options.acceptToken(token))) {
      return reply(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' } }, { 'www-authenticate': 'Bearer realm=""' });
    }
    const throttle = throttles.find((t) => t.left > 0 && t.match(method, url.pathname));
    if (throttle) {
      throttle.left--;
      return reply(429, { error: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' } }, { 'retry-after': String(throttle.seconds) });
    }
    const failure = failures.findIndex((f) => f.match(method, url.pathname));
    if (failure >= 0) {
      const f = failures.splice(failure, 1)[0]!;
      return reply(f.status, { error: { code: f.code, message: `injected ${f.code}` } });
    }

    const match = /^\/v1\.0\/users\/([^/]+)(\/.*)$/.exec(url.pathname);
    if (!match) return reply(400, { error: { code: 'BadRequest', message: `Invalid request ${url.pathname}` } });
    const user = decodeURIComponent(match[1]!);
    if (user.toLowerCase() !== options.mailbox.toLowerCase()) {
      return reply(404, { error: { code: 'ErrorInvalidUser', message: `The requested user '${user}' is invalid.` } });
    }
    const path = match[2]!;
    const immutable = /IdType="ImmutableId"/i.test(prefer);
    const idOf = (m: Message) => (immutable ? m.immutableId : m.restId);
    const findMessage = (id: string) => [...messages.values()].find((m) => (immutable ? m.immutableId : m.restId) === id);
    const folderRef = (ref: string) => byWellKnown(ref) ?? folders.get(ref);
    const folderJson = (f: Folder) => ({
      id: f.id,
      displayName: f.displayName,
      parentFolderId: f.parent,
      childFolderCount: [...folders.values()].filter((c) => c.parent === f.id).length,
      totalItemCount: [...messages.values()].filter((m) => m.folder === f.id).length,
      unreadItemCount: 0,
      isHidden: false,
    });
    const notFound = () => reply(404, { error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' } });
    const base = `http://${req.headers.host}/v1.0/users/${match[1]}`;

    let m: RegExpExecArray | null;
    // GET /mailFolders/{id}/messages/delta[?$deltatoken=…|$skiptoken=…], or mailFolders('{id}')/…, the form Graph's links take
    if (method === 'GET' && (m = /^\/mailFolders(?:\/([^/(][^/]*)|\('([^']+)'\))\/messages\/delta$/.exec(path))) {
      const folder = folderRef(decodeURIComponent(m[1] ?? m[2]!));
      if (!folder) return notFound();
      const skip = url.searchParams.get('$skiptoken');
      const delta = url.searchParams.get('$deltatoken');
      const lost = () => reply(400, { error: { code: 'syncStateNotFound', message: 'The sync state generation is not found.' } });
      let round: Round | undefined;
      let offset = 0;
      if (skip) {
        const [roundId, at] = skip.split('.');
        round = rounds.get(roundId!);
        offset = Number(at);
        if (!round || round.generation !== generation) return lost();
      } else {
        let since: number | null = null;
        if (delta) {
          const [gen, at] = Buffer.from(delta, 'base64url').toString('utf8').split(':');
          if (Number(gen) !== generation) {
            // "Use delta query", Synchronization reset: 410 with a Location for a full sync; or a 40X syncStateNotFound.
            if (expiry === 'syncStateNotFound') return lost();
            return reply(410, { error: { code: 'resyncRequired', message: 'Resync is required.' } }, { location: `${base}/mailFolders/${folder.id}/messages/delta?$deltatoken=` });
          }
          since = Number(at);
        }
        round = { id: randomBytes(8).toString('hex'), entries: roundEntries(folder.id, since, immutable), seq, folder: folder.id, generation };
        rounds.set(round.id, round);
      }
      const asked = /odata\.maxpagesize=(\d+)/.exec(prefer);
      const size = Math.min(pageSize, asked ? Number(asked[1]) : pageSize);
      const value = round.entries
        .slice(offset, offset + size)
        .map((e) => (e.removed ? { '@odata.type': '#microsoft.graph.message', id: e.id, '@removed': { reason: 'deleted' } } : { '@odata.type': '#microsoft.graph.message', '@odata.etag': 'W/"CQAAABYAAAA"', id: e.id }));
      const link =
        offset + size < round.entries.length
          ? { '@odata.nextLink': `${base}/mailFolders('${round.folder}')/messages/delta?$skiptoken=${round.id}.${offset + size}` }
          : { '@odata.deltaLink': `${base}/mailFolders('${round.folder}')/messages/delta?$deltatoken=${Buffer.from(`${round.generation}:${round.seq}`).toString('base64url')}` };
      return reply(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(message)', ...link, value });
    }
    // GET /mailFolders/{wellKnown|id}
    if (method === 'GET' && (m = /^\/mailFolders\/([^/]+)$/.exec(path))) {
      const folder = folderRef(decodeURIComponent(m[1]!));
      return folder ? reply(200, folderJson(folder)) : notFound();
    }
    // GET /mailFolders, /mailFolders/{id}/childFolders (with $top and $skip paging)
    if ((m = /^\/mailFolders(?:\/([^/]+)\/childFolders)?$/.exec(path))) {
      const parent = m[1] ? folderRef(decodeURIComponent(m[1])) : root;
      if (!parent) return notFound();
      if (method === 'POST') {
        const { displayName } = JSON.parse(body.toString('utf8')) as { displayName?: string };
        if (!displayName) return reply(400, { error: { code: 'ErrorInvalidRequest', message: 'displayName is required.' } });
        if ([...folders.values()].some((f) => f.parent === parent.id && f.displayName.toLowerCase() === displayName.toLowerCase())) {
          return reply(409, { error: { code: 'ErrorFolderExists', message: 'A folder with the specified name already exists.' } });
        }
        const f: Folder = { id: newId('AQMkADFolder'), displayName, parent: parent.id };
        folders.set(f.id, f);
        return reply(201, folderJson(f));
      }
      const all = [...folders.values()].filter((f) => f.parent === parent.id);
      const top = Number(url.searchParams.get('$top') ?? 10);
      const skip = Number(url.searchParams.get('$skip') ?? 0);
      const next = new URL(`${base}${path}${url.search}`);
      next.searchParams.set('$skip', String(skip + top));
      return reply(200, { value: all.slice(skip, skip + top).map(folderJson), ...(skip + top < all.length ? { '@odata.nextLink': next.toString() } : {}) });
    }
    // GET /messages/{id}/$value
    if (method === 'GET' && (m = /^\/messages\/([^/]+)\/\$value$/.exec(path))) {
      const message = findMessage(decodeURIComponent(m[1]!));
      if (!message) return notFound();
      entry.status = 200;
      res.writeHead(200, { 'content-type': 'text/plain', 'request-id': randomBytes(8).toString('hex') });
      res.end(message.raw);
      return;
    }
    // POST /messages/{id}/move
    if (method === 'POST' && (m = /^\/messages\/([^/]+)\/move$/.exec(path))) {
      const message = findMessage(decodeURIComponent(m[1]!));
      if (!message) return notFound();
      const { destinationId } = JSON.parse(body.toString('utf8')) as { destinationId?: string };
      const to = destinationId ? folderRef(destinationId) : undefined;
      if (!to) return reply(404, { error: { code: 'ErrorItemNotFound', message: 'The destination folder was not found.' } });
      place(message, to.id);
      return reply(201, { '@odata.type': '#microsoft.graph.message', id: idOf(message), parentFolderId: to.id });
    }
    // POST /sendMail, MIME as base64 text/plain
    if (method === 'POST' && path === '/sendMail') {
      if (!/^text\/plain/i.test(String(req.headers['content-type']))) {
        return reply(400, { error: { code: 'ErrorInvalidRequest', message: 'This fake takes MIME content only (Content-Type: text/plain).' } });
      }
      const text = body.toString('latin1').replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0 || text.length === 0) {
        return reply(400, { error: { code: 'ErrorMimeContentInvalidBase64String', message: 'Invalid base64 string for MIME content.' } });
      }
      sent.push(Buffer.from(text, 'base64'));
      return reply(202, undefined, { 'request-id': randomBytes(16).toString('hex') });
    }
    return reply(400, { error: { code: 'BadRequest', message: `Unsupported request ${method} ${path}` } });
  }

  /** A delta round: every message in the folder (since === null), or what changed after `since`. */
  function roundEntries(folder: string, since: number | null, immutable: boolean): Round['entries'] {
    const idFor = (m: Message) => (immutable ? m.immutableId : m.restId);
    if (since === null) {
      return [...messages.values()].filter((m) => m.folder === folder).map((m) => ({ id: idFor(m), removed: false }));
    }
    const touched = [...new Set(changes.filter((c) => c.seq > since && c.folder === folder).map((c) => c.message))];
    return touched.map((id) => {
      const message = messages.get(id) ?? null;
      const present = message !== null && message.folder === folder;
      return { id: message ? idFor(message) : id, removed: !present };
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    createFolder(name) {
      const f: Folder = { id: newId('AQMkADFolder'), displayName: name, parent: root.id };
      folders.set(f.id, f);
      return f.id;
    },
    deliver(folder, raw) {
      const m: Message = { immutableId: newId('AAkALgAAImm'), restId: newId('AAMkADRest'), folder: folderByPath(folder).id, raw };
      messages.set(m.immutableId, m);
      record(m.folder, m.immutableId);
      return m.immutableId;
    },
    list(folder) {
      const id = folderByPath(folder).id;
      return [...messages.values()].filter((m) => m.folder === id).map((m) => m.immutableId);
    },
    move(id, folder) {
      const m = messages.get(id);
      if (!m) throw new Error(`fake graph: no message ${id}`);
      place(m, folderByPath(folder).id);
    },
    remove(id) {
      const m = messages.get(id);
      if (!m) return;
      messages.delete(id);
      record(m.folder, id);
    },
    folderNames: () => [...folders.values()].filter((f) => f.parent === root.id).map((f) => f.displayName),
    throttle(times, seconds, match = () => true) {
      throttles.push({ left: times, seconds, match });
    },
    failNext(match, status, code) {
      failures.push({ match, status, code });
    },
    expireDeltaTokens(how) {
      expiry = how;
      generation++;
    },
    sent,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  const text = json === undefined ? '' : JSON.stringify(json);
  res.writeHead(status, { ...(text ? { 'content-type': 'application/json' } : {}), 'request-id': randomBytes(16).toString('hex'), ...headers });
  res.end(text);
}
