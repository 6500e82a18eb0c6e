/**
 * What a run left behind, as comparable lines: the tickets, each thread (messages and history),
 * and the mail in the local SES outbox. Reliability tests compare a disturbed run with a clean one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import type { TicketStore } from '../../src/pipeline/ports.js';

export async function ticketLines(store: TicketStore): Promise<{ tickets: string[]; threads: string[] }> {
  const tickets = await store.listTickets();
  const threads: string[] = [];
  for (const t of tickets) {
    const [messages, events] = await Promise.all([store.listMessages(t.key), store.listEvents(t.key)]);
    threads.push(...messages.map((m) => `${t.id} ${m.direction} ${m.role} ${m.direction === 'inbound' ? m.messageId : m.subject}`));
    threads.push(...events.map((e) => `${t.id} event ${e.kind} ${e.from} → ${e.to} ${e.actor}`));
    // Every message's Message-ID is a thread key that leads back to this ticket.
    const ids = messages.map((m) => m.messageId);
    const found = await store.lookUpInbound({ receiptIds: [], threadKeys: ids, ticketKeys: [], messageItems: [], ticketNumber: null, requester: null, profile: null, planKey: 'none' });
    threads.push(...ids.filter((id) => found.threadKeyHits.get(id) !== t.key).map((id) => `${t.id} thread key ${id} does not lead here`));
  }
  return {
    tickets: tickets.map((t) => [t.id, t.requester, t.status, t.priority, t.category, t.assignee, t.participants.join('+'), t.missing.join('+'), t.messageKeys.length, t.mergedKeys.length, t.stale, t.incident ?? '-'].join(' ')),
    threads: threads.sort(),
  };
}

/** The mail the local SES endpoint took (from the `since`-th on), as "recipients subject" lines, sorted. */
export async function outboxLines(dataDir: string, since = 0): Promise<string[]> {
  const sent = (await readOutbox(join(dataDir, 'outbox'))).slice(since);
  return (await Promise.all(sent.map(async (m) => `${[...m.destinations].sort().join(',')} ${(await simpleParser(readFileSync(m.rawPath))).subject}`))).sort();
}
