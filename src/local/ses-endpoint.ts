/**
 * A small local stand-in for Amazon SES v1 (`SendRawEmail` over the AWS Query protocol), so the
 * real `SESClient` can send mail with no AWS account. It behaves like SES where our code can
 * tell the difference: SES assigns the MessageId and rewrites the mail's Message-ID header to
 * `<MessageId@REGION.amazonses.com>`, and threading depends on that rewritten header.
 *
 * Sent mail is kept durably in `dir`: `NNNNNN-<MessageId>.eml` (the bytes as SES would deliver
 * them) plus `index.jsonl`, one JSON line per message, appended after the .eml is on disk (so
 * the index line is the commit point; an .eml without one is a crash leftover).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sesMessageIdDomain } from '../aws/ses-mailer.js';
import { appendDurably, listenOnLoopback, QueryApiError, queryErrorXml, readBody, readIndex, send } from './query-server.js';
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface SesEndpointOptions {
  /** Where sent mail is stored (created if missing). */
  dir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Goes into the rewritten Message-ID; defaults to eu-west-1. */
  region?: string;
}

export interface SesEndpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** One line of index.jsonl. */
export interface OutboxRecord {
  seq: number;
  sesMessageId: string;
  /** The Message-ID header as stored (with angle brackets). */
  messageIdHeader: string;
  source: string | null;
  destinations: string[];
  /** ISO 8601: when this endpoint took the mail (the wall clock, as SES would). */
  sentAt: string;
  /** The mail's own Date header, ISO 8601: the sender's clock (`--now` for the CLI); null when absent or unreadable. */
  date?: string | null;
  /** The Message-ID the sender composed, before SES replaced it (ours name the mail's kind: `ack.<key>@…`). */
  composedMessageId?: string | null;
}

export interface OutboxEntry extends OutboxRecord {
  /** Absolute path of the stored raw message (.eml). */
  rawPath: string;
}

export class SesEndpointError extends Error {
  override name = 'SesEndpointError';
}


const INDEX_FILE = 'index.jsonl';
const SES_XMLNS = 'http://ses.amazonaws.com/doc/2010-12-01/';
// SES v1 takes raw messages up to 40 MB after decoding; base64 and form-encoding add about 40%.
const MAX_BODY_BYTES = 60 * 1024 * 1024;

export async function startSesEndpoint(options: SesEndpointOptions): Promise<SesEndpoint> {
  const dir = resolve(options.dir);
  const region = options.region ?? 'eu-west-1';
  await mkdir(dir, { recursive: true });
  let nextSeq = (await highestSeq(dir)) + 1;
  // Requests are stored one at a time so sequence numbers and index lines stay in order.
  let queue: Promise<unknown> = Promise.resolve();

  async function sendRawEmail(params: URLSearchParams): Promise<string> {
    const data = params.get('RawMessage.Data');
    if (!data) throw new QueryApiError('InvalidParameterValue', 'RawMessage.Data is required and must not be empty.');
    const compact = data.replace(/\s+/g, '');
    if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
      throw new QueryApiError('InvalidParameterValue', 'RawMessage.Data is not valid base64.');
    }
    const raw = Buffer.from(compact, 'base64');
    if (raw.length === 0) throw new QueryApiError('InvalidParameterValue', 'RawMessage.Data must not be empty.');

    const sesMessageId = newSesMessageId();
    const messageIdHeader = `<${sesMessageId}@${sesMessageIdDomain(region)}>`;
    const composed = readHeaders(raw);
    const rewritten = replaceMessageId(raw, messageIdHeader);
    const headers = readHeaders(rewritten);
    const source = params.get('Source') ?? headers.get('from') ?? null;
    const destinations = listParam(params, 'Destinations.member');
    const record = {
      source: source && (extractAddresses(source)[0] ?? source),
      destinations: destinations.length
        ? destinations
        : ['to', 'cc', 'bcc'].flatMap((name) => extractAddresses(headers.get(name) ?? '')),
    };
    if (record.destinations.length === 0) {
      throw new QueryApiError('InvalidParameterValue', 'Missing final destination: no Destinations and no To/Cc/Bcc header.');
    }

    const seq = nextSeq++;
    const entry: OutboxRecord = {
      seq,
      sesMessageId,
      messageIdHeader,
      source: record.source,
      destinations: record.destinations,
      sentAt: new Date().toISOString(),
      date: isoDate(composed.get('date')),
      composedMessageId: composed.get('message-id')?.replace(/^<|>$/g, '') || null,
    };
    const file = join(dir, emlName(seq, sesMessageId));
    await writeDurably(file, rewritten);
    await appendDurably(join(dir, INDEX_FILE), `${JSON.stringify(entry)}\n`);
    return sesMessageId;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/') {
      return send(res, 200, 'text/html; charset=utf-8', await renderHtml(dir));
    }
    if (req.method === 'GET' && path === '/messages') {
      return send(res, 200, 'application/json', JSON.stringify(await readOutbox(dir)));
    }
    if (req.method !== 'POST' || path !== '/') {
      return send(res, 404, 'text/plain', 'not found\n');
    }
    const requestId = randomUUID();
    try {
      const params = new URLSearchParams((await readBody(req, MAX_BODY_BYTES, () => new QueryApiError('InvalidParameterValue', 'Message length exceeds the limit.'))).toString('utf8'));
      const action = params.get('Action');
      if (action !== 'SendRawEmail') {
        throw new QueryApiError('InvalidAction', `The action ${action ?? '(none)'} is not valid for this web service.`);
      }
      const run = queue.then(() => sendRawEmail(params));
      queue = run.catch(() => undefined);
      const messageId = await run;
      send(
        res,
        200,
        'text/xml',
        `<SendRawEmailResponse xmlns="${SES_XMLNS}"><SendRawEmailResult><MessageId>${messageId}</MessageId></SendRawEmailResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></SendRawEmailResponse>`,
      );
    } catch (err) {
      const apiError =
        err instanceof QueryApiError ? err : new QueryApiError('InternalFailure', (err as Error).message, 500);
      if (!(err instanceof QueryApiError)) console.error('ses-endpoint: failed to store mail', err);
      send(res, apiError.status, 'text/xml', queryErrorXml(SES_XMLNS, apiError.code, apiError.message, apiError.status, requestId));
    }
  }

  return listenOnLoopback('ses-endpoint', options.port, handle, (message, cause) => new SesEndpointError(message, { cause }));
}

/** The sent mail recorded in `dir`, oldest first. A torn last index line (crash) is skipped. */
export async function readOutbox(dir: string): Promise<OutboxEntry[]> {
  const index = await readIndex<OutboxRecord>(dir, (message, cause) => new SesEndpointError(message, { cause }), 'outbox');
  return index.records.map((record) => ({ ...record, rawPath: join(index.dir, emlName(record.seq, record.sesMessageId)) }));
}

function emlName(seq: number, sesMessageId: string): string {
  return `${String(seq).padStart(6, '0')}-${sesMessageId}.eml`;
}

/** Highest sequence number used in `dir`, from file names, so a restart never overwrites mail. */
async function highestSeq(dir: string): Promise<number> {
  let max = 0;
  for (const name of await readdir(dir)) {
    const match = /^(\d{6,})-.*\.eml$/.exec(name);
    if (match) max = Math.max(max, Number(match[1]));
  }
  return max;
}

/** Like SES: `0102` + 12 hex digits of the time in ms + a UUID + `-000000`. */
function newSesMessageId(): string {
  const time = Date.now().toString(16).padStart(12, '0');
  return `0102${time}-${randomUUID()}-000000`;
}


/**
 * Drops every Message-ID header (with its folded continuation lines) and puts SES's in its
 * place. Works on latin1 strings so every byte of the body round-trips unchanged.
 */
function replaceMessageId(raw: Buffer, messageIdHeader: string): Buffer {
  const text = raw.toString('latin1');
  const { head, rest, eol } = splitHeader(text);
  const lines = head.split(/\r?\n/);
  const out: string[] = [];
  let inserted = false;
  let skipping = false;
  for (const line of lines) {
    if (skipping && /^[ \t]/.test(line)) continue;
    skipping = false;
    if (/^message-id[ \t]*:/i.test(line)) {
      skipping = true;
      if (!inserted) out.push(`Message-ID: ${messageIdHeader}`);
      inserted = true;
      continue;
    }
    out.push(line);
  }
  if (!inserted) out.unshift(`Message-ID: ${messageIdHeader}`);
  return Buffer.from(out.join(eol) + rest, 'latin1');
}

/** Splits at the first empty line; `rest` starts with the separator (or is empty). */
function splitHeader(text: string): { head: string; rest: string; eol: string } {
  const match = /\r?\n\r?\n/.exec(text);
  const eol = /\r\n/.test(text.slice(0, (match?.index ?? text.length) + 2)) ? '\r\n' : '\n';
  if (!match) return { head: text.replace(/\r?\n$/, ''), rest: eol, eol };
  return { head: text.slice(0, match.index), rest: text.slice(match.index), eol };
}

/** Unfolded header values by lower-case name (first occurrence wins). */
function readHeaders(raw: Buffer): Map<string, string> {
  const { head } = splitHeader(raw.subarray(0, 256 * 1024).toString('latin1'));
  const headers = new Map<string, string>();
  for (const field of head.split(/\r?\n(?![ \t])/)) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    const name = field.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, field.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  return headers;
}

function isoDate(value: string | undefined): string | null {
  const time = value ? Date.parse(value.replace(/\s*\([^)]*\)\s*$/, '')) : NaN;
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function extractAddresses(value: string): string[] {
  return value.match(/[^\s<>,;:"()]+@[^\s<>,;:"()]+/g) ?? [];
}

/** `Destinations.member.1`, `.2`, ... in order. */
function listParam(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${prefix}.${i}`); i++) values.push(params.get(`${prefix}.${i}`)!);
  return values;
}

async function writeDurably(file: string, data: Buffer): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}




async function renderHtml(dir: string): Promise<string> {
  const entries = await readOutbox(dir);
  const rows = await Promise.all(
    entries.reverse().map(async (entry) => {
      let subject = '(unreadable)';
      try {
        subject = decodeEncodedWords(readHeaders(await readFile(entry.rawPath)).get('subject') ?? '(no subject)');
      } catch {
        // A missing .eml still gets its row from the index.
      }
      return `<tr><td>${escapeHtml(entry.date ?? entry.sentAt)}</td><td>${escapeHtml(entry.destinations.join(', '))}</td><td>${escapeHtml(subject)}</td></tr>`;
    }),
  );
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Local SES outbox</title></head>
<body><h1>Local SES outbox (${entries.length})</h1>
<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></body></html>
`;
}

/** RFC 2047 `=?charset?B|Q?...?=`, enough to show subjects readably. */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (whole, charset: string, encoding: string, text: string) => {
      try {
        const bytes =
          encoding.toUpperCase() === 'B'
            ? Buffer.from(text, 'base64')
            : Buffer.from(
                text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
                'latin1',
              );
        return new TextDecoder(charset).decode(bytes);
      } catch {
        return whole;
      }
    });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}


