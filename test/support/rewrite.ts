/**
 * Re-address a real fixture for a scenario: replace (or add) top-level headers and keep the
 * rest of the bytes as the client wrote them.
 */
export function withHeaders(raw: Buffer, replace: Record<string, string | null>): Buffer {
  const text = raw.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let head = text.slice(0, split);
  const body = text.slice(split);
  for (const [name, value] of Object.entries(replace)) {
    const pattern = new RegExp(`^${name}:[^\\r\\n]*(\\r?\\n[ \\t][^\\r\\n]*)*(\\r?\\n)?`, 'im');
    head = head.replace(pattern, '');
    if (value !== null) head = `${head.replace(/(\r?\n)?$/, '')}${eol}${name}: ${value}`;
  }
  return Buffer.from(head + body, 'latin1');
}
