import { describe, expect, it } from 'vitest';
import { decideThread, findTicketTag, staffStanding, threadKeysToLookUp, type ThreadEvidence } from '../../src/domain/thread.js';
import type { SenderAuthentication } from '../../src/domain/sender-trust.js';
import { box, message, northwind } from '../support/message.js';

const ticket3 = {
  key: 'k3',
  id: 'TKT-3',
  requester: 'maria.garcia@northwind.example',
  participants: ['tom.becker@northwind.example'],
};

function evidence(over: Partial<ThreadEvidence> = {}): ThreadEvidence {
  return { keyHits: new Map(), tag: null, taggedTicket: null, sender: 'maria.garcia@northwind.example', senderIsStaff: false, ...over };
}

describe('threadKeysToLookUp', () => {
  it('puts In-Reply-To first, then References newest first, without the mail itself', () => {
    const msg = message({ messageId: 'self@x', inReplyTo: ['c@x'], references: ['a@x', 'b@x', 'c@x', 'self@x'] });
    expect(threadKeysToLookUp(msg)).toEqual(['c@x', 'b@x', 'a@x']);
  });
});

describe('findTicketTag', () => {
  it('reads [TKT-42] in the subject, case-insensitively', () => {
    expect(findTicketTag(message({ subject: 'RE: [tkt-42] VPN' }), northwind)).toMatchObject({ number: 42, where: 'subject' });
  });
  it('reads a plus-address on a support address', () => {
    const msg = message({ subject: 'Re: VPN', to: [box('support+tkt-7@northwind.example')] });
    expect(findTicketTag(msg, northwind)).toMatchObject({ number: 7, where: 'address' });
  });
  it('ignores plus-addresses that are not ours', () => {
    const msg = message({ subject: 'Re: VPN', to: [box('maria+tkt-7@northwind.example')] });
    expect(findTicketTag(msg, northwind)).toBeNull();
  });
});

describe('decideThread', () => {
  it('joins by In-Reply-To', () => {
    const msg = message({ inReplyTo: ['orig@x'], references: ['orig@x'] });
    const d = decideThread(msg, evidence({ keyHits: new Map([['orig@x', 'k3']]) }), 'TKT');
    expect(d).toEqual({ kind: 'existing', ticketKey: 'k3', reason: 'In-Reply-To <orig@x> is a message on this ticket' });
  });

  it('joins by References alone (a Cc’d colleague replying to the first mail)', () => {
    const msg = message({ from: box('tom.becker@northwind.example'), references: ['first@x'] });
    const d = decideThread(msg, evidence({ keyHits: new Map([['first@x', 'k3']]) }), 'TKT');
    expect(d).toMatchObject({ kind: 'existing', ticketKey: 'k3' });
    expect(d.reason).toContain('References <first@x>');
  });

  it('joins by tag when the sender is the requester or a participant', () => {
    const tag = { number: 3, where: 'subject' as const, text: '[TKT-3]' };
    for (const sender of ['maria.garcia@northwind.example', 'tom.becker@northwind.example']) {
      const d = decideThread(message({ subject: 'Re: [TKT-3] VPN' }), evidence({ tag, taggedTicket: ticket3, sender }), 'TKT');
      expect(d).toMatchObject({ kind: 'existing', ticketKey: 'k3' });
    }
  });

  it('opens a new ticket when a stranger uses the tag, and says so', () => {
    const tag = { number: 3, where: 'subject' as const, text: '[TKT-3]' };
    const d = decideThread(message(), evidence({ tag, taggedTicket: ticket3, sender: 'j.doe@contoso.example' }), 'TKT');
    expect(d.kind).toBe('new');
    expect(d.reason).toBe('subject tag [TKT-3] names TKT-3 but j.doe@contoso.example is not one of its participants; opened a new ticket');
  });

  it('lets authenticated staff use the tag', () => {
    const tag = { number: 3, where: 'subject' as const, text: '[TKT-3]' };
    const d = decideThread(message(), evidence({ tag, taggedTicket: ticket3, sender: 'alex.kim@northwind.example', senderIsStaff: true }), 'TKT');
    expect(d.kind).toBe('existing');
  });

  it('says when a tag names a ticket that does not exist', () => {
    const tag = { number: 99, where: 'subject' as const, text: '[TKT-99]' };
    expect(decideThread(message(), evidence({ tag }), 'TKT').reason).toContain('does not exist');
  });

  it('explains a reply to a message it never saw', () => {
    expect(decideThread(message({ inReplyTo: ['unknown@x'] }), evidence(), 'TKT').reason).toContain('never stored');
  });
});

describe('staffStanding', () => {
  const auth = (over: Partial<SenderAuthentication>): SenderAuthentication => ({ source: 'receipt', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', dkimAlignedDomain: null, evidence: 'the SES receipt', ...over });

  it('needs the address and a From domain that vouches for the mail', () => {
    expect(staffStanding('alex.kim@northwind.example', 1, northwind, auth({})).isStaff).toBe(true);
    expect(staffStanding('ops@it.northwind.example', 1, northwind, auth({})).isStaff).toBe(true);
    const spoof = staffStanding('alex.kim@northwind.example', 1, northwind, auth({ dmarc: 'FAIL', spf: 'FAIL', dkim: 'FAIL' }));
    expect(spoof).toEqual({ isStaff: false, note: 'alex.kim@northwind.example looks like staff but DMARC failed, so it is treated as a stranger', refused: { address: 'alex.kim@northwind.example', why: 'DMARC failed' } });
    expect(staffStanding('maria.garcia@northwind.example', 1, northwind, auth({})).isStaff).toBe(false);
  });

  it('never takes SPF alone: it checks a domain the sender chooses', () => {
    const spfOnly = staffStanding('alex.kim@northwind.example', 1, northwind, auth({ spf: 'PASS', dkim: 'FAIL', dmarc: 'GRAY' }));
    expect(spfOnly.isStaff).toBe(false);
    expect(spfOnly.note).toContain('SPF pass does not count');
  });

  it('takes DKIM only when it is aligned with the From domain', () => {
    expect(staffStanding('alex.kim@northwind.example', 1, northwind, auth({ dmarc: 'GRAY', dkimAlignedDomain: 'northwind.example' })).isStaff).toBe(true);
    expect(staffStanding('alex.kim@northwind.example', 1, northwind, auth({ dmarc: 'GRAY', dkim: 'PASS' })).note).toContain('not aligned with From');
  });

  it('never gives staff powers to a mail From two addresses', () => {
    expect(staffStanding('alex.kim@northwind.example', 2, northwind, auth({})).note).toBe(
      'alex.kim@northwind.example looks like staff but From names 2 addresses, so it is treated as a stranger',
    );
  });
});
