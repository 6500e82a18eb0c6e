/** Parse warnings: what the mail said is quoted, never in full, and there are only so many. */

/** Characters of a value a warning quotes at most. */
const QUOTED_CHARS = 100;
/** Warnings kept at most; the rest are counted. */
const MAX_WARNINGS = 10;

/** At most QUOTED_CHARS of a value the mail chose, control characters shown as \xNN. */
export function clip(value: string): string {
  const start = value.length > QUOTED_CHARS ? `${value.slice(0, QUOTED_CHARS)}…` : value;
  return start.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function quote(value: string): string {
  return `"${clip(value)}"`;
}

export function boundedWarnings(warnings: Set<string>): string[] {
  const all = [...warnings];
  return all.length <= MAX_WARNINGS ? all : [...all.slice(0, MAX_WARNINGS), `and ${all.length - MAX_WARNINGS} more warnings`];
}
