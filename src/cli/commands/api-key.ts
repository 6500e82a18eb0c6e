/** `ticketing api-key create|list|revoke`: the REST API's keys; a key is printed once and only its hash is kept. */
import { ApiKeyError, newApiKey, type ApiKeyRecord } from '../../http/api-keys.js';
import type { TargetedCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { withPorts } from '../ports.js';
import type { Options } from '../target.js';

const ACTIONS = ['create', 'list', 'revoke'] as const;

export const apiKey: TargetedCommand = {
  options: ['name', 'json'], access: 'write', deployed: true, args: 'one',
  help: `  ticketing api-key create --name NAME | list [--json] | revoke --name NAME
                                    keys for the REST API (Authorization: Bearer KEY); a new key is
                                    printed once, only its hash is kept`,
  check: (args, values) => {
    const action = args[0];
    if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) throw new UsageError(`api-key takes create, list or revoke${action ? `, not "${action}"` : ''}, e.g. ticketing api-key create --name monitoring`);
    if (action !== 'list' && !values.name) throw new UsageError(`api-key ${action} needs --name, e.g. ticketing api-key ${action} --name monitoring`);
  },
  run: ({ args, values, opts, print }) => apiKeys(args[0] as (typeof ACTIONS)[number], values.name, opts, print),
};

async function apiKeys(action: (typeof ACTIONS)[number], name: string | undefined, opts: Options, print: (line: string) => void): Promise<number> {
  return withPorts(opts, async (deps) => {
    const now = deps.clock.now();
    if (action === 'create') {
      let made;
      try {
        made = newApiKey(name!, now);
      } catch (err) {
        if (err instanceof ApiKeyError) throw new UsageError(err.message);
        throw err;
      }
      if (!(await deps.apiKeys.createApiKey(made.record))) {
        print(`There is already an API key named "${name}" (names are never reused, even once revoked). Choose another name.`);
        return 1;
      }
      print(opts.json ? JSON.stringify({ name: made.record.name, key: made.key, createdAt: made.record.createdAt }) : [
        `API key "${made.record.name}" made. It is shown this once; store it where your tool keeps secrets:`,
        ``,
        `  ${made.key}`,
        ``,
        `Use it as: Authorization: Bearer <key>   (revoke it with: ticketing api-key revoke --name ${made.record.name})`,
      ].join('\n'));
      return 0;
    }
    if (action === 'revoke') {
      const revoked = await deps.apiKeys.revokeApiKey(name!, now.toISOString());
      print(revoked ? `API key "${name}" revoked: requests with it are refused from now on.` : `No API key "${name}" to revoke (it does not exist, or was revoked already).`);
      return revoked ? 0 : 1;
    }
    const keys = await deps.apiKeys.listApiKeys();
    if (opts.json) print(JSON.stringify(keys.map(({ hash: _hash, ...shown }) => shown), null, 2));
    else print(keys.length ? keyTable(keys) : 'No API keys yet. Make one with: ticketing api-key create --name NAME');
    return 0;
  });
}

function keyTable(keys: ApiKeyRecord[]): string {
  const rows = keys.map((k) => [k.name, `${k.hint}…`, k.createdAt.slice(0, 16).replace('T', ' '), k.revokedAt ? `revoked ${k.revokedAt.slice(0, 16).replace('T', ' ')}` : 'active']);
  const header = ['NAME', 'STARTS WITH', 'CREATED (UTC)', 'STATE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
