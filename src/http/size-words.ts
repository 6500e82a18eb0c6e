/** 65 KB, 4.5 MB: a size as a person reads it (rounded up below a megabyte, so a limit never reads as 0). */
export function sizeInWords(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
