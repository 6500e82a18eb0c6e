/** A command's target and config, from --stack, --aws, or --data and what that directory recorded. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, configSchema, loadConfigFile, parseConfig, type Config } from '../config.js';
import { withLinkKeys } from '../aws/link-keys.js';
import { readDeployedStack, StackOutputsError } from '../aws/stack-outputs.js';
import { assertHasData, assertStoreOpenable, findServing, hasStore, prepareDataDir, readManifest, shown, writeManifest } from '../local/data-dir.js';
import { withLocalLinkKey } from '../local/link-key.js';
import type { Access, CommandSpec } from './command.js';
import { COMMANDS } from './commands.js';
import type { ParsedValues } from './options.js';
import type { Options } from './target.js';
import { UsageError } from './errors.js';

export interface ResolvedRun {
  opts: Options;
  /** The one line on stderr that says which config (and which data) the command used. */
  about: string;
}

/** Target and config for a command: a deployed stack, or a data directory and what it recorded. */
export async function resolveRun(command: string, spec: CommandSpec, values: ParsedValues, now: Date | null): Promise<ResolvedRun> {
  const json = values.json === true;
  const access: Access = command === 'stale' && values['dry-run'] ? 'read' : spec.access;
  if (values.stack !== undefined || values.aws) {
    if (values.stack !== undefined && values.aws) throw new UsageError('--stack and --aws both name a deployed stack: give one');
    const deployedCommands = Object.entries(COMMANDS).filter(([, s]) => s.deployed).map(([name]) => (name === 'stale' ? 'stale --dry-run' : name));
    if (!spec.deployed) throw new UsageError(`${command} works on the embedded stack only; a deployed stack takes ${deployedCommands.join(', ')}`);
    if (command === 'stale' && !values['dry-run']) {
      throw new UsageError('the deployed stack runs the stale job on its own schedule; see what it would do with stale --dry-run');
    }
    if (values.data !== undefined) throw new UsageError(`--data is the embedded stack's; with ${values.stack !== undefined ? '--stack' : '--aws'} the data is the deployed stack's`);
    if (values.stack !== undefined) {
      const stack = await readDeployedStack(values.stack, values.region);
      let config = values.config ? loadConfigFile(values.config) : stack.config;
      if (!config) {
        throw new StackOutputsError(`stack ${stack.stackName} has no TicketingConfig output (deployed before the CLI could read its config): redeploy it, or pass --config FILE with the settings it was deployed with`);
      }
      config = { ...config, aws: { ...config.aws, region: stack.region, tableName: stack.tableName, bucket: stack.bucket } };
      if (stack.webUrl) config = { ...config, web: { ...config.web, baseUrl: stack.webUrl } };
      const source = values.config ? `${values.config} (--config)` : `the stack's TicketingConfig output`;
      const keyed = access === 'read' || access === 'config' ? { config, note: null } : await deployedLinkKeys(config);
      return {
        opts: { target: { kind: 'deployed', label: `stack ${stack.stackName}` }, config: keyed.config, now, json },
        about: `stack ${stack.stackName} in ${stack.region} (table ${stack.tableName}, bucket ${stack.bucket}); config: ${source}${keyed.note ?? ''}`,
      };
    }
    const file = loadConfigFile(values.config);
    const config = values.region ? { ...file, aws: { ...file.aws, region: values.region } } : file;
    return {
      opts: { target: { kind: 'deployed', label: `table ${config.aws.tableName}` }, config, now, json },
      about: `--aws: table ${config.aws.tableName}, bucket ${config.aws.bucket} in ${config.aws.region}; config: ${values.config ?? 'built-in defaults'}`,
    };
  }

  const data = values.data ?? '.data';
  if (values.region !== undefined) throw new UsageError('--region goes with --stack (a deployed stack)');
  // Only the config: no store is opened, made or recorded in.
  const storeless = access === 'config';
  if (access !== 'create' && !storeless) assertHasData(data);
  const hadStore = hasStore(data);
  if (access !== 'read' && !storeless) prepareDataDir(data);
  const serving = command === 'outbox' ? null : await findServing(data);
  if (access === 'read' && !serving && command !== 'outbox') assertStoreOpenable(data);
  const manifest = readManifest(data);
  let config: Config;
  let source: string;
  if (values.config !== undefined) {
    config = loadConfigFile(values.config);
    source = `${shown(values.config)}${manifest?.config && resolve(values.config) !== manifest.config ? ` (--config; ${shown(data)} was made with ${shown(manifest.config)})` : ''}`;
  } else if (manifest) {
    config = manifest.config ? loadRecordedConfig(manifest.config, data) : parseConfig({});
    source = `${manifest.config ? shown(manifest.config) : 'built-in defaults'}, recorded for ${shown(data)}`;
  } else {
    config = parseConfig({});
    source = `built-in defaults${hadStore ? ` (none recorded for ${shown(data)}; pass --config FILE once to record one)` : ''}`;
  }
  // Recorded by the command that makes the store, or by the first --config given for an older
  // store; never guessed for a store made before configs were recorded.
  if (!manifest && access !== 'read' && !storeless && (!hadStore || values.config !== undefined)) {
    writeManifest(data, { config: values.config === undefined ? null : resolve(values.config), recordedAt: new Date().toISOString() });
    source += `; now recorded for ${shown(data)}`;
  }
  const through = serving ? `; through the running ticketing serve (pid ${serving.pid})` : '';
  // Mail sent from here carries status links as serve's does: the data dir's key, serve's address.
  if (access !== 'read' && !storeless) config = withLocalLinkKey(config, data);
  if (serving?.webUrl && config.web.baseUrl === configSchema.parse({}).web.baseUrl) config = { ...config, web: { ...config.web, baseUrl: serving.webUrl } };
  return {
    opts: { target: serving ? { kind: 'serving', data, serving } : { kind: 'local', data }, config, now, json, html: values.html },
    about: `config ${source}${through}`,
  };
}

function loadRecordedConfig(path: string, data: string): Config {
  if (!existsSync(path)) {
    throw new ConfigError(`the config recorded for ${shown(data)}, ${path}, is gone: pass --config FILE (or restore the file)`);
  }
  return loadConfigFile(path);
}

/** The stack's link keys (its secret), so mail this command sends carries status links; without them, said in one line. */
async function deployedLinkKeys(config: Config): Promise<{ config: Config; note: string | null }> {
  try {
    return { config: await withLinkKeys(config), note: null };
  } catch (err) {
    return { config, note: `; mail sent from here has no status link (${(err as Error).message})` };
  }
}
