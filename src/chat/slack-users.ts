/**
 * Who a Slack user is, by the email on their Slack profile: Slack's users.info (the bot token
 * needs users:read, and users:read.email for the email). The HTTP app maps the person who pressed
 * a button or typed /ticket to a staff address this way, never by a name or email the request
 * itself carries. Answers are kept a few minutes per process: one press is one lookup at most.
 */
import { emailSchema } from '../domain/addresses.js';

/** What Slack says about a user: their profile's email, or why there is none to go by (words to that user). */
export type SlackUserEmail = { kind: 'email'; email: string } | { kind: 'none'; why: string };

export class SlackUsersError extends Error {
  override name = 'SlackUsersError';
}

export interface SlackUserDirectoryOptions {
  /** Slack's Web API (chat.slack.apiUrl). */
  apiUrl: string;
  botToken: string;
  now?: () => number;
  fetch?: typeof fetch;
  /** How long an answer is kept. */
  keepMs?: number;
}

export interface SlackUserDirectory {
  /** The user's profile email; throws SlackUsersError when Slack cannot be asked or refuses the app. */
  emailOf(userId: string): Promise<SlackUserEmail>;
}

const KEEP_MS = 5 * 60_000;
const TIMEOUT_MS = 2_000;
const USER_ID = /^[UW][A-Z0-9]{2,30}$/;
/** users.info's own errors that are about the user, not about our app. */
const USER_ERRORS: Record<string, string> = {
  user_not_found: 'Slack did not find your account',
  user_not_visible: 'your Slack account is not visible to the app',
};

export function slackUserDirectory(options: SlackUserDirectoryOptions): SlackUserDirectory {
  const { apiUrl, botToken, now = Date.now, fetch: fetchImpl = fetch, keepMs = KEEP_MS } = options;
  const kept = new Map<string, { answer: SlackUserEmail; until: number }>();

  async function ask(userId: string): Promise<SlackUserEmail> {
    let res: Response;
    try {
      res = await fetchImpl(`${apiUrl}/users.info?user=${encodeURIComponent(userId)}`, {
        headers: { authorization: `Bearer ${botToken}` },
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new SlackUsersError(`Slack's users.info could not be reached: ${(err as Error).message}`, { cause: err });
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) throw new SlackUsersError(`Slack's users.info answered ${res.status}`);
    let json: SlackUsersInfoAnswer;
    try {
      json = JSON.parse(text) as SlackUsersInfoAnswer;
    } catch {
      throw new SlackUsersError("Slack's users.info answered with something that is not JSON");
    }
    if (json.ok !== true) {
      const error = typeof json.error === 'string' ? json.error : 'unknown_error';
      if (USER_ERRORS[error]) return { kind: 'none', why: USER_ERRORS[error]! };
      if (error === 'missing_scope') throw new SlackUsersError(`Slack's users.info refused the bot token: missing_scope (the app needs ${typeof json.needed === 'string' ? json.needed : 'users:read and users:read.email'})`);
      throw new SlackUsersError(`Slack's users.info refused: ${error}`);
    }
    const user = json.user;
    if (!user || user.id !== userId) throw new SlackUsersError(`Slack's users.info answered about another user than ${userId}`);
    if (user.deleted === true) return { kind: 'none', why: 'your Slack account is deactivated' };
    if (user.is_bot === true) return { kind: 'none', why: 'your Slack account is a bot' };
    const email = user.profile?.email;
    if (typeof email !== 'string' || !email) return { kind: 'none', why: 'Slack did not share your email address: the app needs the users:read.email scope' };
    if (user.is_email_confirmed === false) return { kind: 'none', why: `the email on your Slack account, ${email}, is not confirmed yet` };
    const parsed = emailSchema.safeParse(email);
    if (!parsed.success) return { kind: 'none', why: `the email on your Slack account, ${email.slice(0, 100)}, is not an email address we can use` };
    return { kind: 'email', email: parsed.data };
  }

  return {
    async emailOf(userId) {
      if (!USER_ID.test(userId)) return { kind: 'none', why: `"${userId.slice(0, 40)}" is not a Slack user id` };
      const hit = kept.get(userId);
      if (hit && hit.until > now()) return hit.answer;
      const answer = await ask(userId);
      kept.set(userId, { answer, until: now() + keepMs });
      return answer;
    },
  };
}

/** The part of users.info's answer we read. */
interface SlackUsersInfoAnswer {
  ok?: unknown;
  error?: unknown;
  needed?: unknown;
  user?: { id?: unknown; deleted?: unknown; is_bot?: unknown; is_email_confirmed?: unknown; profile?: { email?: unknown } };
}
