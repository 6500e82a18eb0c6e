/**
 * A stand-in for Slack and Microsoft Teams on 127.0.0.1, in their documented wire formats, that
 * takes a post only when the payload passes the vendors' checks (chat-schemas.ts):
 *
 * - Slack incoming webhook: POST JSON; 200 `ok`, or 400 with a plain-text code such as
 *   `invalid_blocks`, `no_text`, `invalid_payload`; 404 `no_service` for an unknown hook
 *   (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks#handling-errors).
 * - Slack Web API at `${url}/slack/api/METHOD` (https://docs.slack.dev/apis/web-api/): always
 *   HTTP 200 with `{ ok, error }` except rate limits (429 + Retry-After, `ratelimited`); a bearer
 *   token in Authorization (or `token` in a form body). chat.postMessage / chat.update take JSON
 *   (https://docs.slack.dev/reference/methods/chat.postMessage, …/chat.update); users.info takes
 *   a query or a form body and leaves `profile.email` out when the token lacks users:read.email
 *   (https://docs.slack.dev/reference/methods/users.info).
 * - An interactive payload's response_url: POST JSON, 200 `ok`
 *   (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses).
 * - Teams Workflows "When a Teams webhook request is received" trigger: POST
 *   `{ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }] }`,
 *   202 Accepted (https://learn.microsoft.com/en-us/connectors/teams/#microsoft-teams-webhook).
 *   The real trigger answers 202 before its flow runs, so a bad card only fails the flow run;
 *   this fake refuses it at once (400) so a test sees it.
 *
 * Refused payloads go to `rejected` (tests assert it stays empty); `failNext` queues answers
 * (429 with Retry-After, 5xx) served before normal handling, for retry tests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateSlackMessage, validateTeamsMessage } from './chat-schemas.js';

export type PostKind = 'slack-webhook' | 'slack-api' | 'teams' | 'slack-response';
export type FailableKind = 'slack-webhook' | 'slack-api' | 'teams';

export interface ReceivedPost {
  kind: PostKind;
  body: any;
  /** slack-api: the Web API method (chat.postMessage or chat.update). */
  method?: 'chat.postMessage' | 'chat.update';
  channel?: string;
  ts?: string;
  threadTs?: string | null;
}

export interface QueuedAnswer {
  status: number;
  /** Seconds, sent as the Retry-After header. */
  retryAfter?: number;
  /** Default: what the service says for that status (Slack's `ratelimited` JSON for a Web API 429). */
  body?: string;
}

export interface FakeChat {
  url: string;
  slackWebhookUrl: string;
  slackApiUrl: string;
  teamsWebhookUrl: string;
  responseUrl: string;
  /** The only token the Web API accepts. */
  botToken: string;
  /** Every accepted post, in order. */
  posts: ReceivedPost[];
  /** Posts refused because the payload is invalid. */
  rejected: { kind: string; reason: string; body: unknown }[];
  /** Slack user id -> profile, for users.info (email null: the token cannot see it). */
  users: Map<string, { email: string | null; realName: string }>;
  failNext(kind: FailableKind, answers: QueuedAnswer[]): void;
  /** All requests seen, failed and refused ones included (to count retries). */
  requests: number;
  close(): Promise<void>;
}

const WEBHOOK_PATH = '/slack/hooks/services/T000/B000/XXXX';
const TEAMS_PATH = '/teams/workflows/abc';
const RESPONSE_PATH = '/slack/response/1';
const API_PREFIX = '/slack/api/';
const MAX_BODY = 1024 * 1024;

export async function startFakeChat(): Promise<FakeChat> {
  const botToken = 'xoxb-000000000000-000000000000-fakechatbottoken';
  const posts: ReceivedPost[] = [];
  const rejected: FakeChat['rejected'] = [];
  const users = new Map<string, { email: string | null; realName: string }>();
  const queued = new Map<FailableKind, QueuedAnswer[]>();
  /** channel -> ts of its messages, for chat.update. */
  const messages = new Map<string, Set<string>>();
  const tsBase = Math.floor(Date.now() / 1000);
  let tsCount = 0;
  const nextTs = () => `${tsBase + Math.floor(tsCount / 10_000)}.${String((++tsCount % 10_000) * 100).padStart(6, '0')}`;

  const state = { requests: 0 };

  function send(res: ServerResponse, status: number, body: string | object, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
    res.writeHead(status, { 'content-type': type, ...headers });
    res.end(text);
  }

  function kindOf(path: string): FailableKind | 'slack-response' | null {
    if (path === WEBHOOK_PATH) return 'slack-webhook';
    if (path === TEAMS_PATH) return 'teams';
    if (path === RESPONSE_PATH) return 'slack-response';
    if (path.startsWith(API_PREFIX)) return 'slack-api';
    return null;
  }

  function serveQueued(kind: FailableKind, res: ServerResponse): boolean {
    const answer = queued.get(kind)?.shift();
    if (!answer) return false;
    const headers: Record<string, string> = answer.retryAfter !== undefined ? { 'retry-after': String(answer.retryAfter) } : {};
    if (answer.body !== undefined) send(res, answer.status, answer.body, headers);
    else if (kind === 'slack-api' && answer.status === 429) send(res, 429, { ok: false, error: 'ratelimited' }, headers);
    else if (kind === 'slack-webhook' && answer.status === 429) send(res, 429, 'rate_limited', headers);
    else send(res, answer.status, answer.status >= 500 ? 'service unavailable' : '', headers);
    return true;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    state.requests++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const kind = kindOf(url.pathname);
    if (!kind) return send(res, 404, 'no_service');
    if (kind !== 'slack-response' && serveQueued(kind, res)) return;
    const raw = await readBody(req);
    if (raw === null) return send(res, 413, 'payload too large');
    if (kind === 'slack-api') return slackApi(url, req, raw, res);
    if (req.method !== 'POST') return send(res, 405, 'method not allowed');
    const body = parseJson(raw);
    if (kind === 'teams') return teams(body, res);
    return slackPlainPost(kind, body, res);
  }

  /** Incoming webhook and response_url: plain-text answers. */
  function slackPlainPost(kind: 'slack-webhook' | 'slack-response', body: unknown, res: ServerResponse): void {
    if (body === undefined) return refuse(kind, 'invalid_payload', 'the body is not JSON', null, res, 400);
    const b = body as Record<string, unknown>;
    if (typeof b !== 'object' || b === null || (b.text === undefined && b.blocks === undefined)) return refuse(kind, 'no_text', 'no text and no blocks', body, res, 400);
    const problems = validateSlackMessage(body);
    if (problems.length) return refuse(kind, 'invalid_blocks', problems.join('; '), body, res, 400);
    posts.push({ kind, body });
    send(res, 200, 'ok');
  }

  function refuse(kind: string, code: string, reason: string, body: unknown, res: ServerResponse, status: number): void {
    rejected.push({ kind, reason: `${code}: ${reason}`, body });
    send(res, status, code);
  }

  function teams(body: unknown, res: ServerResponse): void {
    if (body === undefined) {
      rejected.push({ kind: 'teams', reason: 'the body is not JSON', body: null });
      return send(res, 400, { error: { code: 'InvalidRequestContent', message: 'The request content is not valid JSON.' } });
    }
    const problems = validateTeamsMessage(body);
    if (problems.length) {
      rejected.push({ kind: 'teams', reason: problems.join('; '), body });
      return send(res, 400, { error: { code: 'InvalidRequestContent', message: problems.join('; ') } });
    }
    posts.push({ kind: 'teams', body });
    send(res, 202, '');
  }

  function slackApi(url: URL, req: IncomingMessage, rawBody: string, res: ServerResponse): void {
    const method = url.pathname.slice(API_PREFIX.length);
    const contentType = String(req.headers['content-type'] ?? '');
    const form = contentType.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(rawBody) : null;
    const json = contentType.startsWith('application/json') ? (parseJson(rawBody) as Record<string, any> | undefined) : undefined;
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? form?.get('token') ?? url.searchParams.get('token');
    const ok = (fields: object) => send(res, 200, { ok: true, ...fields });
    const fail = (error: string, fields: object = {}) => send(res, 200, { ok: false, error, ...fields });
    if (!bearer) return fail('not_authed');
    if (bearer !== botToken) return fail('invalid_auth');

    if (method === 'users.info') {
      const id = form?.get('user') ?? url.searchParams.get('user') ?? json?.user;
      const user = typeof id === 'string' ? users.get(id) : undefined;
      if (!user || typeof id !== 'string') return fail('user_not_found');
      const profile: Record<string, string> = { real_name: user.realName, display_name: user.realName };
      if (user.email !== null) profile.email = user.email;
      return ok({ user: { id, name: user.realName.toLowerCase().replace(/\s+/g, '.'), real_name: user.realName, deleted: false, is_bot: false, profile } });
    }
    if (method !== 'chat.postMessage' && method !== 'chat.update') return send(res, 404, { ok: false, error: 'unknown_method' });
    if (req.method !== 'POST') return fail('invalid_request_data');
    if (!json) {
      rejected.push({ kind: 'slack-api', reason: `invalid_json: ${method} wants a JSON body with content-type application/json`, body: rawBody });
      return fail('invalid_json');
    }
    const channel = json.channel;
    if (typeof channel !== 'string' || channel === '') return fail('channel_not_found');
    if (json.text === undefined && json.blocks === undefined) {
      rejected.push({ kind: 'slack-api', reason: 'no_text: no text and no blocks', body: json });
      return fail('no_text');
    }
    const problems = validateSlackMessage(json);
    if (problems.length) {
      rejected.push({ kind: 'slack-api', reason: `invalid_blocks: ${problems.join('; ')}`, body: json });
      return fail('invalid_blocks', { errors: problems });
    }
    const known = messages.get(channel) ?? new Set<string>();
    messages.set(channel, known);
    const threadTs = typeof json.thread_ts === 'string' ? json.thread_ts : null;
    if (method === 'chat.update') {
      if (typeof json.ts !== 'string' || !known.has(json.ts)) return fail('message_not_found');
      posts.push({ kind: 'slack-api', method, body: json, channel, ts: json.ts, threadTs: null });
      return ok({ channel, ts: json.ts, text: json.text, message: { type: 'message', text: json.text, blocks: json.blocks, user: 'U0FAKEBOT', bot_id: 'B0FAKEBOT' } });
    }
    const ts = nextTs();
    known.add(ts);
    posts.push({ kind: 'slack-api', method, body: json, channel, ts, threadTs });
    return ok({
      channel,
      ts,
      message: { type: 'message', subtype: 'bot_message', text: json.text, blocks: json.blocks, user: 'U0FAKEBOT', bot_id: 'B0FAKEBOT', ts, ...(threadTs ? { thread_ts: threadTs } : {}) },
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 500, `fake chat failed: ${err.message}`);
      else res.destroy(err);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    slackWebhookUrl: `${url}${WEBHOOK_PATH}`,
    slackApiUrl: `${url}/slack/api`,
    teamsWebhookUrl: `${url}${TEAMS_PATH}`,
    responseUrl: `${url}${RESPONSE_PATH}`,
    botToken,
    posts,
    rejected,
    users,
    failNext(kind, answers) {
      queued.set(kind, [...(queued.get(kind) ?? []), ...answers]);
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooBig = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
