/**
 * Slack's two doors into the help desk: the buttons and the priority select on our messages
 * (`POST /slack/actions`, the app's Interactivity request URL) and the /ticket slash command
 * (`POST /slack/commands`). Every request must carry Slack's signature of its exact bytes
 * (signature.ts); who pressed is asked of Slack (their profile email, which must be a staff
 * address); each press is a staff mail through the pipeline, like the console's: the same
 * commands, lifecycle rules, history ("… via Slack") and notices as the same words mailed.
 */
import { Hono, type Context } from 'hono';
import { slackCredentials, type SecretReader } from '../../chat/credentials.js';
import { slackUserDirectory, SlackUsersError, type SlackUserDirectory } from '../../chat/slack-users.js';
import { chatView } from '../../chat/view.js';
import { isStaffAddress } from '../../domain/addresses.js';
import { isStale } from '../../domain/stale.js';
import { formatTicketId, type Ticket } from '../../domain/ticket.js';
import { addressBook } from '../../pipeline/inbound.js';
import { QUEUE_SORTS } from '../console/queue-query.js';
import type { WebDeps } from '../deps.js';
import { deliverWebMail, WebDeliveryError } from '../web-mail.js';
import { readActionPayload, readSlashCommand, type SlackPress, type SlackTicketAsk } from './requests.js';
import { checkResponseUrl, postToResponseUrl } from './response-url.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySlackSignature } from './signature.js';
import { sayEphemeral, ticketList, ticketSummary, usage, type SlackAnswer } from './ticket-blocks.js';

/** Slack's payloads carry the whole message pressed on: generous, but bounded. */
const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Slack drops a slash command's answer after 3 seconds: one this late goes to response_url
 * instead, which takes answers for 30 minutes.
 */
const LATE_ANSWER_MS = 2500;

/** What a request can be checked and answered with, read once per process (the secret may live in Secrets Manager). */
interface SlackSetup {
  signingSecret: string | null;
  users: SlackUserDirectory | null;
}

type Identity = { staff: string } | { refused: string };

/** Whether the app takes Slack's requests: a signing secret in the config, or a secret that may hold one. */
export function slackRoutesWanted(deps: Pick<WebDeps, 'config'>): boolean {
  const slack = deps.config.chat.slack;
  return Boolean(slack && (slack.signingSecret || slack.secretArn));
}

export function slackRoutes(deps: WebDeps): Hono {
  const { config } = deps;
  const slack = config.chat.slack!;
  const book = addressBook(config);
  const view = chatView(config, true);
  const { store, clock } = deps.ports;
  const readSecret: SecretReader = deps.readSecret ?? readSecretString;
  const setup = once(async (): Promise<SlackSetup> => {
    const credentials = await slackCredentials(slack, readSecret);
    return { signingSecret: credentials.signingSecret, users: credentials.botToken ? slackUserDirectory({ apiUrl: slack.apiUrl, botToken: credentials.botToken }) : null };
  });
  const app = new Hono();

  /** The form Slack signed, or the refusal to answer with. */
  const signedForm = async (c: Context): Promise<{ form: URLSearchParams; setup: SlackSetup } | Response> => {
    let s: SlackSetup;
    try {
      s = await setup();
    } catch (err) {
      deps.log(`slack: ${c.req.path}: the Slack credentials cannot be read: ${(err as Error).message}`);
      return c.text('Slack requests cannot be checked just now.', 503);
    }
    if (!s.signingSecret) {
      deps.log(`slack: ${c.req.path}: refused: chat.slack has no signing secret (in the config or its secret)`);
      return c.text('Slack requests are not taken here: no signing secret is set up.', 404);
    }
    if (Number(c.req.header('content-length') ?? 0) > MAX_BODY_BYTES) return c.text('The request is too large.', 413);
    // The signature covers the bytes as sent: read them once, check them, then parse them ourselves.
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (body.length > MAX_BODY_BYTES) return c.text('The request is too large.', 413);
    // Slack stamps its requests with the real time: the window is measured on the real clock,
    // not on the pipeline's (which `ticketing serve --now` may set in the past).
    const check = verifySlackSignature({ signature: c.req.header(SIGNATURE_HEADER), timestamp: c.req.header(TIMESTAMP_HEADER) }, body, s.signingSecret, new Date());
    if (!check.ok) {
      deps.log(`slack: refused ${c.req.path} from ${deps.clientAddress(c)}: ${check.reason}`);
      return c.text(`Not a request from Slack: ${check.reason}.`, 401);
    }
    return { form: new URLSearchParams(new TextDecoder().decode(body)), setup: s };
  };

  /** The staff address of a Slack user, by the email on their Slack profile; `otherwise`: what did not happen. */
  const identify = async (users: SlackUserDirectory | null, slackUser: string, otherwise: string): Promise<Identity> => {
    if (!users) {
      deps.log('slack: chat.slack has a signing secret but no bot token: nobody who presses can be told apart');
      return { refused: `The Slack app has no bot token, so it cannot tell who you are, and ${otherwise}.` };
    }
    const answer = await users.emailOf(slackUser);
    if (answer.kind === 'none') {
      deps.log(`slack: ${slackUser} refused: ${answer.why}`);
      return { refused: `${capitalised(answer.why)}, so ${otherwise}.` };
    }
    if (!isStaffAddress(answer.email, book)) {
      deps.log(`slack: ${slackUser} refused: their Slack email ${answer.email} is not a staff address`);
      return { refused: `Your Slack account's email, ${answer.email}, is not on the IT staff list, so ${otherwise}.` };
    }
    return { staff: answer.email };
  };

  /** A press of a button, or a priority chosen: a staff mail with its command, and its result in words. */
  const act = async (press: SlackPress, users: SlackUserDirectory | null): Promise<string> => {
    const who = await identify(users, press.slackUser, 'nothing was done');
    if ('refused' in who) return who.refused;
    const id = formatTicketId(config.ticketPrefix, press.ticketNumber);
    const ticket = await store.getTicketById(press.ticketNumber);
    if (!ticket) return `There is no ticket ${id}, so nothing was done.`;
    // The pipeline reads a staff member's mail on their own ticket as the requester's.
    if (ticket.requester === who.staff) return `${id} is your own request, so you cannot act on it as IT staff; nothing was done.`;
    const result = await deliverWebMail(
      {
        source: 'web',
        proof: { kind: 'slack', staff: who.staff, slackUser: press.slackUser },
        from: { name: '', address: who.staff },
        subject: `Re: [${ticket.id}] ${ticket.subject}`,
        text: press.command,
        inReplyTo: ticket.originMessageId,
        sameAs: `slack/${press.pressId}`,
      },
      deps.ports,
      config,
    );
    deps.log(`slack: ${who.staff} (${press.slackUser}) on ${ticket.id}: ${press.command}: ${result.outcome}: ${result.reason}`);
    if (result.outcome === 'redelivered') return `${ticket.id}: Slack sent this press twice; it was done once.`;
    const applied = result.commands?.applied ?? [];
    const rejected = result.commands?.rejected ?? [];
    if (!applied.length && !rejected.length) return `${ticket.id}: nothing was changed (${result.reason.slice(0, 300)}).`;
    return [...applied.map((line) => `${ticket.id}: ${line}.`), ...rejected.map((line) => `${ticket.id}: not done: ${line}.`)].join('\n');
  };

  app.post('/slack/actions', async (c) => {
    const signed = await signedForm(c);
    if (signed instanceof Response) return signed;
    const read = readActionPayload(signed.form, config.ticketPrefix);
    if (!read.ok) {
      deps.log(`slack: a press was refused: ${read.reason}`);
      return c.text(`The request could not be read: ${read.reason}.`, 400);
    }
    const press = read.value;
    let words: string;
    try {
      words = await act(press, signed.setup.users);
    } catch (err) {
      deps.log(`slack: ${press.slackUser}'s ${press.command} on ${formatTicketId(config.ticketPrefix, press.ticketNumber)} failed: ${(err as Error).name}: ${(err as Error).message}`);
      words = failureWords(err);
    }
    // The answer goes to response_url: Slack ignores what an interactivity request's response says.
    const target = checkResponseUrl(press.responseUrl, slack.apiUrl);
    if (!target.ok) {
      deps.log(`slack: ${press.slackUser} was not told the result: ${target.why}`);
    } else {
      const posted = await postToResponseUrl(target.url, sayEphemeral(words));
      if (!posted.ok) deps.log(`slack: ${press.slackUser} was not told the result: ${posted.why}`);
    }
    return c.body(null, 200);
  });

  /** What /ticket answers: a ticket, a list, or why not. */
  const lookUp = async (ask: Exclude<SlackTicketAsk, { kind: 'help' | 'unknown' }>, slackUser: string, users: SlackUserDirectory | null): Promise<SlackAnswer> => {
    const who = await identify(users, slackUser, 'no tickets are shown to you');
    if ('refused' in who) return sayEphemeral(who.refused);
    if (ask.kind === 'ticket') {
      const ticket = await store.getTicketById(ask.number);
      return ticket ? ticketSummary(ticket, view) : sayEphemeral(`There is no ticket ${formatTicketId(config.ticketPrefix, ask.number)}.`);
    }
    const now = clock.now();
    const open = await store.openTickets();
    if (ask.kind === 'mine') {
      const mine = open.filter((t) => t.assignee === who.staff).sort(QUEUE_SORTS[0]!.compare);
      return ticketList('Your open tickets', mine, view, now, 'No open tickets are assigned to you.');
    }
    const stale = open.filter((t) => t.stale || isStale(t, now, config.stale)).sort(longestIdleFirst);
    return ticketList('Stale tickets, longest idle first', stale, view, now, 'No ticket is stale.');
  };

  app.post('/slack/commands', async (c) => {
    const started = Date.now();
    const signed = await signedForm(c);
    if (signed instanceof Response) return signed;
    // Slack checks now and then that the command's URL has a good certificate: nothing to do.
    if (signed.form.get('ssl_check') === '1') return c.body(null, 200);
    const read = readSlashCommand(signed.form, config.ticketPrefix);
    if (!read.ok) {
      deps.log(`slack: a slash command was refused: ${read.reason}`);
      return c.text(`The request could not be read: ${read.reason}.`, 400);
    }
    const { command, ask, slackUser } = read.value;
    if (ask.kind === 'help') return c.json(usage(command, config.ticketPrefix));
    if (ask.kind === 'unknown') return c.json(usage(command, config.ticketPrefix, ask.text));
    let answer: SlackAnswer;
    try {
      answer = await lookUp(ask, slackUser, signed.setup.users);
    } catch (err) {
      deps.log(`slack: ${command} ${ask.kind} from ${slackUser} failed: ${(err as Error).name}: ${(err as Error).message}`);
      answer = sayEphemeral(failureWords(err));
    }
    const target = checkResponseUrl(read.value.responseUrl, slack.apiUrl);
    if (Date.now() - started > LATE_ANSWER_MS && target.ok) {
      const posted = await postToResponseUrl(target.url, answer);
      if (posted.ok) return c.body(null, 200);
      deps.log(`slack: ${slackUser}'s late ${command} answer could not go to response_url: ${posted.why}`);
    }
    return c.json(answer);
  });

  return app;
}

/** What the person hears when something failed on the way; the log has the details. */
function failureWords(err: unknown): string {
  if (err instanceof SlackUsersError) return 'Slack could not tell us who you are just now, so nothing was done. Please try again in a minute.';
  // The pipeline failed on the staff mail: it is kept, and a replay finishes it.
  if (err instanceof WebDeliveryError) return 'Something went wrong on our side. What you asked for is kept and IT will process it; please do not press again.';
  return 'Something went wrong on our side, and nothing was done. Please try again in a minute.';
}

const longestIdleFirst = (a: Ticket, b: Ticket) => a.lastActivityAt.localeCompare(b.lastActivityAt) || a.number - b.number;

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Runs `make` once; a failure is forgotten, so the next request tries again. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () =>
    (pending ??= make().catch((err: unknown) => {
      pending = null;
      throw err;
    }));
}

/** Loaded only when a secret is named: a process without Slack pays nothing for it. */
async function readSecretString(arn: string): Promise<string> {
  const { readSecretString: read } = await import('../../aws/secret-string.js');
  return read(arn);
}
