/**
 * Polls one label of a Google Workspace mailbox (the Gmail API, as a service account with
 * domain-wide delegation) into the inbound pipeline: each new message is kept as a raw blob, run
 * through processInbound, then labelled processed and taken out of the polled label (and marked
 * read).
 *
 * Where it got to is Gmail's history id (the cursor) and the ids seen but not yet finished
 * (pending), saved together before any message is processed. Failure rule: a message the pipeline
 * fails on keeps its labels and stays pending, and the next poll retries it first; the others go
 * on. A crash between the pipeline and the label change leaves the id pending too: the retry is
 * recognised by the pipeline as a redelivery (no second ticket) and then labelled.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../config.js';
import type { Receipt } from '../domain/receipt.js';
import type { AccessTokenSource } from '../oauth/access-token.js';
import { GMAIL_MODIFY_SCOPE, readServiceAccountKey, serviceAccountTokenSource } from '../oauth/google-service-account.js';
import { processInbound, type InboundPorts, type InboundResult } from '../pipeline/inbound.js';
import { withMailboxLease } from '../pipeline/mailbox-lease.js';
import type { MailboxCursor, MailboxFolder } from '../pipeline/ports.js';

export { MailboxLockedError } from '../pipeline/mailbox-lease.js';
import { GmailApiError, GmailClient, type GmailLabel } from './client.js';

export type GmailConfig = NonNullable<Config['gmail']>;

export interface GmailPollDeps extends InboundPorts {
  /** Only for serviceAccountSecretArn; one is made for the secret's region when absent. */
  secrets?: SecretsManagerClient;
  /** Tokens for the mailbox; made from the configured key when absent. A Lambda keeps one across invocations. */
  tokens?: AccessTokenSource;
  fetch?: typeof fetch;
  /** How the client waits out throttling (tests record the waits). */
  sleep?: (ms: number) => Promise<void>;
}

export type GmailPollResult =
  | (InboundResult & { id: string })
  | { id: string; outcome: 'error'; error: string }
  /** Gone from the mailbox (deleted, or emptied from the trash) before it was read: nothing to process. */
  | { id: string; outcome: 'deleted'; reason: string };

/** How this poll found its new messages. */
export type GmailSync =
  | { kind: 'history'; from: string; found: number }
  /** No cursor yet, or Gmail no longer had history from it (404): the label's messages, in full. */
  | { kind: 'full'; reason: 'first poll' | 'history id expired'; found: number };

export interface GmailPollOptions {
  /** Called once per message, after it is labelled and dropped from pending (or after it failed). */
  onResult?(r: GmailPollResult): void | Promise<void>;
  onSync?(s: GmailSync): void | Promise<void>;
  /** How long the mailbox lock lasts if this poller dies holding it. Default 15 minutes (a Lambda's limit). */
  lockTtlMs?: number;
}

export class GmailConfigError extends Error {
  override name = 'GmailConfigError';
}

/** New mail in the label, and mail put back into it (say, moved back to the inbox by hand). */
const HISTORY_TYPES = ['messageAdded', 'labelAdded'];
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** `gmail:<mailbox>`, the lease and cursor's account. */
export function gmailAccount(gmail: Pick<GmailConfig, 'mailbox'>): string {
  return `gmail:${gmail.mailbox.toLowerCase()}`;
}

/** The blob key a polled message is kept under: `gmail/<mailbox>/<message id>.eml`. */
export function gmailRawKey(mailbox: string, id: string): string {
  return `gmail/${mailbox.toLowerCase().replace(/[^a-z0-9._@+-]/g, '_')}/${id}.eml`;
}

/** Tokens for the configured mailbox from the configured service account key (read on first use). */
export function gmailTokenSource(gmail: GmailConfig, deps: Pick<GmailPollDeps, 'secrets' | 'fetch' | 'clock'>): AccessTokenSource {
  const source = gmail.serviceAccountSecretArn ? { secretArn: gmail.serviceAccountSecretArn } : { file: gmail.serviceAccountKeyFile! };
  return serviceAccountTokenSource({
    loadKey: () => readServiceAccountKey(source, deps.secrets),
    subject: gmail.mailbox,
    scope: GMAIL_MODIFY_SCOPE,
    tokenEndpoint: gmail.tokenEndpoint,
    now: () => deps.clock.now(),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}

/**
 * One poll of config.gmail.label: at most batchSize messages, oldest first. Throws
 * MailboxLockedError when another poller holds the mailbox, GoogleTokenError /
 * ServiceAccountKeyError / GmailApiError / GmailConfigError for the mailbox itself; a message the
 * pipeline fails on is a result, not a throw.
 */
export async function pollGmailMailbox(deps: GmailPollDeps, config: Config, opts: GmailPollOptions = {}): Promise<GmailPollResult[]> {
  const gmail = config.gmail;
  if (!gmail) throw new GmailConfigError('no gmail block in the configuration');
  const mailbox: MailboxFolder = { account: gmailAccount(gmail), folder: gmail.label };
  return withMailboxLease(deps, mailbox, opts.lockTtlMs, () => {
    const client = new GmailClient({
      endpoint: gmail.gmailEndpoint,
      mailbox: gmail.mailbox,
      tokens: deps.tokens ?? gmailTokenSource(gmail, deps),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
    return pollLabel(client, mailbox, gmail, deps, config, opts);
  });
}

async function pollLabel(client: GmailClient, mailbox: MailboxFolder, gmail: GmailConfig, deps: GmailPollDeps, config: Config, opts: GmailPollOptions): Promise<GmailPollResult[]> {
  const { source, processed } = await resolveLabels(client, gmail);
  const saved: MailboxCursor = (await deps.store.mailboxCursor(mailbox)) ?? { cursor: null, pending: [] };
  const found = await newMessages(client, saved.cursor, source.id);
  await opts.onSync?.(found.sync);
  // Cursor and pending in one write, before any processing: a crash from here on loses no id.
  const pending = [...new Set([...saved.pending, ...found.ids])];
  let cursor: MailboxCursor = { cursor: found.cursor, pending };
  await deps.store.saveMailboxCursor(mailbox, cursor, deps.clock.now());

  const results: GmailPollResult[] = [];
  const finished = async (id: string, result: GmailPollResult) => {
    cursor = { cursor: cursor.cursor, pending: cursor.pending.filter((p) => p !== id) };
    await deps.store.saveMailboxCursor(mailbox, cursor, deps.clock.now());
    results.push(result);
    await opts.onResult?.(result);
  };
  for (const id of pending.slice(0, gmail.batchSize)) {
    if (!MESSAGE_ID.test(id)) {
      await finished(id, { id, outcome: 'error', error: 'not a Gmail message id; dropped' });
      continue;
    }
    let raw: Buffer;
    try {
      raw = (await client.getRawMessage(id)).raw;
    } catch (err) {
      if (err instanceof GmailApiError && err.notFound) {
        await finished(id, { id, outcome: 'deleted', reason: 'deleted from the mailbox before it was read; nothing to process' });
        continue;
      }
      // The mailbox itself is failing (throttled past the retries, refused): stop; the rest stays pending.
      throw err;
    }
    const rawKey = gmailRawKey(gmail.mailbox, id);
    let outcome: GmailPollResult;
    try {
      await deps.blobs.put(rawKey, raw, 'message/rfc822');
      const receipt: Receipt = { source: 'gmail', rawKey, receivedAt: deps.clock.now().toISOString(), recipients: [], verdicts: null };
      outcome = { id, ...(await processInbound(receipt, deps, config)) };
    } catch (err) {
      // This message only: its labels stay, it stays pending (first in line next poll), the others go on.
      const failed: GmailPollResult = { id, outcome: 'error', error: (err as Error).message ?? String(err) };
      results.push(failed);
      await opts.onResult?.(failed);
      continue;
    }
    await client.modifyLabels(id, [processed.id], [...new Set([source.id, 'UNREAD'])]);
    await finished(id, outcome);
  }
  return results;
}

/** The polled label (it must exist) and the processed label (made when missing), by name. */
async function resolveLabels(client: GmailClient, gmail: GmailConfig): Promise<{ source: GmailLabel; processed: GmailLabel }> {
  const labels = await client.listLabels();
  const byName = (all: GmailLabel[], name: string) => all.find((l) => l.name === name) ?? all.find((l) => l.name.toLowerCase() === name.toLowerCase());
  const source = byName(labels, gmail.label);
  if (!source) {
    const names = labels.filter((l) => l.type === 'user').map((l) => l.name);
    throw new GmailConfigError(
      `label "${gmail.label}" does not exist in ${gmail.mailbox} (gmail.label; system labels such as INBOX, or one of: ${names.length ? names.join(', ') : 'no user labels'})`,
    );
  }
  let processed = byName(labels, gmail.processedLabel);
  if (!processed) {
    try {
      processed = await client.createLabel(gmail.processedLabel);
    } catch (err) {
      // Another poller made it a moment ago (409): take theirs.
      processed = err instanceof GmailApiError && err.status === 409 ? byName(await client.listLabels(), gmail.processedLabel) : undefined;
      if (!processed) throw err;
    }
  }
  if (processed.id === source.id) throw new GmailConfigError(`gmail.processedLabel and gmail.label are the same label (${source.name}): processed mail would never leave the label`);
  return { source, processed };
}

/** Ids of messages new in the label since `cursor`, oldest first, and the cursor to save. */
async function newMessages(client: GmailClient, cursor: string | null, labelId: string): Promise<{ ids: string[]; cursor: string; sync: GmailSync }> {
  if (cursor !== null) {
    try {
      const ids: string[] = [];
      let page = await client.listHistory(cursor, labelId, HISTORY_TYPES);
      for (;;) {
        for (const h of page.history ?? []) {
          for (const a of h.messagesAdded ?? []) if (a.message.labelIds?.includes(labelId)) ids.push(a.message.id);
          for (const a of h.labelsAdded ?? []) if (a.labelIds.includes(labelId)) ids.push(a.message.id);
        }
        if (!page.nextPageToken) break;
        page = await client.listHistory(cursor, labelId, HISTORY_TYPES, page.nextPageToken);
      }
      const unique = [...new Set(ids)];
      return { ids: unique, cursor: page.historyId, sync: { kind: 'history', from: cursor, found: unique.length } };
    } catch (err) {
      // Gmail keeps history for about a week, sometimes hours: a 404 means sync in full.
      if (!(err instanceof GmailApiError && err.notFound)) throw err;
      return fullSync(client, labelId, 'history id expired');
    }
  }
  return fullSync(client, labelId, 'first poll');
}

async function fullSync(client: GmailClient, labelId: string, reason: 'first poll' | 'history id expired'): Promise<{ ids: string[]; cursor: string; sync: GmailSync }> {
  // The history id is read BEFORE listing: mail arriving while we list is then both in the list
  // and in the next poll's history (the pipeline knows it the second time), never in neither.
  const { historyId } = await client.getProfile();
  const newestFirst: string[] = [];
  let page = await client.listMessages(labelId);
  newestFirst.push(...page.ids);
  while (page.nextPageToken) {
    page = await client.listMessages(labelId, page.nextPageToken);
    newestFirst.push(...page.ids);
  }
  const ids = [...new Set(newestFirst.reverse())];
  return { ids, cursor: historyId, sync: { kind: 'full', reason, found: ids.length } };
}
