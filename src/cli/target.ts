/** Where a command runs and with what: the target, the config and the clock it was given. */
import type { Config } from '../config.js';
import { shown, type ServingRecord } from '../local/data-dir.js';

/** Where a command's data is: the embedded stack in this process, the one `serve` runs, or AWS. */
export type Target =
  | { kind: 'local'; data: string }
  | { kind: 'serving'; data: string; serving: ServingRecord }
  | { kind: 'deployed'; label: string };

export interface Options {
  target: Target;
  config: Config;
  now: Date | null;
  /** Demo: each mail arrives at the time in its Date header, so the story's clock is the mails'. */
  arriveAtDateHeader?: boolean;
  json: boolean;
  /** `stale --html FILE`: where the digest's HTML goes. */
  html?: string;
}

export function where(target: Target): string {
  return target.kind === 'deployed' ? target.label : shown(target.data);
}
