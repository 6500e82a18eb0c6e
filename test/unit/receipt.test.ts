import { describe, expect, it } from 'vitest';
import { sesVerdictsFromHeaders } from '../../src/domain/receipt.js';
import { isAuthenticated, senderAuthentication } from '../../src/domain/sender-trust.js';

/** Staff power without an SES receipt (IMAP, S3-triggered mail) rests on our border's topmost Authentication-Results. */
describe('sender authentication without a receipt', () => {
  const evidence = (trustedIds: string[], ...authResults: string[]) => senderAuthentication({ verdicts: null, authResults, trustedIds, fromDomain: 'northwind.example' });

  it("reads SES's own header on mail SES stored", () => {
    const a = evidence(['amazonses.com'], 'amazonses.com; spf=pass smtp.mailfrom=northwind.example; dkim=pass header.i=@northwind.example; dmarc=pass header.from=northwind.example');
    expect([a.spf, a.dkim, a.dmarc, a.dkimAlignedDomain]).toEqual(['PASS', 'PASS', 'PASS', 'northwind.example']);
    expect(isAuthenticated(a)).toBe(true);
  });

  it('trusts only the configured authserv-id on top, so a header the sender wrote gives no staff power', () => {
    const forged = 'mx.attacker.example; spf=pass; dkim=pass; dmarc=pass';
    const ours = 'mail.northwind.example; spf=fail smtp.mailfrom=northwind.example; dkim=none; dmarc=fail header.from=northwind.example';
    const a = evidence(['mail.northwind.example'], ours, forged);
    expect([a.spf, a.dkim, a.dmarc]).toEqual(['FAIL', 'GRAY', 'FAIL']);
    expect(isAuthenticated(a)).toBe(false);
    expect(isAuthenticated(evidence(['mail.northwind.example'], forged, ours))).toBe(false);
  });

  it('believes no header at all when no authserv-id is configured for the mailbox', () => {
    const a = evidence([], 'amazonses.com; spf=pass; dkim=pass header.d=northwind.example; dmarc=pass header.from=northwind.example');
    expect(a.source).toBe('none');
    expect(isAuthenticated(a)).toBe(false);
  });

  it('reads only the spam and virus verdicts from the X-SES headers', () => {
    const v = sesVerdictsFromHeaders({ 'x-ses-spam-verdict': ['PASS'], 'x-ses-virus-verdict': ['FAIL'] });
    expect(v).toEqual({ spam: 'PASS', virus: 'FAIL', spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY' });
  });
});
