/**
 * A loopback SMTP server in front of the inbound pipeline, so a real mail client (Thunderbird,
 * swaks, nodemailer) can send to the local stack: it plays the part SES's MX plays on AWS.
 * It refuses what SES's receipt rule would never hand over (other recipients, oversized mail)
 * during the SMTP dialogue, and answers each accepted mail with its ticket outcome.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Config } from '../config.js';
import { withoutPlus } from '../domain/addresses.js';
import type { InboundResult } from '../pipeline/inbound.js';

/** The SMTP envelope: MAIL FROM (null for the null sender `<>`) and the accepted RCPT TOs. */
export interface SmtpEnvelope {
  from: string | null;
  to: string[];
}

export type DeliverMail = (raw: Buffer, envelope: SmtpEnvelope) => Promise<InboundResult[]>;

export interface SmtpGatewayOptions {
  /** 0 picks a free port; the gateway reports the one it got. */
  port: number;
  /** Loopback only: there is no authentication, so nothing off this machine may reach it. */
  host?: '127.0.0.1';
  config: Pick<Config, 'supportAddresses' | 'mail'>;
  deliver: DeliverMail;
  /** Defaults to config.mail.maxMessageBytes; advertised in EHLO (SIZE) and enforced. */
  maxMessageBytes?: number;
  log?(line: string): void;
}

export interface SmtpGateway {
  port: number;
  close(): Promise<void>;
}

export class SmtpGatewayError extends Error {
  override name = 'SmtpGatewayError';
}

/** An SMTP reply the client sees; smtp-server sends `responseCode` and the message. */
class SmtpReply extends Error {
  override name = 'SmtpReply';
  constructor(
    readonly responseCode: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** RCPT TO is ours when it is a support address or a plus-address of one, as the receipt rule's check. */
export function acceptsRecipient(address: string, supportAddresses: readonly string[]): boolean {
  return supportAddresses.includes(withoutPlus(address.toLowerCase()));
}

/** The 250 text for a delivered mail: one short line per result, e.g. "OK: TKT-3 created". */
export function outcomeReply(results: InboundResult[]): string {
  if (!results.length) return 'OK: accepted, no result from the pipeline';
  return `OK: ${results.map((r) => (r.ticket ? `${r.ticket} ${r.outcome}` : r.outcome)).join('; ')}`;
}

export async function startSmtpGateway(options: SmtpGatewayOptions): Promise<SmtpGateway> {
  const host = options.host ?? '127.0.0.1';
  const limit = options.maxMessageBytes ?? options.config.mail.maxMessageBytes;
  const support = options.config.supportAddresses.map((a) => a.toLowerCase());
  const log = options.log ?? (() => undefined);

  const server = new SMTPServer({
    name: 'ticketing-local',
    banner: 'ticketing local SMTP gateway: mail in, tickets out',
    // Loopback, no accounts: nothing to authenticate and nothing to encrypt.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: limit,
    logger: false,
    closeTimeout: 5_000,

    onRcptTo(address, _session: SMTPServerSession, callback) {
      if (acceptsRecipient(address.address, support)) return callback();
      log(`refused RCPT TO <${address.address}>: not a support address`);
      callback(new SmtpReply(550, `5.1.1 <${address.address}>: this gateway only accepts mail for ${support.join(', ')} (or their plus-addresses)`));
    },

    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      let kept = 0;
      stream.on('data', (chunk: Buffer) => {
        // Past the limit the mail is refused anyway: count it, don't hold it.
        if (kept + chunk.length <= limit) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      stream.on('error', (err) => callback(new SmtpReply(451, `4.3.0 reading the message failed: ${err.message}; try again`, { cause: err })));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          log(`refused a message of ${stream.byteLength} bytes: over the ${limit}-byte limit`);
          return callback(new SmtpReply(552, `5.3.4 message too large: ${stream.byteLength} bytes, the limit is ${limit}`));
        }
        const envelope: SmtpEnvelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address || null : null,
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        options.deliver(Buffer.concat(chunks, kept), envelope).then(
          (results) => callback(null, outcomeReply(results)),
          (err: unknown) => {
            // A temporary failure: the client keeps the mail and retries, so nothing is lost.
            const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
            log(`451 for mail to ${envelope.to.join(', ')}: ${why}`);
            callback(new SmtpReply(451, `4.3.0 the ticket pipeline failed (${why.split('\n')[0]}); try again later`, { cause: err }));
          },
        );
      });
    },
  });
  server.on('error', (err) => log(`SMTP gateway error: ${err.message}`));

  const port = await new Promise<number>((done, fail) => {
    const onError = (err: Error): void => fail(new SmtpGatewayError(`cannot listen for SMTP on ${host}:${options.port}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      done((server.server.address() as AddressInfo).port);
    });
  });

  let closed: Promise<void> | undefined;
  return {
    port,
    close() {
      closed ??= new Promise<void>((done) => server.close(() => done()));
      return closed;
    },
  };
}
