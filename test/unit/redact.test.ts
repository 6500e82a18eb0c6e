import { describe, expect, it } from 'vitest';
import { redactAddresses } from '../../src/aws/redact.js';

describe('redactAddresses', () => {
  it('keeps the domain and the first letter of the local part', () => {
    expect(redactAddresses('requester maria.garcia@northwind.example taken from Reply-To')).toBe('requester m…@northwind.example taken from Reply-To');
  });

  it('redacts the whole local part with dots, plus tags and other atext', () => {
    expect(redactAddresses('helpdesk+tkt-12@northwind.example')).toBe('h…@northwind.example');
    expect(redactAddresses("o'brien.j_smith%x=y@northwind.example")).toBe('o…@northwind.example');
    expect(redactAddresses('SRS0=HHH=TT=northwind.example=maria@forwarder.example')).toBe('S…@forwarder.example');
  });

  it('redacts a local part that mixes scripts, leaking no part of it', () => {
    // The "і" is Cyrillic U+0456; the old pattern stopped there and left "alex.kі" in the log.
    expect(redactAddresses('from alex.k\u0456m@northwind.example')).toBe('from a…@northwind.example');
  });

  it('redacts non-Latin local parts and keeps Unicode and punycode domains', () => {
    expect(redactAddresses('用户@例子.广告')).toBe('用…@例子.广告');
    expect(redactAddresses('josé.müller@café.example')).toBe('j…@café.example');
    expect(redactAddresses('δοκιμή@παράδειγμα.δοκιμή')).toBe('δ…@παράδειγμα.δοκιμή');
    expect(redactAddresses('user@xn--fsqu00a.xn--4rr70v')).toBe('u…@xn--fsqu00a.xn--4rr70v');
    expect(redactAddresses('\u0915\u094d\u0937\u093f@\u0909\u0926\u093e\u0939\u0930\u0923.\u092d\u093e\u0930\u0924')).toBe('\u0915…@\u0909\u0926\u093e\u0939\u0930\u0923.\u092d\u093e\u0930\u0924');
  });

  it('redacts quoted local parts inside their quotes', () => {
    expect(redactAddresses('"john doe"@x.example')).toBe('"j…"@x.example');
    expect(redactAddresses('"a\\"b c"@x.example wrote')).toBe('"a…"@x.example wrote');
  });

  it('keeps the punctuation around an address', () => {
    expect(redactAddresses('<a@b.example>')).toBe('<a…@b.example>');
    expect(redactAddresses('(lee@b.example)')).toBe('(l…@b.example)');
    expect(redactAddresses('to dana@b.example, lee@c.example; sam@d.example.')).toBe('to d…@b.example, l…@c.example; s…@d.example.');
    expect(redactAddresses('Lee <lee@fabrikam.example>, "dana@contoso.example" [x@y.example]')).toBe('Lee <l…@fabrikam.example>, "d…@contoso.example" [x…@y.example]');
    expect(redactAddresses('mailto:alex@x.example')).toBe('mailto:a…@x.example');
  });

  it('does not take an @ that is not in an address for one', () => {
    for (const text of ['thanks @mention', 'write to user @ host.example', 'user@localhost', 'npm i tldts@7.6.4', 'a @b.example', '@@', 'x@.example']) {
      expect(redactAddresses(text)).toBe(text);
    }
  });

  it('keeps address literals as domains', () => {
    expect(redactAddresses('postmaster@[192.0.2.1]')).toBe('p…@[192.0.2.1]');
  });

  it('leaves already redacted text as it is', () => {
    const once = redactAddresses('m.garcia@northwind.example and "j d"@x.example');
    expect(redactAddresses(once)).toBe(once);
    expect(redactAddresses('…@contoso.example')).toBe('…@contoso.example');
  });

  it('finishes on a megabyte without an address (no catastrophic backtracking)', () => {
    // Each input would take quadratic time or worse with an unanchored local part or nested quantifiers.
    const inputs = [
      'a'.repeat(1_000_000),
      'a.'.repeat(500_000),
      'a@'.repeat(500_000),
      `x@${'a-'.repeat(500_000)}`,
      `x@${'1.'.repeat(500_000)}1`,
      '"\\"'.repeat(330_000),
      `"${'a'.repeat(1_000_000)}`,
    ];
    for (const input of inputs) expect(redactAddresses(input)).toBe(input);
    expect(redactAddresses('a@a.'.repeat(250_000))).toHaveLength(750_003);
  });
});
