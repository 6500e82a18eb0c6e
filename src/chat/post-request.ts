/**
 * One JSON POST to a chat service, and what its answer means: taken (with Slack's ts), refused
 * for now (429 with Retry-After, 5xx, a connection never made), refused for good (4xx, Slack's
 * `ok: false`), or lost on the way (it may have been posted). Never logs or returns the URL of a
 * webhook: the URL is its secret.
 */
import { networkCode, neverSent } from '../aws/sdk-error.js';
import { retryAfterMs } from '../domain/retry-after.js';

export type ChatAnswer =
  | { kind: 'taken'; ts: string | null }
  | { kind: 'retry'; why: string; retryAfterMs: number | null }
  | { kind: 'refused'; why: string }
  | { kind: 'lost'; why: string };

export interface ChatRequest {
  /** What it is, for the words of an answer (`Slack's chat.postMessage`, `the Teams workflow`). */
  service: string;
  url: string;
  body: unknown;
  /** A bot token, for Slack's Web API (whose answers are JSON with `ok`). */
  bearer?: string;
}

const TIMEOUT_MS = 10_000;

export async function postChat(request: ChatRequest, fetchImpl: typeof fetch = fetch, now = Date.now): Promise<ChatAnswer> {
  let res: Response;
  try {
    res = await fetchImpl(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...(request.bearer ? { authorization: `Bearer ${request.bearer}` } : {}) },
      body: JSON.stringify(request.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const code = networkCode(err);
    return neverSent(code) ? { kind: 'retry', why: `could not reach ${request.service}: ${code}`, retryAfterMs: null } : { kind: 'lost', why: `${request.service} did not answer (${code}): the message may have been posted` };
  }
  // Slack's answer echoes the message, blocks and all: read whole, cut only where it is quoted.
  const text = await res.text().catch(() => '');
  if (res.status === 429) return { kind: 'retry', why: `${request.service} is rate-limiting us (429)`, retryAfterMs: retryAfterMs(res.headers.get('retry-after'), now()) };
  if (res.status >= 500) return { kind: 'retry', why: `${request.service} answered ${res.status}${detail(text)}`, retryAfterMs: retryAfterMs(res.headers.get('retry-after'), now()) };
  if (res.status >= 300) return { kind: 'refused', why: `${request.service} refused the message: ${res.status}${detail(text)}${hint(res.status)}` };
  if (!request.bearer) return { kind: 'taken', ts: null };
  // Slack's Web API answers 200 with `ok: false` and an error code for what it refuses.
  let json: { ok?: unknown; error?: unknown; ts?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    return { kind: 'lost', why: `${request.service} answered 200 with something that is not JSON: the message may have been posted` };
  }
  if (json.ok === true) return { kind: 'taken', ts: typeof json.ts === 'string' ? json.ts : null };
  const error = typeof json.error === 'string' ? json.error : 'unknown_error';
  if (error === 'ratelimited') return { kind: 'retry', why: `${request.service} is rate-limiting us (ratelimited)`, retryAfterMs: retryAfterMs(res.headers.get('retry-after'), now()) };
  return { kind: 'refused', why: `${request.service} refused the message: ${error}${SLACK_HINTS[error] ? ` (${SLACK_HINTS[error]})` : ''}` };
}

function detail(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat ? ` (${flat.slice(0, 200)})` : '';
}

function hint(status: number): string {
  if (status === 404 || status === 410) return ': the webhook no longer exists (it was removed or its workflow turned off); make a new one and update the secret';
  if (status === 401 || status === 403) return ': the webhook refuses us; check that its URL in the config or secret is complete';
  return '';
}

/** What an admin does about Slack's commonest refusals (Slack's chat.postMessage error list). */
const SLACK_HINTS: Record<string, string> = {
  invalid_auth: 'the bot token is wrong or was revoked: reinstall the app and update the secret',
  not_authed: 'no bot token was sent',
  account_inactive: 'the bot token belongs to an app that was uninstalled',
  channel_not_found: 'check chat.slack.channel: it must be the channel id (C…), and the channel must exist',
  not_in_channel: 'invite the app to the channel: /invite @your-app in that channel',
  is_archived: 'the channel is archived',
  missing_scope: 'the app needs the chat:write scope',
  invalid_blocks: 'our message did not pass Slack\'s checks: please report this as a bug',
  msg_too_long: 'the message was too long',
};
