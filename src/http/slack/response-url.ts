/**
 * Slack's response_url: where the result of a press is told, as a message only the presser sees.
 * The URL comes in the payload, so it is checked before anything is sent to it: only Slack's own
 * hooks.slack.com over https, or a loopback http URL when Slack's API is itself a local stand-in
 * (chat.slack.apiUrl on 127.0.0.1). Anything else is refused: we never POST where a payload says.
 */
import { isLoopbackHttp } from '../../chat/config.js';
import { postChat } from '../../chat/post-request.js';
import type { SlackAnswer } from './ticket-blocks.js';

export type ResponseUrlCheck = { ok: true; url: string } | { ok: false; why: string };

export function checkResponseUrl(url: string | null, apiUrl: string): ResponseUrlCheck {
  if (!url) return { ok: false, why: 'the payload has no response_url' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, why: 'its response_url is not a URL' };
  }
  const slacks = parsed.protocol === 'https:' && parsed.hostname === 'hooks.slack.com' && parsed.port === '' && !parsed.username && !parsed.password;
  if (slacks) return { ok: true, url: parsed.href };
  if (isLoopbackHttp(apiUrl) && isLoopbackHttp(parsed.href) && !parsed.username && !parsed.password) return { ok: true, url: parsed.href };
  return { ok: false, why: `its response_url is not on https://hooks.slack.com/ (it points at ${parsed.protocol}//${parsed.host})` };
}

/** Posts the answer; a failure is said in words (the URL itself is a secret of sorts and is not repeated). */
export async function postToResponseUrl(url: string, answer: SlackAnswer): Promise<{ ok: true } | { ok: false; why: string }> {
  const posted = await postChat({ service: "Slack's response_url", url, body: { ...answer, replace_original: false } });
  return posted.kind === 'taken' ? { ok: true } : { ok: false, why: posted.why };
}
