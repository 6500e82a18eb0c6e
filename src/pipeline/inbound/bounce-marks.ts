/**
 * A bounce marks the addresses it reports as failed, only where it reports a mail we sent to
 * that address: tied by our return path, or by quoting the Message-ID of mail sent in our name.
 * Anyone can write a bounce; only the recipient's mail system saw those.
 */
import { isSupportAddress } from '../../domain/addresses.js';
import { boundedLine } from '../bounds.js';
import type { Delivery } from './context.js';

/** Marks what the bounce proves; resolves to what it said about each address it names. */
export async function recordBounce(d: Delivery): Promise<string[]> {
  if (!d.bounce) return [];
  const ties = [...(d.returnPath ? [d.returnPath] : []), ...d.bounce.originalMessageIds].filter((k) => d.found.sentTo.has(k));
  const reached = new Set(ties.flatMap((k) => d.found.sentTo.get(k)!));
  const failed = d.bounce.failedRecipients.filter((r) => !isSupportAddress(r.address, d.book));
  const marked = failed.filter((r) => reached.has(r.address));
  const unproven = failed.filter((r) => !reached.has(r.address));
  const at = d.now.toISOString();
  await Promise.all(marked.map((r) => d.ports.store.markBouncing(r.address, boundedLine([r.status, r.diagnostic].filter(Boolean).join(' ') || 'delivery failed', 300), at)));
  const how = d.returnPath && ties.includes(d.returnPath) ? 'our return path' : 'the Message-ID of our mail';
  return [
    marked.length ? `${marked.map((r) => r.address).join(', ')} marked as bouncing: the bounce reports our mail to ${marked.length === 1 ? 'it' : 'them'} failed (tied by ${how})` : null,
    unproven.length
      ? `${unproven.map((r) => r.address).slice(0, 5).join(', ')} not marked as bouncing: the bounce names no mail we sent to ${unproven.length === 1 ? 'that address' : 'those addresses'}, and anyone can write a bounce`
      : null,
  ].filter((n): n is string => n !== null);
}
