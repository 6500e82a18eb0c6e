import type { InboundMessage, Mailbox } from '../../src/mail/types.js';
import type { AddressBook } from '../../src/domain/addresses.js';
import type { DigestTicket } from '../../src/mail/digest.js';

export const northwind: AddressBook = {
  supportAddresses: ['support@northwind.example', 'helpdesk@northwind.example'],
  ticketPrefix: 'TKT',
  staffAddresses: ['alex.kim@northwind.example', 'priya.nair@northwind.example'],
  staffDomains: ['it.northwind.example'],
  staffList: 'it-team@northwind.example',
};

export const box = (address: string, name = ''): Mailbox => ({ address, name });

/** A plain value of the parser's output, for domain tests that need no MIME. */
export function message(overrides: Partial<InboundMessage> = {}): InboundMessage {
  const from = overrides.from === undefined ? box('maria.garcia@northwind.example', 'Maria Garcia') : overrides.from;
  return {
    messageId: 'm1@mail.example',
    messageIdSynthesised: false,
    rawSha256: 'a'.repeat(64),
    rawSize: 1000,
    from,
    fromMailboxes: from ? [from] : [],
    to: [box('support@northwind.example')],
    cc: [],
    replyTo: [],
    subject: 'VPN keeps disconnecting',
    inReplyTo: [],
    references: [],
    date: '2026-11-23T08:00:00.000Z',
    text: 'Hi, the VPN drops every ten minutes since this morning.',
    html: null,
    attachments: [],
    headers: {},
    contentType: 'text/plain',
    parseWarnings: [],
    ...overrides,
  };
}

/** One ticket line of the digest, for digest tests: TKT-n, P3, idle 8 days. */
export function digestTicket(n: number, over: Partial<DigestTicket> = {}): DigestTicket {
  return {
    id: `TKT-${n}`,
    number: n,
    subject: `Ticket ${n}`,
    requester: `Requester ${n} <user${n}@northwind.example>`,
    requesterAddress: `user${n}@northwind.example`,
    category: 'hardware',
    priority: 'P3',
    status: 'open',
    idleHours: 24 * 8,
    excerpt: 'Still happening this morning, same error as before.',
    replyAddress: `support+tkt-${n}@northwind.example`,
    assignee: null,
    ...over,
  };
}
