/**
 * A throwaway Dovecot on 127.0.0.1 for the IMAP poller's tests: its own config, state and one
 * maildir user in a temp dir (see ENVIRONMENT.md, "Dovecot (IMAP) on loopback, as root").
 *
 * With `oauth2`, it also takes XOAUTH2 logins (as Exchange Online's IMAP does) through Dovecot's
 * oauth2 passdb, which asks an RFC 7662 introspection endpoint about each token (mode post:
 * `token=…`) and lets the login in only when the answer is `active: true`, names the user in
 * `username` and carries the wanted `scope`. The password login stays for the test's own client.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { freePort, waitForPort } from './net.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImapFlow } from 'imapflow';

export interface Dovecot {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  /** A connected, logged-in client for the test's own APPENDs and listings; call logout on it. */
  client(): Promise<ImapFlow>;
  /** APPENDs a raw mail, creating the folder if needed. */
  append(folder: string, raw: Buffer): Promise<void>;
  /** Message-IDs and flags of what is in a folder, in UID order ([] when the folder is missing). */
  list(folder: string): Promise<{ uid: number; messageId: string | undefined; seen: boolean }[]>;
  /** Dovecot's log so far (why a login failed). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

function dovecotBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v dovecot || ls /usr/sbin/dovecot'], { encoding: 'utf8' });
  const path = found.stdout.trim().split('\n')[0];
  if (found.status !== 0 || !path) {
    throw new Error('dovecot is not installed: the IMAP tests need it. Install it with `apt-get install -y dovecot-imapd` (.ci/run does).');
  }
  return path;
}

export interface DovecotOptions {
  oauth2?: {
    /** POST `token=…` → `{active, username, scope, …}` (test/support/fake-microsoft-identity.ts serves one). */
    introspectionUrl: string;
    /** The scope a token must carry; default Exchange Online's `https://outlook.office365.com/.default`. */
    scope?: string;
  };
}

export async function startDovecot(opts: DovecotOptions = {}): Promise<Dovecot> {
  const binary = dovecotBinary();
  const dir = await mkdtemp(join(tmpdir(), 'ticketing-dovecot-'));
  const uid = Number(execFileSync('id', ['-u', 'dovecot'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'dovecot'], { encoding: 'utf8' }).trim());
  const port = await freePort();
  const user = 'helpdesk';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  // Dovecot's auth and mail processes run as the dovecot user: they must reach into the temp dir.
  chmodSync(dir, 0o755);
  const home = join(dir, 'home');
  mkdirSync(join(home, 'Maildir'), { recursive: true });
  chownSync(home, uid, gid);
  chownSync(join(home, 'Maildir'), uid, gid);
  await writeFile(join(dir, 'passwd'), `${user}:{PLAIN}${password}:${uid}:${gid}::${home}::\n`);
  const oauth2 = opts.oauth2;
  if (oauth2) {
    // Dovecot 2.3's oauth2 passdb settings (doc.dovecot.org/2.3, "Open Authentication v2.0 database").
    await writeFile(
      join(dir, 'dovecot-oauth2.conf.ext'),
      `introspection_mode = post
introspection_url = ${oauth2.introspectionUrl}
username_attribute = username
active_attribute = active
active_value = true
scope = ${oauth2.scope ?? 'https://outlook.office365.com/.default'}
timeout_msecs = 10000
`,
    );
  }
  const conf = join(dir, 'dovecot.conf');
  await writeFile(
    conf,
    `protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${oauth2 ? ' xoauth2' : ''}
# Failed logins answer at once: the tests make them on purpose.
auth_failure_delay = 0
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
first_valid_uid = 1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
mail_location = maildir:~/Maildir
${
  oauth2
    ? `passdb {
  driver = oauth2
  mechanisms = xoauth2
  args = ${dir}/dovecot-oauth2.conf.ext
}
`
    : ''
}passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/passwd${oauth2 ? '\n  mechanisms = plain login' : ''}
}
userdb {
  driver = passwd-file
  args = ${dir}/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
# Nor does the login after a failure wait out Dovecot's per-IP auth penalty (2 s doubling to 15 s):
# an auth process that cannot reach this socket has no penalty (doc.dovecot.org, "Authentication penalty support").
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`,
  );
  // Dovecot daemonizes; its children would hold piped stdio open forever, so the log file tells instead.
  const started = spawnSync(binary, ['-c', conf], { stdio: 'ignore' });
  if (started.status !== 0) {
    const log = await readFile(join(dir, 'dovecot.log'), 'utf8').catch(() => '');
    throw new Error(`dovecot failed to start (exit ${started.status}): ${log}`);
  }
  await waitForPort(port, 10_000);

  const client = async (): Promise<ImapFlow> => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass: password }, logger: false, disableAutoIdle: true });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  const withClient = async <T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = await client();
    try {
      return await fn(c);
    } finally {
      await c.logout().catch(() => c.close());
    }
  };
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    client,
    append: (folder, raw) =>
      withClient(async (c) => {
        if (!(await c.list()).some((f) => f.path === folder)) await c.mailboxCreate(folder);
        await c.append(folder, raw);
      }),
    list: (folder) =>
      withClient(async (c) => {
        const folders = await c.list();
        if (!folders.some((f) => f.path === folder)) return [];
        const box = await c.mailboxOpen(folder, { readOnly: true });
        if (box.exists === 0) return [];
        const messages = await c.fetchAll('1:*', { uid: true, flags: true, envelope: true });
        return messages.map((m) => ({ uid: m.uid, messageId: m.envelope?.messageId, seen: m.flags?.has('\\Seen') ?? false }));
      }),
    log: () => readFile(join(dir, 'dovecot.log'), 'utf8').catch(() => ''),
    async stop() {
      const pid = Number((await readFile(join(dir, 'run', 'master.pid'), 'utf8').catch(() => '')).trim());
      if (pid) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
        for (let i = 0; i < 100; i++) {
          try {
            process.kill(pid, 0);
          } catch {
            break;
          }
          await sleep(50);
        }
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A TCP proxy in front of the IMAP server that can cut the connection in the middle of the
 * n-th message body download: it forwards half of the server's first answer, then drops both sides.
 */
export interface CuttingProxy {
  port: number;
  cutDuringFetch(n: number): void;
  close(): Promise<void>;
}

export async function cuttingProxy(targetPort: number): Promise<CuttingProxy> {
  let cutAt = 0;
  let fetches = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((downstream) => {
    const upstream = new Socket();
    sockets.add(downstream).add(upstream);
    let cutting = false;
    const drop = () => (downstream.destroy(), upstream.destroy());
    downstream.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    upstream.connect(targetPort, '127.0.0.1');
    downstream.on('data', (chunk: Buffer) => {
      if (/(BODY|BINARY)\.PEEK\[\]/i.test(chunk.toString('latin1')) && cutAt > 0 && ++fetches === cutAt) cutting = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cutting) return void downstream.write(chunk);
      downstream.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))), drop);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cutDuringFetch(n) {
      cutAt = n;
      fetches = 0;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
