/**
 * Polls one IMAP folder into the inbound pipeline: every new message is kept as a raw blob,
 * run through processInbound, then marked \Seen and moved to the processed folder.
 *
 * Failure rule: the batch stops at the first message whose processing throws. That message stays
 * in the folder untouched, the checkpoint stays before it, and the next poll retries it first;
 * so mail is never skipped and tickets keep their arrival order.
 */
import { randomUUID } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { Config } from '../config.js';
import type { Receipt } from '../domain/receipt.js';
import { processInbound, type InboundPorts, type InboundResult } from '../pipeline/inbound.js';
import type { MailboxFolder } from '../pipeline/ports.js';

export type ImapConfig = NonNullable<Config['imap']>;

/**
 * The pipeline's ports, blobs being the configured bucket (where raw mails are kept); the store's
 * job records keep the poller's checkpoint and lease per folder.
 */
export interface PollDeps extends InboundPorts {
  /** Only for passwordSecretArn; one is made for the secret's region when absent. */
  secrets?: SecretsManagerClient;
}

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

/** Another poller holds the folder's lease: this poll is skipped, which is no failure. */
export class MailboxLockedError extends Error {
  override name = 'MailboxLockedError';
  constructor(
    readonly mailbox: string,
    readonly until: Date,
  ) {
    super(`${mailbox} is locked by another poller until ${until.toISOString()}`);
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const DEFAULT_LOCK_TTL_MS = 15 * 60_000;

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

async function credentials(imap: ImapConfig, deps: PollDeps): Promise<{ user: string; pass?: string; accessToken?: string }> {
  if (imap.accessToken) return { user: imap.user, accessToken: imap.accessToken };
  if (imap.password) return { user: imap.user, pass: imap.password };
  const arn = imap.passwordSecretArn!;
  const region = arn.split(':')[3];
  const client = deps.secrets ?? new SecretsManagerClient({ region });
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!out.SecretString) throw new ImapConfigError(`secret ${arn} has no string value (the IMAP password)`);
    return { user: imap.user, pass: out.SecretString };
  } catch (err) {
    if (err instanceof ImapConfigError) throw err;
    throw new ImapConfigError(`could not read the IMAP password from ${arn}: ${(err as Error).message}`, { cause: err });
  } finally {
    if (!deps.secrets) client.destroy();
  }
}

function describe(err: unknown): string {
  const e = err as { message?: string; code?: string; responseText?: string };
  const text = e.responseText && !e.message?.includes(e.responseText) ? `${e.message}: ${e.responseText}` : (e.message ?? String(err));
  return e.code && !text.includes(e.code) ? `${text} (${e.code})` : text;
}

async function connect(imap: ImapConfig, deps: PollDeps): Promise<ImapFlow> {
  const auth = await credentials(imap, deps);
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
    const message = describe(err).split(auth.pass ?? '\u0000').join('***');
    if (e.authenticationFailed || e.name === 'AuthenticationFailure' || e.code === 'AUTHENTICATIONFAILED') {
      throw new ImapLoginError(`IMAP login to ${where} failed: ${message}`);
    }
    throw new ImapConnectionError(`IMAP connection to ${where} failed: ${message}`);
  }
  return client;
}

async function ensureFolder(client: ImapFlow, path: string): Promise<void> {
  const folders = await client.list();
  if (!folders.some((f) => f.path === path)) await client.mailboxCreate(path);
}

/**
 * One poll of config.imap.folder: at most batchSize new messages, in UID order. Throws
 * MailboxLockedError when another poller holds the folder, ImapLoginError / ImapConnectionError /
 * ImapConfigError for the mailbox itself; a message the pipeline fails on is a result, not a throw.
 */
export async function pollMailbox(deps: PollDeps, config: Config, opts: PollOptions = {}): Promise<PollResult[]> {
  const imap = config.imap;
  if (!imap) throw new ImapConfigError('no imap block in the configuration');
  transportOptions(imap);
  const mailbox: MailboxFolder = { account: imapAccount(imap), folder: imap.folder };
  const owner = randomUUID();
  // An expired lease (a poller that died holding it) is taken over.
  const now = deps.clock.now();
  const held = await deps.store.leaseMailbox(mailbox, owner, now, new Date(now.getTime() + (opts.lockTtlMs ?? DEFAULT_LOCK_TTL_MS)));
  if (held) throw new MailboxLockedError(`${mailbox.account}/${mailbox.folder}`, held.heldUntil);
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
    await deps.store.releaseMailbox(mailbox, owner);
  }
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
      results.push(failed);
      await opts.onResult?.(failed);
      break;
    }
    await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    await client.messageMove(String(uid), imap.processedFolder, { uid: true });
    await deps.store.saveMailboxCheckpoint(mailbox, { uidValidity, lastUid: uid }, deps.clock.now());
    results.push(outcome);
    await opts.onResult?.(outcome);
  }
  return results;
}
