import { describe, expect, it } from 'vitest';
import { authentication, verdictsFromHeaders } from '../../src/domain/receipt.js';

/** Staff power without an SES receipt (IMAP, local ingest) rests on one trusted Authentication-Results. */
describe('verdictsFromHeaders', () => {
  const headers = (...results: string[]) => ({ 'authentication-results': results });

  it('reads the SES verdicts from amazonses.com by default', () => {
    const v = verdictsFromHeaders(headers('amazonses.com; spf=pass smtp.mailfrom=northwind.example; dkim=pass header.i=@northwind.example; dmarc=pass header.from=northwind.example'));
    expect([v.spf, v.dkim, v.dmarc]).toEqual(['PASS', 'PASS', 'PASS']);
    expect(authentication(v).passed).toBe(true);
  });

  it('trusts only the configured authserv-id, so a header the sender wrote gives no staff power', () => {
    const forged = 'mx.attacker.example; spf=pass; dkim=pass; dmarc=pass';
    const ours = 'mail.northwind.example; spf=fail smtp.mailfrom=northwind.example; dkim=none; dmarc=fail header.from=northwind.example';
    const v = verdictsFromHeaders(headers(forged, ours), 'mail.northwind.example');
    expect([v.spf, v.dkim, v.dmarc]).toEqual(['FAIL', 'GRAY', 'FAIL']);
    expect(authentication(v)).toEqual({ passed: false, detail: 'DMARC failed' });
    expect(authentication(verdictsFromHeaders(headers(forged), 'mail.northwind.example')).passed).toBe(false);
  });
});
