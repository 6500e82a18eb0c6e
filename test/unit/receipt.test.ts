import { describe, expect, it } from 'vitest';
import { sesVerdictsFromHeaders } from '../../src/domain/receipt.js';
import { authenticationWords, isAuthenticated, isForged, senderAuthentication } from '../../src/domain/sender-trust.js';

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

/** A Microsoft 365 mailbox: mail between two people of the tenant carries Exchange Online's mark instead of a DMARC verdict. */
describe('sender authentication in an Exchange Online mailbox', () => {
  const internalResults = 'dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=northwind.example;';
  const evidence = (authAs: string[] | null, ...authResults: string[]) =>
    senderAuthentication({ verdicts: null, authResults, trustedIds: [''], fromDomain: 'northwind.example', exchangeAuthAs: authAs });

  it("believes Exchange's Internal mark when its header has no DMARC verdict, and says so in words", () => {
    const a = evidence(['Internal'], internalResults);
    expect(a.source).toBe('organisation');
    expect(isAuthenticated(a)).toBe(true);
    expect(isForged(a)).toBe(false);
    expect(authenticationWords(a)).toMatch(/^sent from inside the organisation \(Exchange Online marked it as sent by a signed-in user/);
  });

  it('keeps a DMARC failure a failure, whatever the mark says', () => {
    const a = evidence(['Internal'], 'spf=fail (sender IP is 192.0.2.87) smtp.mailfrom=northwind.example; dkim=none (message not signed) header.d=none;dmarc=fail action=quarantine header.from=northwind.example;compauth=fail reason=000');
    expect(a.source).toBe('border');
    expect(isForged(a)).toBe(true);
    expect(isAuthenticated(a)).toBe(false);
  });

  it('believes nothing from Anonymous, from two marks (one got past the firewall), or outside Exchange Online', () => {
    expect(isAuthenticated(evidence(['Anonymous'], internalResults))).toBe(false);
    expect(isAuthenticated(evidence(['Anonymous', 'Internal'], internalResults))).toBe(false);
    expect(isAuthenticated(evidence(['Internal', 'Internal'], internalResults))).toBe(false);
    expect(isAuthenticated(evidence([], internalResults))).toBe(false);
    // Not an Exchange Online mailbox: the header is the sender's text.
    expect(isAuthenticated(evidence(null, internalResults))).toBe(false);
    expect(isAuthenticated(senderAuthentication({ verdicts: null, authResults: [], trustedIds: [], fromDomain: 'northwind.example' }))).toBe(false);
  });

  it('lets a DMARC pass speak for itself', () => {
    const a = evidence(['Anonymous'], 'spf=pass (sender IP is 40.107.241.53) smtp.mailfrom=contoso.example; dkim=pass (signature was verified) header.d=contoso.example;dmarc=pass action=none header.from=contoso.example;compauth=pass reason=100');
    expect(a.source).toBe('border');
    expect(isAuthenticated(a)).toBe(true);
  });
});
