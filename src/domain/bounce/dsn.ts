/** RFC 3464 delivery status notifications: the per-recipient blocks, in whatever order the MTA writes them. No I/O. */
import { addressOf, diagnosticOf, lines, REPLY_AND_STATUS, STATUS_CODE, type FailedRecipient } from './failed-recipient.js';

interface Block {
  original?: string;
  final?: string;
  action?: string;
  status?: string;
  diagnostic?: string;
}

/** Header-style fields of a text (continuation lines unfolded), grouped at blank lines. */
function fieldGroups(text: string): { name: string; value: string }[][] {
  const groups: { name: string; value: string }[][] = [];
  let group: { name: string; value: string }[] = [];
  const close = () => {
    if (group.length) groups.push(group);
    group = [];
  };
  for (const line of lines(text)) {
    if (line.trim() === '') {
      close();
      continue;
    }
    const last = group[group.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last.value += ` ${line.trim()}`;
      continue;
    }
    const m = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (m) group.push({ name: (m[1] as string).toLowerCase(), value: (m[2] as string).trim() });
    else close(); // prose (or a quoted `>` line) ends a field group
  }
  close();
  return groups;
}

const BLOCK_FIELDS: Record<string, keyof Block> = {
  'original-recipient': 'original',
  'final-recipient': 'final',
  action: 'action',
  status: 'status',
  'diagnostic-code': 'diagnostic',
};

/**
 * One block per recipient. MTAs differ in field order (RFC 3464 puts Original- before
 * Final-Recipient, Postfix the other way round, PMDF puts Action and Status first) and some
 * leave out the blank line between recipients, so a block ends where one of its fields repeats.
 */
export function rfc3464Blocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const group of fieldGroups(text)) {
    let block: Block = {};
    for (const { name, value } of group) {
      const key = BLOCK_FIELDS[name];
      if (!key) continue;
      if (block[key] !== undefined) {
        blocks.push(block);
        block = {};
      }
      block[key] = value;
    }
    blocks.push(block);
  }
  return blocks.filter((b) => b.original !== undefined || b.final !== undefined);
}

/**
 * The most specific enhanced status code: `Status: 5.0.0` says only "failed", and the remote
 * server's words often carry the real one (`550-'5.7.1 … Access denied'`). A code right after an
 * SMTP reply code is the server's own; any other code in the words comes next.
 */
function specificStatus(status: string | null, diagnostic: string | null): string | null {
  if (status && !/^\d\.0\.0$/.test(status)) return status;
  const fromServer = diagnostic ? (REPLY_AND_STATUS.exec(diagnostic)?.[1] ?? STATUS_CODE.exec(diagnostic)?.[1] ?? null) : null;
  return fromServer && !/^\d\.0\.0$/.test(fromServer) ? fromServer : (status ?? fromServer);
}

export function fromBlock(b: Block): FailedRecipient | null {
  const address = (b.original !== undefined ? addressOf(b.original) : null) ?? (b.final !== undefined ? addressOf(b.final) : null);
  if (!address) return null;
  const diagnostic = b.diagnostic !== undefined ? diagnosticOf(b.diagnostic) : null;
  const status = specificStatus(b.status ? (STATUS_CODE.exec(b.status)?.[1] ?? null) : null, diagnostic);
  // Without an Action, a 4.x.x status is not a delay: "message expired" reports come like that.
  const action = b.action?.trim().split(/[\s;(]/)[0]?.toLowerCase() || (status?.startsWith('2') ? 'delivered' : 'failed');
  return { address, action, status, diagnostic };
}
