/**
 * The Mailer port on Microsoft Graph's `sendMail` (graph.sendMail): our composed MIME, base64,
 * as `text/plain` (user: sendMail, "Send a new message using MIME format"), sent as the support
 * mailbox. Graph answers 202 Accepted with no body: no message id comes back.
 *
 * What Graph does with our headers ("Send mail by using the Microsoft Graph API"): Exchange
 * Online parses the MIME into a draft, and transport "copies the MIME content more or less
 * intact", so Message-ID, In-Reply-To, References, Auto-Submitted and our X- headers are sent as
 * we wrote them, as far as Microsoft documents it. There is no envelope sender of ours: Exchange
 * sends as the mailbox, and bounces come back to the mailbox, where the poller reads them.
 * `messageIdHeaders` is our own Message-ID; `providerMessageId` is Graph's request-id (what
 * Microsoft support asks for), as no message id is returned.
 */
import { readMessageId } from '../aws/ses-mailer.js';
import type { Config } from '../config.js';
import { MailSendError, type Mailer, type SentMail } from '../pipeline/mailer.js';
import { GraphClient, GraphError } from './client.js';
import { graphTokens, type GraphTokenDeps } from './tokens.js';

export class GraphMailer implements Mailer {
  /** `client`: one made with maxThrottleWaitMs 0, so a throttled send fails now and the effect runner retries it later. */
  constructor(private readonly client: GraphClient) {}

  async send(raw: Buffer, envelope: { from: string; to: string[] }): Promise<SentMail> {
    const ourId = readMessageId(raw);
    let requestId: string | null;
    try {
      const res = await this.client.request('POST', '/sendMail', { text: { body: raw.toString('base64'), contentType: 'text/plain' } });
      requestId = res.headers.get('request-id');
    } catch (err) {
      throw sendError(err, this.client.mailbox, envelope.to);
    }
    return {
      providerMessageId: requestId ?? ourId ?? 'graph-sendmail',
      messageIdHeaders: ourId ? [ourId] : [],
    };
  }
}

function sendError(err: unknown, mailbox: string, to: string[]): MailSendError {
  if (!(err instanceof GraphError)) return new MailSendError(`sending through Microsoft Graph as ${mailbox} failed: ${(err as Error).message}`, 'Error', false, { cause: err });
  const what = err.status === 0 ? 'could not send' : err.uncertain ? 'lost the answer about' : 'Microsoft Graph refused';
  // Graph's message can quote recipients; keep only their domains.
  const detail = err.message.replace(/[^\s<>,;:"'()[\]]+@([A-Za-z0-9.-]+)/g, (m, domain: string) => (m.toLowerCase() === mailbox.toLowerCase() ? m : `…@${domain}`));
  return new MailSendError(`${what} the mail to ${domainsOf(to)}: ${detail}`, err.code, err.retryable, { cause: err, uncertain: err.uncertain });
}

function domainsOf(addresses: string[]): string {
  if (addresses.length === 0) return '(no recipients)';
  return [...new Set(addresses.map((a) => a.slice(a.lastIndexOf('@') + 1).replace(/>$/, '').toLowerCase()))].join(', ');
}

/** The mailer for config.graph.sendMail: a client of its own that never waits on throttling (the effect runner retries). */
export function graphMailerFor(graph: NonNullable<Config['graph']>, deps: GraphTokenDeps = {}): GraphMailer {
  return new GraphMailer(new GraphClient({ endpoint: graph.graphEndpoint, mailbox: graph.mailbox, tokens: graphTokens(graph, deps), maxThrottleWaitMs: 0, ...(deps.fetch ? { fetch: deps.fetch } : {}) }));
}
