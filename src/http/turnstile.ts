/**
 * Cloudflare Turnstile, verified on our side (siteverify): the widget's token alone proves
 * nothing until Cloudflare confirms it for our secret. Optional (web.form.turnstile).
 */
export type TurnstileVerdict = { ok: true } | { ok: false; why: string };

export async function verifyTurnstile(token: unknown, turnstile: { secretKey: string; verifyUrl: string }, remoteIp: string): Promise<TurnstileVerdict> {
  const { secretKey: secret, verifyUrl: url } = turnstile;
  if (typeof token !== 'string' || !token || token.length > 2048) return { ok: false, why: 'the form came without the human check' };
  let answer: { success?: unknown; 'error-codes'?: unknown };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ secret, response: token, remoteip: remoteIp }),
      signal: AbortSignal.timeout(5000),
    });
    answer = (await response.json()) as typeof answer;
  } catch (err) {
    return { ok: false, why: `the human check could not be confirmed (${(err as Error).message})` };
  }
  if (answer.success === true) return { ok: true };
  const codes = Array.isArray(answer['error-codes']) ? answer['error-codes'].join(', ') : 'no reason given';
  return { ok: false, why: `the human check failed (${codes})` };
}
