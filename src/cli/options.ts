/** The command line's options: what each takes, how a mistake in them is said, and --now. */
import { parseArgs } from 'node:util';
import { closest } from '../domain/did-you-mean.js';
import { UsageError } from './errors.js';

export const OPTIONS = {
  data: { type: 'string' },
  config: { type: 'string' },
  now: { type: 'string' },
  json: { type: 'boolean' },
  html: { type: 'string' },
  'dry-run': { type: 'boolean' },
  out: { type: 'string' },
  yes: { type: 'boolean' },
  'smtp-port': { type: 'string' },
  'http-port': { type: 'string' },
  name: { type: 'string' },
  once: { type: 'boolean' },
  quarantined: { type: 'boolean' },
  stack: { type: 'string' },
  region: { type: 'string' },
  aws: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options every command takes; the rest belong to the commands that list them. */
export const COMMON_OPTIONS = new Set(['data', 'config', 'now', 'stack', 'region', 'aws', 'help']);

export type ParsedValues = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

export interface CommandLine {
  values: ParsedValues;
  positionals: string[];
}

export function parseCommandLine(argv: string[]): CommandLine {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS }) as CommandLine;
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw optionError(err as Error);
    throw err;
  }
}

/** parseArgs' own errors, as one line that says what to do. */
function optionError(err: Error & { code?: string }): UsageError {
  const option = /'(-{1,2}[^'\s]+)/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const near = closest(option.replace(/^-+/, ''), Object.keys(OPTIONS));
    return new UsageError(`unknown option ${option}${near ? ` (did you mean --${near}?)` : ''}; run ticketing --help for the options`);
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const name = option.replace(/^-+/, '');
    const takesValue = (OPTIONS as Record<string, { type: string }>)[name]?.type === 'string';
    return new UsageError(takesValue ? `${option} needs a value, e.g. ${option} ${EXAMPLE_VALUES[name] ?? 'VALUE'}` : `${option} takes no value`);
  }
  return new UsageError(`${err.message.split('. ')[0]}; run ticketing --help`);
}

const EXAMPLE_VALUES: Record<string, string> = {
  data: '.data/demo',
  config: 'fixtures/northwind.config.json',
  now: '2026-11-23T09:00:00Z',
  html: 'digest.html',
  out: 'tickets.jsonl',
  'smtp-port': '2525',
  'http-port': '8080',
  name: 'monitoring',
  stack: 'Ticketing-prod',
  region: 'eu-west-1',
};

export function parseNow(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new UsageError(`--now expects an ISO-8601 time such as 2026-11-23T09:00:00Z, got "${value}"`);
  }
  return date;
}
