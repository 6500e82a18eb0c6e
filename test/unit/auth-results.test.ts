import { describe, expect, it } from 'vitest';
import {
  borderVerdict,
  parseAuthenticationResults,
  readAuthenticationResults,
  readBorderVerdict,
  relaxedAligned,
} from '../../src/domain/auth-results.js';

// Samples in the forms each receiver writes (written for these tests; addresses are reserved names).

/** Amazon SES receiving: one header, bare `client-ip=`/`envelope-from=`/`helo=` pieces, a trailing ";". */
const SES =
  'amazonses.com;\r\n spf=pass (spfCheck: domain of northwind.example designates 203.0.113.25 as permitted sender) client-ip=203.0.113.25; envelope-from=maria.garcia@northwind.example; helo=mail.northwind.example;\r\n dkim=pass header.i=@northwind.example;\r\n dmarc=pass header.from=northwind.example;';

/** Gmail / Google Workspace, folded as received. */
const GMAIL =
  'mx.google.com;\r\n       dkim=pass header.i=@northwind.example header.s=sel2024 header.b=Qm9vdHN0;\r\n       spf=pass (google.com: domain of maria.garcia@northwind.example designates 203.0.113.25 as permitted sender) smtp.mailfrom=maria.garcia@northwind.example;\r\n       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=northwind.example';

/** Microsoft 365 / Exchange Online: no authserv-id, no space after some ";". */
const M365 =
  'spf=pass (sender IP is 40.107.22.50) smtp.mailfrom=contoso.example; dkim=pass (signature was verified) header.d=contoso.example;dmarc=pass action=none header.from=contoso.example;compauth=pass reason=100';

/** Fastmail: one header with many methods, several of its own. */
const FASTMAIL = [
  'mx4.messagingengine.com;',
  '    dkim=pass (2048-bit rsa key sha256) header.d=northwind.example header.i=@northwind.example header.b=Xy12AbCd header.a=rsa-sha256 header.s=fm1 x-bits=2048;',
  '    dmarc=pass policy.published-domain-policy=quarantine policy.applied-disposition=none policy.evaluated-disposition=none (p=quarantine,d=none,d.eval=none) policy.policy-from=p header.from=northwind.example;',
  '    iprev=pass smtp.remote-ip=203.0.113.25 (mail.northwind.example);',
  '    spf=pass smtp.mailfrom=maria.garcia@northwind.example smtp.helo=mail.northwind.example;',
  '    x-aligned-from=pass (Address match);',
  '    x-return-mx=pass smtp.domain=northwind.example smtp.result=pass smtp_is_org_domain=yes header.domain=northwind.example header.result=pass header_is_org_domain=yes;',
  '    x-tls=pass smtp.version=TLSv1.3 smtp.cipher=TLS_AES_256_GCM_SHA384 smtp.bits=256/256;',
  '    x-me-sender=none',
].join('\r\n');

/** Postfix with OpenDMARC, an SPF milter and OpenDKIM: one header each, topmost first, the same authserv-id. */
const MILTERS = [
  'mx.northwind.example; dmarc=pass (p=reject dis=none) header.from=fabrikam.example',
  'mx.northwind.example; spf=pass smtp.mailfrom=lee@fabrikam.example',
  'mx.northwind.example 1; dkim=pass (2048-bit key; unprotected) header.d=fabrikam.example header.i=@fabrikam.example header.a=rsa-sha256 header.s=mail header.b="Zk3vP+q/"',
];

/** The sender's own header, as it arrives when the receiving server (Dovecot, say) adds none. */
const FORGED_SES = 'amazonses.com; spf=pass; dkim=pass; dmarc=pass';

describe('parseAuthenticationResults', () => {
  it('reads the authserv-id and, per resinfo, the method, its result, the reason and the properties', () => {
    expect(parseAuthenticationResults(SES)).toEqual({
      authservId: 'amazonses.com',
      results: [
        { method: 'spf', result: 'pass', reason: null, properties: { 'client-ip': '203.0.113.25' } },
        { method: 'envelope-from', result: 'maria.garcia@northwind.example', reason: null, properties: {} },
        { method: 'helo', result: 'mail.northwind.example', reason: null, properties: {} },
        { method: 'dkim', result: 'pass', reason: null, properties: { 'header.i': '@northwind.example' } },
        { method: 'dmarc', result: 'pass', reason: null, properties: { 'header.from': 'northwind.example' } },
      ],
    });
  });

  it("reads Gmail's folded header; comments are skipped, never read", () => {
    const header = parseAuthenticationResults(GMAIL)!;
    expect(header.authservId).toBe('mx.google.com');
    expect(header.results.map((r) => `${r.method}=${r.result}`)).toEqual(['dkim=pass', 'spf=pass', 'dmarc=pass']);
    expect(header.results[0]!.properties).toEqual({ 'header.i': '@northwind.example', 'header.s': 'sel2024', 'header.b': 'Qm9vdHN0' });
    expect(header.results[1]!.properties).toEqual({ 'smtp.mailfrom': 'maria.garcia@northwind.example' });
    expect(header.results[2]!.properties).toEqual({ 'header.from': 'northwind.example' });
  });

  it("reads Microsoft 365's header, which has no authserv-id, with authservId ''", () => {
    expect(parseAuthenticationResults(M365)).toEqual({
      authservId: '',
      results: [
        { method: 'spf', result: 'pass', reason: null, properties: { 'smtp.mailfrom': 'contoso.example' } },
        { method: 'dkim', result: 'pass', reason: null, properties: { 'header.d': 'contoso.example' } },
        { method: 'dmarc', result: 'pass', reason: null, properties: { action: 'none', 'header.from': 'contoso.example' } },
        { method: 'compauth', result: 'pass', reason: '100', properties: {} },
      ],
    });
  });

  it("skips Outlook.com's stray `; hotmail.com;` pieces between resinfos", () => {
    const header = parseAuthenticationResults(
      'spf=none (sender IP is 192.0.2.1) smtp.mailfrom=contoso.example; hotmail.com; dkim=none header.d=contoso.example;hotmail.com; dmarc=none action=none header.from=contoso.example;compauth=fail reason=001',
    )!;
    expect(header.results.map((r) => `${r.method}=${r.result}`)).toEqual(['spf=none', 'dkim=none', 'dmarc=none', 'compauth=fail']);
  });

  it('reads an OpenDKIM header with a version number and a ";" inside a comment', () => {
    expect(parseAuthenticationResults(MILTERS[2]!)).toEqual({
      authservId: 'mx.northwind.example',
      results: [
        {
          method: 'dkim',
          result: 'pass',
          reason: null,
          properties: { 'header.d': 'fabrikam.example', 'header.i': '@fabrikam.example', 'header.a': 'rsa-sha256', 'header.s': 'mail', 'header.b': 'Zk3vP+q/' },
        },
      ],
    });
  });

  it("keeps Fastmail's methods, unknown ones included, and its property names with hyphens", () => {
    const header = parseAuthenticationResults(FASTMAIL)!;
    expect(header.authservId).toBe('mx4.messagingengine.com');
    expect(header.results.map((r) => `${r.method}=${r.result}`)).toEqual([
      'dkim=pass',
      'dmarc=pass',
      'iprev=pass',
      'spf=pass',
      'x-aligned-from=pass',
      'x-return-mx=pass',
      'x-tls=pass',
      'x-me-sender=none',
    ]);
    expect(header.results[1]!.properties['policy.published-domain-policy']).toBe('quarantine');
    expect(header.results[1]!.properties['header.from']).toBe('northwind.example');
    expect(header.results[2]!.properties).toEqual({ 'smtp.remote-ip': '203.0.113.25' });
    expect(header.results[5]!.properties['smtp_is_org_domain']).toBe('yes');
    expect(header.results[6]!.properties['smtp.bits']).toBe('256/256');
  });

  it('reads a result only from the word right after "method=" at the start of a resinfo', () => {
    const header = parseAuthenticationResults(
      'amazonses.com; spf=fail smtp.mailfrom=x@evil.test; dkim=fail header.d=evil.test; dmarc=fail header.from=evil.test; envelope-from=dkim=pass.dmarc=pass@evil.test',
    )!;
    expect(header.results.map((r) => [r.method, r.result])).toEqual([
      ['spf', 'fail'],
      ['dkim', 'fail'],
      ['dmarc', 'fail'],
      ['envelope-from', 'dkim=pass.dmarc=pass@evil.test'],
    ]);
  });

  it('never reads a property value, a reason or a comment as a result', () => {
    const header = parseAuthenticationResults(
      'mx.northwind.example; dkim=fail (dkim=pass; dmarc=pass) header.d="dkim=pass" header.i=@evil.test (dmarc=pass); dmarc=fail reason="dmarc=pass; spf=pass" header.from=evil.test',
    )!;
    expect(header.results.map((r) => `${r.method}=${r.result}`)).toEqual(['dkim=fail', 'dmarc=fail']);
    expect(header.results[0]!.properties['header.d']).toBe('dkim=pass');
    expect(header.results[1]!.reason).toBe('dmarc=pass; spf=pass');
  });

  it('lets comments nest and hold quoted pairs', () => {
    const header = parseAuthenticationResults('mx.northwind.example (outer (inner; spf=pass) \\) still) ; spf=fail (a (b) c) smtp.mailfrom=evil.test')!;
    expect(header.authservId).toBe('mx.northwind.example');
    expect(header.results.map((r) => `${r.method}=${r.result}`)).toEqual(['spf=fail']);
  });

  it('tolerates no space after ";", a trailing ";", upper case, bare newlines and CFWS around "=", "/" and "."', () => {
    const header = parseAuthenticationResults('MX.Northwind.Example;SPF=PASS smtp.mailfrom=Maria@Northwind.Example;\nDKIM / 1 = Pass Header . D = northwind.example;\n\tdmarc = pass header.from=northwind.example;;')!;
    expect(header.authservId).toBe('MX.Northwind.Example');
    expect(header.results).toEqual([
      { method: 'spf', result: 'pass', reason: null, properties: { 'smtp.mailfrom': 'Maria@Northwind.Example' } },
      { method: 'dkim', result: 'pass', reason: null, properties: { 'header.d': 'northwind.example' } },
      { method: 'dmarc', result: 'pass', reason: null, properties: { 'header.from': 'northwind.example' } },
    ]);
  });

  it('reads "authserv-id; none" (and a quoted authserv-id) as a header with no results', () => {
    expect(parseAuthenticationResults('mx.northwind.example 1; none')).toEqual({ authservId: 'mx.northwind.example', results: [] });
    expect(parseAuthenticationResults('"mx.northwind.example"; none')).toEqual({ authservId: 'mx.northwind.example', results: [] });
  });

  it('unquotes values, quoted local parts included', () => {
    const header = parseAuthenticationResults('mx.northwind.example; spf=pass smtp.mailfrom="john \\"jj\\" doe"@northwind.example; dkim=pass header.b="a;b(c)"')!;
    expect(header.results[0]!.properties['smtp.mailfrom']).toBe('john "jj" doe@northwind.example');
    expect(header.results[1]!.properties['header.b']).toBe('a;b(c)');
  });

  it('keeps property names such as __proto__ as plain keys', () => {
    const header = parseAuthenticationResults('mx.northwind.example; dkim=pass __proto__=x constructor=y')!;
    expect(header.results[0]!.properties['__proto__']).toBe('x');
    expect(header.results[0]!.properties['constructor']).toBe('y');
  });

  it('returns null, and says why, for values that are not an Authentication-Results header', () => {
    for (const value of ['', '   ', 'hello world', '; dmarc=pass', 'mx.northwind.example=pass', 'i=1; mx.google.com; dkim=pass header.i=@northwind.example']) {
      expect(parseAuthenticationResults(value)).toBeNull();
      expect(readAuthenticationResults(value).problem).toEqual(expect.any(String));
    }
    expect(readAuthenticationResults('i=1; mx.google.com; dkim=pass').problem).toMatch(/ARC-Authentication-Results/);
  });
});

describe('borderVerdict', () => {
  it('grants nothing when no authserv-id is configured for the mailbox', () => {
    expect(borderVerdict([SES], [], 'northwind.example')).toBeNull();
    expect(readBorderVerdict([SES], [], 'northwind.example').reason).toMatch(/no authserv-id is configured/);
  });

  it("does not believe the sender's own header when our border wrote none and its id is not configured", () => {
    expect(borderVerdict([FORGED_SES], ['mx.northwind.example'], 'northwind.example')).toBeNull();
    expect(readBorderVerdict([FORGED_SES], ['mx.northwind.example'], 'northwind.example').reason).toBe(
      "the topmost Authentication-Results header is from amazonses.com, which is not our border (we trust mx.northwind.example); what lies below it is the sender's word",
    );
  });

  it("ignores a trusted authserv-id that appears only below another receiver's header", () => {
    expect(borderVerdict([MILTERS[0]!, FORGED_SES], ['amazonses.com'], 'northwind.example')).toBeNull();
  });

  it("reads only the topmost header: the sender's copy of the border's authserv-id below it counts for nothing", () => {
    const border = 'amazonses.com; spf=fail smtp.mailfrom=evil.test; dkim=none; dmarc=fail header.from=northwind.example';
    const verdict = borderVerdict([border, FORGED_SES], ['amazonses.com'], 'northwind.example')!;
    expect([verdict.spf, verdict.dkim, verdict.dmarc, verdict.dkimAlignedDomain]).toEqual(['FAIL', 'GRAY', 'FAIL', null]);
    expect(verdict.evidence).toBe(
      'the topmost Authentication-Results header, from amazonses.com, said spf=fail, dkim=none (no signing domain), dmarc=fail; 1 lower header ignored: the first is from amazonses.com again but reports spf, dkim, dmarc a second time, as a copy the sender wrote would',
    );
  });

  it('ends the run at a header that repeats a method, so a copy adding DKIM and DMARC to the border’s SPF adds nothing', () => {
    const border = 'mx.northwind.example; spf=pass smtp.mailfrom=evil.test';
    const copy = 'mx.northwind.example; spf=pass; dkim=pass header.d=northwind.example; dmarc=pass header.from=northwind.example';
    const verdict = borderVerdict([border, copy], ['mx.northwind.example'], 'northwind.example')!;
    expect([verdict.spf, verdict.dkim, verdict.dmarc, verdict.dkimAlignedDomain]).toEqual(['PASS', 'GRAY', 'GRAY', null]);
  });

  it('matches the authserv-id exactly, case-insensitively: amazonses.com.evil.test is not amazonses.com', () => {
    expect(borderVerdict(['amazonses.com.evil.test; spf=pass; dkim=pass header.d=northwind.example; dmarc=pass'], ['amazonses.com'], 'northwind.example')).toBeNull();
    expect(borderVerdict(['evil.amazonses.com; dmarc=pass'], ['amazonses.com'], null)).toBeNull();
    expect(borderVerdict(['AmazonSES.com; dmarc=pass'], ['amazonses.COM'], null)?.dmarc).toBe('PASS');
  });

  it('reads the forged-properties header as fail: envelope-from=dkim=pass.dmarc=pass@… is no result', () => {
    const header =
      'amazonses.com; spf=fail smtp.mailfrom=x@evil.test; dkim=fail header.d=evil.test; dmarc=fail header.from=evil.test; envelope-from=dkim=pass.dmarc=pass@evil.test';
    const verdict = borderVerdict([header], ['amazonses.com'], 'evil.test')!;
    expect([verdict.spf, verdict.dkim, verdict.dmarc, verdict.dkimAlignedDomain]).toEqual(['FAIL', 'FAIL', 'FAIL', null]);
  });

  it('reads Amazon SES: all pass, DKIM aligned through the domain of header.i', () => {
    expect(borderVerdict([SES], ['amazonses.com'], 'northwind.example')).toEqual({
      authservId: 'amazonses.com',
      spf: 'PASS',
      dkim: 'PASS',
      dmarc: 'PASS',
      dkimAlignedDomain: 'northwind.example',
      evidence:
        'the topmost Authentication-Results header, from amazonses.com, said spf=pass, dkim=pass by northwind.example (aligned with From northwind.example), dmarc=pass',
    });
  });

  it("trusts Microsoft 365's header when '' is configured, and only then", () => {
    const verdict = borderVerdict([M365], [''], 'contoso.example')!;
    expect(verdict).toMatchObject({ authservId: '', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', dkimAlignedDomain: 'contoso.example' });
    expect(verdict.evidence).toMatch(/^the topmost Authentication-Results header, from Microsoft 365 \(no authserv-id\), said/);
    expect(borderVerdict([M365], ['mx.northwind.example'], 'contoso.example')).toBeNull();
    expect(borderVerdict([GMAIL], [''], 'northwind.example')).toBeNull();
  });

  it('reads a run of one-method headers from OpenDMARC, an SPF milter and OpenDKIM, and stops at the first foreign one', () => {
    const values = [...MILTERS, 'mx.evil.test; dkim=pass header.d=northwind.example'];
    const verdict = borderVerdict(values, ['mx.northwind.example'], 'fabrikam.example')!;
    expect([verdict.spf, verdict.dkim, verdict.dmarc, verdict.dkimAlignedDomain]).toEqual(['PASS', 'PASS', 'PASS', 'fabrikam.example']);
    expect(verdict.evidence).toBe(
      'the 3 topmost Authentication-Results headers, from mx.northwind.example, said spf=pass, dkim=pass by fabrikam.example (aligned with From fabrikam.example), dmarc=pass; 1 lower header ignored: the first is from mx.evil.test, which is not our border (we trust mx.northwind.example)',
    );
  });

  it('grants DKIM alignment only to a passing signature whose domain shares the From organizational domain', () => {
    const header = 'mx.google.com; dkim=pass header.i=@evil.test; dkim=fail header.d=northwind.example; dkim=pass header.d=mail.northwind.example; dmarc=fail';
    expect(borderVerdict([header], ['mx.google.com'], 'northwind.example')?.dkimAlignedDomain).toBe('mail.northwind.example');
    const unaligned = borderVerdict(['mx.google.com; dkim=pass header.d=northwind.example.evil.test; dkim=fail header.d=northwind.example'], ['mx.google.com'], 'northwind.example')!;
    expect([unaligned.dkim, unaligned.dkimAlignedDomain]).toEqual(['PASS', null]);
    expect(borderVerdict([header], ['mx.google.com'], null)?.dkimAlignedDomain).toBeNull();
  });

  it('maps results to verdicts: pass, fail/softfail, none/neutral/policy, temperror/permerror, absent and unknown', () => {
    const verdictOf = (spf: string) => borderVerdict([`mx.northwind.example; spf=${spf}`], ['mx.northwind.example'], null)!.spf;
    expect(['pass', 'fail', 'softfail', 'none', 'neutral', 'policy', 'temperror', 'permerror'].map(verdictOf)).toEqual([
      'PASS',
      'FAIL',
      'FAIL',
      'GRAY',
      'GRAY',
      'GRAY',
      'PROCESSING_FAILED',
      'PROCESSING_FAILED',
    ]);
    const m365 = borderVerdict(['spf=pass smtp.mailfrom=contoso.example; dmarc=bestguesspass action=none header.from=contoso.example'], [''], 'contoso.example')!;
    expect([m365.dkim, m365.dmarc]).toEqual(['GRAY', 'GRAY']);
  });

  it('ignores methods other than spf, dkim and dmarc, however they pass', () => {
    const verdict = borderVerdict(['mx4.messagingengine.com; x-aligned-from=pass; compauth=pass reason=100; arc=pass'], ['mx4.messagingengine.com'], 'northwind.example')!;
    expect([verdict.spf, verdict.dkim, verdict.dmarc, verdict.dkimAlignedDomain]).toEqual(['GRAY', 'GRAY', 'GRAY', null]);
  });

  it('reads Fastmail and Gmail headers when their authserv-ids are configured', () => {
    expect(borderVerdict([FASTMAIL], ['mx4.messagingengine.com'], 'northwind.example')).toMatchObject({ spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', dkimAlignedDomain: 'northwind.example' });
    expect(borderVerdict([GMAIL, FORGED_SES], ['mx.google.com'], 'northwind.example')).toMatchObject({ spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', dkimAlignedDomain: 'northwind.example' });
  });

  it('treats an unreadable topmost header as no verdict', () => {
    expect(readBorderVerdict(['garbage here', SES], ['amazonses.com'], 'northwind.example').reason).toMatch(/^the topmost Authentication-Results header is unreadable/);
    expect(borderVerdict([], ['amazonses.com'], 'northwind.example')).toBeNull();
  });
});

describe('relaxedAligned', () => {
  it('aligns a subdomain with its organizational domain, both ways, in any case', () => {
    expect(relaxedAligned('mail.northwind.example', 'northwind.example')).toBe(true);
    expect(relaxedAligned('northwind.example', 'eu.mail.northwind.example')).toBe(true);
    expect(relaxedAligned('Mail.Northwind.Example.', 'northwind.example')).toBe(true);
    expect(relaxedAligned('mx.evil.test', 'evil.test')).toBe(true);
  });

  it('does not align different organizations, nor one that merely ends or begins with the other', () => {
    expect(relaxedAligned('evil.test', 'northwind.example')).toBe(false);
    expect(relaxedAligned('northwind.example.evil.test', 'northwind.example')).toBe(false);
    expect(relaxedAligned('evilnorthwind.example', 'northwind.example')).toBe(false);
    expect(relaxedAligned('contoso.example', 'contoso.test')).toBe(false);
  });

  it('uses the public suffix list, private section included', () => {
    expect(relaxedAligned('mail.contoso.co.uk', 'contoso.co.uk')).toBe(true);
    expect(relaxedAligned('contoso.co.uk', 'fabrikam.co.uk')).toBe(false);
    expect(relaxedAligned('attacker.github.io', 'victim.github.io')).toBe(false);
  });

  it('compares internationalised names in their ASCII form', () => {
    expect(relaxedAligned('mail.例子.广告', 'xn--fsqu00a.xn--4rr70v')).toBe(true);
  });

  it('aligns names without an organizational domain only with themselves, and never addresses or blanks', () => {
    expect(relaxedAligned('localhost', 'localhost')).toBe(true);
    expect(relaxedAligned('mail.localhost', 'localhost')).toBe(false);
    expect(relaxedAligned('192.0.2.1', '192.0.2.1')).toBe(true);
    expect(relaxedAligned('10.192.0.2.1', '192.0.2.1')).toBe(false);
    expect(relaxedAligned('maria@northwind.example', 'northwind.example')).toBe(false);
    expect(relaxedAligned('', '')).toBe(false);
  });
});
