/**
 * The HTTP app on loopback for `ticketing serve`, through @hono/node-server: the same app the
 * Lambda runs. It is mounted once the port is known, so the links it mails point at it.
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

export interface HttpServer {
  port: number;
  /** Starts answering with this app (until then every request gets 503). */
  mount(app: FetchApp): void;
  close(): Promise<void>;
}

export class HttpServerError extends Error {
  override name = 'HttpServerError';
}

type FetchApp = { fetch(request: Request, env: unknown): Response | Promise<Response> };

/** The peer of the connection: on loopback, never a header the client wrote. */
export function socketAddress(c: Context): string {
  return getConnInfo(c).remote.address ?? 'unknown';
}

export async function startHttpServer(port: number, host = '127.0.0.1'): Promise<HttpServer> {
  let app: FetchApp | null = null;
  const server = createAdaptorServer({
    hostname: host,
    fetch: (request, env) => (app ? app.fetch(request, env) : new Response('starting', { status: 503 })),
  });
  const bound = await new Promise<number>((done, fail) => {
    const onError = (err: Error): void => fail(new HttpServerError(`cannot listen for HTTP on ${host}:${port}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      done((server.address() as AddressInfo).port);
    });
  });
  let closed: Promise<void> | undefined;
  return {
    port: bound,
    mount(served) {
      app = served;
    },
    close() {
      closed ??= new Promise<void>((done) => {
        server.close(() => done());
        // Idle keep-alive connections of a browser would hold the close open; requests under way finish.
        (server as unknown as { closeIdleConnections(): void }).closeIdleConnections();
      });
      return closed;
    },
  };
}
