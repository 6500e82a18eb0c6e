/**
 * A small browser stand-in for HTTP tests: keeps cookies like a browser (per name, path /), sends
 * the Origin header a browser sends with a form post, and reads the form token from a page.
 */
export class WebClient {
  readonly #cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.#send(path, { method: 'GET', headers });
  }

  /** A form post as a browser makes it (multipart when it carries files). */
  async post(path: string, body: FormData | URLSearchParams, headers: Record<string, string> = {}): Promise<Response> {
    return this.#send(path, { method: 'POST', body, headers: { origin: this.base, ...headers }, redirect: 'manual' });
  }

  /** The token of the first form on the page at `path` (getting the page sets the form cookie). */
  async formToken(path = '/'): Promise<string> {
    const html = await (await this.get(path)).text();
    const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error(`no form token on ${path}:\n${html.slice(0, 500)}`);
    return token;
  }

  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  async #send(path: string, init: RequestInit & { headers: Record<string, string> }): Promise<Response> {
    const cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(new URL(path, this.base), { ...init, headers: { ...init.headers, ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.#cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
    return response;
  }
}

/** A request form's fields as FormData, files included. */
export function requestForm(token: string, fields: Partial<Record<'name' | 'email' | 'subject' | 'description' | 'website', string>>, files: { name: string; type: string; content: string | Buffer }[] = []): FormData {
  const form = new FormData();
  form.set('token', token);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  for (const f of files) form.append('attachments', new Blob([f.content], { type: f.type }), f.name);
  return form;
}
