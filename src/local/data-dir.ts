/**
 * The local data directory (`--data`): whether it holds a store, making it without surprises,
 * and the two small files it keeps about itself:
 *
 * - `ticketing.json`, written by the first command that writes there: the config file that
 *   command used (absolute path, or null for the built-in defaults), so later commands on the
 *   same data use the same config unless `--config` says otherwise.
 * - `serving.json`, while `ticketing serve` runs: its process id and the endpoints of its
 *   embedded stack, so other commands talk to that stack instead of opening the store a second
 *   time (dynalite's LevelDB allows one process).
 *
 * Every failure here is a `DataDirError` whose message is one line: the cause and what to do.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { closest } from '../domain/did-you-mean.js';
import type { LocalEndpoints } from './stack.js';

export class DataDirError extends Error {
  override name = 'DataDirError';
}

/** A read of a data directory that holds no store: nothing was ever ingested there. */
export class NoDataError extends DataDirError {
  override name = 'NoDataError';
}

export const MANIFEST_FILE = 'ticketing.json';
export const SERVING_FILE = 'serving.json';

export interface DataDirManifest {
  /** The config file the data was made with (absolute), or null: the built-in defaults. */
  config: string | null;
  /** When the first writing command recorded it (ISO 8601, the wall clock). */
  recordedAt: string;
}

export interface ServingRecord {
  pid: number;
  endpoints: LocalEndpoints;
  region: string;
  smtpPort: number;
  sesWebUrl: string;
  /** Where serve's web surface answers (its web.baseUrl): links in mail other commands send point there. */
  webUrl?: string;
  startedAt: string;
}

/** How a path is shown to the person who typed it: relative to the working directory when inside it. */
export function shown(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel && !rel.startsWith('..') && !rel.startsWith(sep) ? rel : resolve(path);
}

/** The embedded DynamoDB's directory: its presence is what "this data dir has a store" means. */
function storeDir(dir: string): string {
  return join(dir, 'dynamodb');
}

export function hasStore(dir: string): boolean {
  return isDirectory(storeDir(resolve(dir)));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * For a read: the data dir must hold a store. Otherwise a `NoDataError` that says so and, when a
 * nearby directory holds one (a typo, or `.data` when the demo wrote `.data/demo`), names it.
 */
export function assertHasData(dir: string): void {
  const abs = resolve(dir);
  if (existsSync(abs) && !isDirectory(abs)) throw new DataDirError(`--data ${shown(dir)} is a file, not a data directory; pass the directory ingest wrote to`);
  if (hasStore(abs)) return;
  const near = nearbyStores(abs);
  const hint = near.length ? `; did you mean ${near.map(shown).join(' or ')}?` : `; ingest mail first (ticketing ingest FILE.eml --data ${shown(dir)}) or pass --data DIR`;
  throw new NoDataError(`no data in ${shown(dir)}: nothing has been ingested there${hint}`);
}

/** Stores the user may have meant: inside the directory named, or a sibling with a similar name. */
function nearbyStores(abs: string): string[] {
  const children = isDirectory(abs) ? subdirectories(abs).filter(hasStore) : [];
  if (children.length) return children.slice(0, 3);
  const parent = dirname(abs);
  const siblings = isDirectory(parent) ? subdirectories(parent).filter(hasStore) : [];
  const match = closest(basename(abs), siblings.map((s) => basename(s)));
  return match ? [join(parent, match)] : [];
}

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

/**
 * For a write: the data dir exists and this user may write to it, else a one-line error. Made
 * one level at a time (Node's recursive mkdir spins forever under /proc).
 */
export function prepareDataDir(dir: string): void {
  const abs = resolve(dir);
  const missing: string[] = [];
  let existing = abs;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (!isDirectory(existing)) {
    throw new DataDirError(`cannot use --data ${shown(dir)}: ${shown(existing)} is a file, not a directory; choose another path`);
  }
  for (const path of missing) {
    try {
      mkdirSync(path);
    } catch (err) {
      throw new DataDirError(`cannot create --data ${shown(dir)}: ${reason(err)} at ${shown(path)}; choose a directory you can write to`, { cause: err });
    }
  }
  try {
    accessSync(abs, constants.W_OK);
    if (hasStore(abs)) accessSync(storeDir(abs), constants.W_OK);
  } catch (err) {
    throw new DataDirError(`cannot write to --data ${shown(dir)}: ${reason(err)}; run as its owner, or use another directory`, { cause: err });
  }
}

/**
 * For a read of an existing store in this process: the embedded DynamoDB takes a lock file even
 * to read, so a store this user cannot write to cannot be opened. Said before dynalite tries.
 */
export function assertStoreOpenable(dir: string): void {
  try {
    accessSync(storeDir(resolve(dir)), constants.W_OK);
  } catch (err) {
    throw new DataDirError(
      `cannot open the store in ${shown(dir)}: ${reason(err)} (the embedded DynamoDB writes a lock file even to read); run as the directory's owner, or copy it and pass --data COPY`,
      { cause: err },
    );
  }
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return (err as Error).message;
  }
}

export function readManifest(dir: string): DataDirManifest | null {
  const path = join(resolve(dir), MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<DataDirManifest>;
    if (parsed.config !== null && typeof parsed.config !== 'string') throw new Error('"config" is neither a path nor null');
    return { config: parsed.config, recordedAt: String(parsed.recordedAt ?? '') };
  } catch (err) {
    throw new DataDirError(`${shown(path)} is damaged (${(err as Error).message}); delete it and pass --config FILE once to record the config again`, { cause: err });
  }
}

/** Written whole or not at all (a kill mid-write leaves the old file or none). */
export function writeManifest(dir: string, manifest: DataDirManifest): void {
  writeAtomically(join(resolve(dir), MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function writeServing(dir: string, record: ServingRecord): void {
  writeAtomically(join(resolve(dir), SERVING_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** Removes the record, if it is this process's (a second serve that failed must not remove the first's). */
export function removeServing(dir: string, pid = process.pid): void {
  const path = join(resolve(dir), SERVING_FILE);
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as ServingRecord;
    if (record.pid === pid) rmSync(path, { force: true });
  } catch {
    // Nothing recorded, or unreadable: nothing of ours to remove.
  }
}

/**
 * The `ticketing serve` running on this data dir, if one is: its record, when its process is
 * alive and its DynamoDB endpoint answers. A record left by a serve that was killed is ignored.
 */
export async function findServing(dir: string): Promise<ServingRecord | null> {
  let record: ServingRecord;
  try {
    record = JSON.parse(readFileSync(join(resolve(dir), SERVING_FILE), 'utf8')) as ServingRecord;
  } catch {
    return null;
  }
  if (!Number.isInteger(record.pid) || !record.endpoints?.dynamodb || !processAlive(record.pid)) return null;
  return (await answers(record.endpoints.dynamodb)) ? record : null;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether an HTTP server answers at `url` (any status), within a second. */
function answers(url: string): Promise<boolean> {
  return new Promise((done) => {
    const req = request(url, { method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      done(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(false));
    req.end();
  });
}
