/**
 * A browser in front of the HTTP Lambda: each request an API Gateway HTTP API event (payload
 * format 2.0) made from a recorded one, each answer a Lambda proxy result. Like WebClient
 * (web-client.ts) it keeps cookies per name, sends the Origin a browser sends with a form post
 * and reads a page's form token; it talks to a handler, not a socket.
 */

export type ApiGatewayEvent = Record<string, unknown> & {
  headers: Record<string, string>;
  requestContext: { http: Record<string, string> };
  cookies?: string[];
  rawPath?: string;
  rawQueryString?: string;
};
export type LambdaResult = { statusCode: number; headers: Record<string, string>; body: string; cookies?: string[]; isBase64Encoded: boolean };

/** The next request of the browser that sent `base`: its method, path, query, cookies and body. */
export function nextEvent(base: ApiGatewayEvent, method: string, path: string, init: { cookies?: string[]; body?: Buffer; contentType?: string; query?: string; origin?: string } = {}): ApiGatewayEvent {
  const e = structuredClone(base);
  e.rawPath = path;
  e.rawQueryString = init.query ?? '';
  e.requestContext.http.method = method;
  e.requestContext.http.path = path;
  if (init.cookies) e.cookies = init.cookies;
  if (init.body) {
    e.body = init.body.toString('base64');
    e.isBase64Encoded = true;
    e.headers['content-type'] = init.contentType!;
    e.headers['content-length'] = String(init.body.length);
    e.headers.origin = init.origin ?? `https://${e.headers.host}`;
  }
  return e;
}

/** The token of the first form in a page. */
export function formTokenIn(html: string): string {
  const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`no form token in the page:\n${html.slice(0, 500)}`);
  return token;
}

export class ApiGatewayBrowser {
  readonly #jar = new Map<string, string>();

  constructor(
    readonly base: ApiGatewayEvent,
    readonly invoke: (e: ApiGatewayEvent) => Promise<LambdaResult>,
  ) {}

  /** A GET; `query` is the raw query string, without `?`. */
  async get(path: string, query = ''): Promise<LambdaResult> {
    return this.#keep(await this.invoke(nextEvent(this.base, 'GET', path, { cookies: this.cookies(), query })));
  }

  /** A urlencoded form post, with the Origin header of this site unless `origin` says another. */
  async post(path: string, fields: Record<string, string>, origin?: string): Promise<LambdaResult> {
    const body = Buffer.from(new URLSearchParams(fields).toString());
    return this.#keep(await this.invoke(nextEvent(this.base, 'POST', path, { cookies: this.cookies(), body, contentType: 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) })));
  }

  /** The cookies a browser would send now, as `name=value`. */
  cookies(): string[] {
    return [...this.#jar].map(([k, v]) => `${k}=${v}`);
  }

  cookie(name: string): string | undefined {
    return this.#jar.get(name);
  }

  #keep(r: LambdaResult): LambdaResult {
    for (const c of r.cookies ?? []) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      if (/Max-Age=0/i.test(c)) this.#jar.delete(pair!.slice(0, at));
      else this.#jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return r;
  }
}
