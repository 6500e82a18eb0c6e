/** What a CLI command is: the options and arguments it takes, where it may run, and its run. */
import type { ParsedValues } from './options.js';
import type { Options } from './target.js';

export type Access = 'read' | 'write' | 'create' | 'config';

export type Print = (line: string) => void;

export interface CommandSpec {
  /** Options only this command takes (the common ones: data, config, now, stack, region, aws, help). */
  options: string[];
  /** read: an existing store, nothing written; write: an existing store; create: may make the data dir; config: only the config (no store). */
  access: Access;
  /** Runs against a deployed stack (--stack, --aws). */
  deployed: boolean;
  /** What positional arguments it takes. */
  args: 'none' | 'one' | 'some' | 'any';
  /** Its lines under Usage: in --help, as printed (the text starts at column 37, lines end by column 100). */
  help: string;
  /** What its positional arguments must be, checked before any data is touched. */
  check?(args: string[], values: ParsedValues): void;
}

/** A command on the target and config the common options name (resolved before it runs). */
export interface TargetedCommand extends CommandSpec {
  ownTarget?: false;
  run(call: { args: string[]; values: ParsedValues; opts: Options; print: Print }): Promise<number>;
}

/** A command that makes its own data directory and config (the demo): no target is resolved for it. */
export interface OwnTargetCommand extends CommandSpec {
  ownTarget: true;
  run(call: { values: ParsedValues; now: Date | null; print: Print }): Promise<number>;
}

export type Command = TargetedCommand | OwnTargetCommand;
