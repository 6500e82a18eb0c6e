import type { InboundMessage, Mailbox } from '../../src/mail/types.js';
import type { AddressBook } from '../../src/domain/addresses.js';

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
  return {
    messageId: 'm1@mail.example',
    messageIdSynthesised: false,
    rawSha256: 'a'.repeat(64),
    rawSize: 1000,
    from: box('maria.garcia@northwind.example', 'Maria Garcia'),
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
