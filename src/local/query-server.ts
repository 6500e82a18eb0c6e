/**
 * What our local stand-ins for AWS Query-protocol services (SES, SNS) share: the loopback HTTP
 * server, the XML error answer the SDK clients parse, and the durable index.jsonl they keep.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { open, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { escapeHtml } from '../mail/templates/render.js';

/** An error the service would answer with; becomes the Query-protocol XML error body. */
export class QueryApiError extends Error {
  override name = 'QueryApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface LoopbackServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** An AWS Query-protocol error answer: `Sender` faults for 4xx, `Receiver` for 5xx. */
export function queryErrorXml(xmlns: string, code: string, message: string, status: number, requestId: string): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeHtml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

/** Serves `handle` on 127.0.0.1 only; a handler crash answers 500 and is logged under `name`. */
export async function listenOnLoopback(
  name: string,
  port: number | undefined,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  listenError: (message: string, cause: Error) => Error,
): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error(`${name}: request failed`, err);
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
      else res.destroy();
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', (err) => fail(listenError(`cannot listen on 127.0.0.1:${port ?? 0}: ${err.message}`, err)));
    server.listen(port ?? 0, '127.0.0.1', () => done());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((err) => (err ? fail(err) : done()));
        // Idle keep-alive sockets from SDK clients must not hold the process open.
        server.closeIdleConnections();
      }),
  };
}

/** The records of `dir/index.jsonl`, oldest first; a torn last line (a crash) is skipped. */
export async function readIndex<T>(dir: string, readError: (message: string, cause: unknown) => Error, what: string): Promise<{ dir: string; records: T[] }> {
  const abs = resolve(dir);
  let text: string;
  try {
    text = await readFile(join(abs, 'index.jsonl'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { dir: abs, records: [] };
    throw readError(`cannot read the ${what} index in ${abs}`, err);
  }
  const records: T[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch {
      continue;
    }
  }
  return { dir: abs, records };
}

/** Appends a line and waits for it to be on disk: the index line is each record's commit point. */
export async function appendDurably(file: string, line: string): Promise<void> {
  const handle = await open(file, 'a');
  try {
    await handle.appendFile(line);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The request body, refused with `tooLarge` past `maxBytes` (a stand-in never buffers without bound). */
export async function readBody(req: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
