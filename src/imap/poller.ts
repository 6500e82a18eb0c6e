/**
 * Polls one IMAP folder into the inbound pipeline: every new message is kept as a raw blob,
 * run through processInbound, then marked \Seen and moved to the processed folder.
 *
 * Failure rule: a message whose processing throws stays in the folder untouched (unseen, not
 * moved) and the poll goes on with the next one, so one bad message never holds up the rest.
 * The checkpoint never passes a message that was not processed: it stays just before the first
 * failure of the batch (the messages processed after it were moved out of the folder, so they
 * are not seen again), and the next poll retries the failed message first.
 *
 * Credentials: a password (inline or from Secrets Manager), a fixed XOAUTH2 token, or a
 * Microsoft 365 app's token (imap.oauth2), fetched from the Microsoft identity platform and
 * refreshed before it expires. A cached token the server refuses (revoked, expired early) is
 * replaced once and the login tried once more.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readSecretString } from '../aws/secret-string.js';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { Config } from '../config.js';
import type { Receipt } from '../domain/receipt.js';
import type { AccessTokenSource } from '../oauth/access-token.js';
import { MicrosoftIdentityError, microsoftAppTokens } from '../oauth/microsoft-identity.js';
import { processInbound, type InboundPorts, type InboundResult } from '../pipeline/inbound.js';
import { withMailboxLease } from '../pipeline/mailbox-lease.js';
import type { MailboxFolder } from '../pipeline/ports.js';

export { MailboxLockedError } from '../pipeline/mailbox-lease.js';

export type ImapConfig = NonNullable<Config['imap']>;

/**
 * The pipeline's ports, blobs being the configured bucket (where raw mails are kept); the store's
 * job records keep the poller's checkpoint and lease per folder.
 */
export interface PollDeps extends InboundPorts {
  /** For passwordSecretArn (one is made for the secret's region when absent) and oauth2.credentialsSecretArn. */
  secrets?: SecretsManagerClient;
  /**
   * The app's tokens for imap.oauth2 (see imapTokenSource). Made per poll when absent, which
   * caches nothing between polls: long-lived callers (the Lambda, `ticketing imap-poll`) pass one.
   */
  imapTokens?: AccessTokenSource;
}

/** The scope of an app-only token for Exchange Online's IMAP (IMAP.AccessAsApp). */
export const EXCHANGE_ONLINE_SCOPE = 'https://outlook.office365.com/.default';

export type PollResult = (InboundResult & { uid: number }) | { uid: number; outcome: 'error'; error: string };

export interface PollOptions {
  /** Called once per message, after it is moved and the checkpoint saved (or after it failed). */
  onResult?(r: PollResult): void | Promise<void>;
  /** How long the folder lock lasts if this poller dies holding it. Default 15 minutes (a Lambda's limit). */
  lockTtlMs?: number;
}

export class ImapConfigError extends Error {
  override name = 'ImapConfigError';
}

export class ImapLoginError extends Error {
  override name = 'ImapLoginError';
}

export class ImapConnectionError extends Error {
  override name = 'ImapConnectionError';
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** `user@host`, safe inside a blob key and a table key. */
export function imapAccount(imap: Pick<ImapConfig, 'user' | 'host'>): string {
  return `${imap.user}@${imap.host}`.toLowerCase().replace(/[^a-z0-9._@-]/g, '_');
}

/** The blob key a polled message is kept under. */
export function imapRawKey(account: string, uidValidity: string, uid: number): string {
  return `imap/${account}/${uidValidity}/${uid}.eml`;
}

/** TLS choice per config; plain text only to a loopback host, and only when asked for. */
export function transportOptions(imap: ImapConfig): Pick<ImapFlowOptions, 'secure' | 'doSTARTTLS'> {
  const loopback = LOOPBACK.has(imap.host.toLowerCase());
  if (imap.allowPlainOnLoopback && !loopback) {
    throw new ImapConfigError(
      `imap.allowPlainOnLoopback is set but imap.host ${imap.host} is not a loopback address (127.0.0.1, localhost, ::1): ` +
        'plain-text IMAP would send the password over the network. Remove allowPlainOnLoopback and use secure: true or STARTTLS.',
    );
  }
  if (imap.secure) return { secure: true };
  if (imap.allowPlainOnLoopback) return { secure: false, doSTARTTLS: false };
  return { secure: false, doSTARTTLS: true };
}

type Credentials = { user: string; pass?: string; accessToken?: string };

async function passwordCredentials(imap: ImapConfig, deps: PollDeps): Promise<Credentials> {
  if (imap.accessToken) return { user: imap.user, accessToken: imap.accessToken };
  if (imap.password) return { user: imap.user, pass: imap.password };
  try {
    return { user: imap.user, pass: await readSecretString(imap.passwordSecretArn!, deps.secrets) };
  } catch (err) {
    throw new ImapConfigError(`could not read the IMAP password: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The token source for imap.oauth2 (null without it): the app's token for Exchange Online's IMAP,
 * cached until shortly before it expires. Make it once per process and pass it as imapTokens.
 */
export function imapTokenSource(imap: ImapConfig, deps: Pick<PollDeps, 'clock' | 'secrets'>): AccessTokenSource | null {
  if (!imap.oauth2) return null;
  return microsoftAppTokens(imap.oauth2, EXCHANGE_ONLINE_SCOPE, { clock: () => deps.clock.now(), ...(deps.secrets ? { secrets: deps.secrets } : {}) });
}

/** A token the identity platform would not give: the poll fails as a login (or, when passing, a connection) failure. */
function tokenFailure(err: unknown, where: string): Error {
  if (!(err instanceof MicrosoftIdentityError)) return err as Error;
  if (err.failure === 'credentials-secret' || err.failure === 'certificate') return new ImapConfigError(`IMAP login to ${where}: ${err.message}`, { cause: err });
  if (err.transient) return new ImapConnectionError(`IMAP login to ${where}: no token: ${err.message}`, { cause: err });
  return new ImapLoginError(`IMAP login to ${where} failed: no token: ${err.message}`, { cause: err });
}

function describe(err: unknown): string {
  const e = err as { message?: string; code?: string; responseText?: string };
  const text = e.responseText && !e.message?.includes(e.responseText) ? `${e.message}: ${e.responseText}` : (e.message ?? String(err));
  return e.code && !text.includes(e.code) ? `${text} (${e.code})` : text;
}

/** Text that may echo what was sent, with the password or token cut out. */
function redacted(text: string, auth: Credentials): string {
  for (const secret of [auth.pass, auth.accessToken]) if (secret) text = text.split(secret).join('***');
  return text;
}

/** What the refusal of an app's token usually means in Exchange Online, for the IT admin. */
function tokenRefusedAdvice(imap: ImapConfig): string {
  const app = imap.oauth2!;
  return (
    `; the token of app ${app.clientId} (tenant ${app.tenantId}) was refused: check that the app has the ` +
    `IMAP.AccessAsApp permission of Office 365 Exchange Online with admin consent, that its service principal is ` +
    `registered in Exchange Online (New-ServicePrincipal) and has FullAccess on ${imap.user} (Add-MailboxPermission), ` +
    `and that IMAP is enabled for the mailbox`
  );
}

async function openSession(imap: ImapConfig, auth: Credentials): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    ...transportOptions(imap),
    auth,
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 30_000,
    greetingTimeout: 16_000,
    socketTimeout: 120_000,
  });
  // A dropped socket also surfaces as an 'error' event; the failing command reports it to us.
  client.on('error', () => undefined);
  const where = `${imap.host}:${imap.port} as ${imap.user}`;
  try {
    await client.connect();
  } catch (err) {
    client.close();
    const e = err as { authenticationFailed?: boolean; name?: string; code?: string };
    const message = redacted(describe(err), auth);
    if (e.authenticationFailed || e.name === 'AuthenticationFailure' || e.code === 'AUTHENTICATIONFAILED') {
      throw new ImapLoginError(`IMAP login to ${where} failed: ${message}${imap.oauth2 ? tokenRefusedAdvice(imap) : ''}`);
    }
    throw new ImapConnectionError(`IMAP connection to ${where} failed: ${message}`);
  }
  return client;
}

/** The last token of each source that logged in: refused later, it was revoked or expired early. */
const acceptedTokens = new WeakMap<AccessTokenSource, string>();

async function connect(imap: ImapConfig, deps: PollDeps): Promise<ImapFlow> {
  const tokens = imap.oauth2 ? (deps.imapTokens ?? imapTokenSource(imap, deps)!) : null;
  if (!tokens) return openSession(imap, await passwordCredentials(imap, deps));
  const where = `${imap.host}:${imap.port} as ${imap.user}`;
  const appToken = () => tokens.token().catch((err: unknown) => Promise.reject(tokenFailure(err, where)));
  const accessToken = await appToken();
  try {
    const client = await openSession(imap, { user: imap.user, accessToken });
    acceptedTokens.set(tokens, accessToken);
    return client;
  } catch (err) {
    // Only a token that worked before is worth replacing; a fresh one refused means a setup problem.
    if (!(err instanceof ImapLoginError) || acceptedTokens.get(tokens) !== accessToken) throw err;
    tokens.refresh();
    const fresh = await appToken();
    const client = await openSession(imap, { user: imap.user, accessToken: fresh });
    acceptedTokens.set(tokens, fresh);
    return client;
  }
}

async function ensureFolder(client: ImapFlow, path: string): Promise<void> {
  const folders = await client.list();
  if (!folders.some((f) => f.path === path)) await client.mailboxCreate(path);
}

/**
 * One poll of config.imap.folder: at most batchSize new messages, in UID order. Throws
 * MailboxLockedError when another poller holds the folder, ImapLoginError / ImapConnectionError /
 * ImapConfigError for the mailbox itself; a message the pipeline fails on is a result, not a throw,
 * and the poll goes on with the next message.
 */
export async function pollMailbox(deps: PollDeps, config: Config, opts: PollOptions = {}): Promise<PollResult[]> {
  const imap = config.imap;
  if (!imap) throw new ImapConfigError('no imap block in the configuration');
  transportOptions(imap);
  const mailbox: MailboxFolder = { account: imapAccount(imap), folder: imap.folder };
  return withMailboxLease(deps, mailbox, opts.lockTtlMs, async () => {
    let client: ImapFlow | undefined;
    try {
      client = await connect(imap, deps);
      return await pollFolder(client, mailbox, imap, deps, config, opts);
    } catch (err) {
      if (err instanceof ImapLoginError || err instanceof ImapConfigError || err instanceof ImapConnectionError) throw err;
      if (client && !client.usable) {
        throw new ImapConnectionError(`IMAP connection to ${imap.host}:${imap.port} dropped while polling ${imap.folder}: ${describe(err)}`, { cause: err });
      }
      throw err;
    } finally {
      if (client?.usable) await client.logout().catch(() => client?.close());
      else client?.close();
    }
  });
}

async function pollFolder(
  client: ImapFlow,
  mailbox: MailboxFolder,
  imap: ImapConfig,
  deps: PollDeps,
  config: Config,
  opts: PollOptions,
): Promise<PollResult[]> {
  await ensureFolder(client, imap.processedFolder);
  const box = await client.mailboxOpen(imap.folder).catch((err: unknown) => {
    if (!client.usable) throw err;
    throw new ImapConfigError(`cannot open folder ${imap.folder} on ${imap.host}:${imap.port} as ${imap.user}: ${describe(err)}`, { cause: err });
  });
  const uidValidity = String(box.uidValidity);
  const saved = await deps.store.mailboxCheckpoint(mailbox);
  // A new UIDVALIDITY means old UIDs mean nothing: start over; the pipeline drops what it already has.
  const lastUid = saved && saved.uidValidity === uidValidity ? saved.lastUid : 0;
  const results: PollResult[] = [];
  if (box.exists === 0) return results;
  // `N:*` always matches the highest message, even below N: filter.
  const found = (await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || [];
  const uids = found.filter((u) => u > lastUid).sort((a, b) => a - b).slice(0, imap.batchSize);
  // Set at the first failure: from then on the checkpoint stays before that message.
  let failedAt: number | undefined;
  for (const uid of uids) {
    const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    if (!message || !message.source) continue; // expunged meanwhile
    const rawKey = imapRawKey(mailbox.account, uidValidity, uid);
    let outcome: PollResult;
    try {
      await deps.blobs.put(rawKey, message.source, 'message/rfc822');
      const receipt: Receipt = { source: 'imap', rawKey, receivedAt: deps.clock.now().toISOString(), recipients: [], verdicts: null };
      const result = await processInbound(receipt, deps, config);
      outcome = { uid, ...result };
    } catch (err) {
      const failed: PollResult = { uid, outcome: 'error', error: describe(err) };
      failedAt ??= uid;
      results.push(failed);
      await opts.onResult?.(failed);
      continue;
    }
    await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    await client.messageMove(String(uid), imap.processedFolder, { uid: true });
    if (failedAt === undefined) await deps.store.saveMailboxCheckpoint(mailbox, { uidValidity, lastUid: uid }, deps.clock.now());
    results.push(outcome);
    await opts.onResult?.(outcome);
  }
  return results;
}
