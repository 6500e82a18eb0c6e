/** "Did you mean": a mistyped config key or option names the one that was meant. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { closest, editDistance } from '../../src/domain/did-you-mean.js';

describe('did you mean', () => {
  it('counts a swap of two neighbours as one edit, and ignores case', () => {
    expect(editDistance('hots', 'host')).toBe(1);
    expect(editDistance('Data', 'data')).toBe(0);
    expect(editDistance('dmeo', 'demo')).toBe(1);
  });

  it('suggests only what is close enough to be a typo', () => {
    expect(closest('dta', ['data', 'config', 'now'])).toBe('data');
    expect(closest('confg', ['data', 'config'])).toBe('config');
    expect(closest('frobnicate', ['data', 'config'])).toBeNull();
  });

  it('names the key an unknown config key was probably meant to be, at any depth', () => {
    const message = (input: unknown) => {
      try {
        parseConfig(input);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(message({ supportAdresses: ['a@b.example'] })).toContain('unknown key "supportAdresses" (did you mean "supportAddresses"?)');
    expect(message({ triage: { vips: {} } })).toContain('unknown key "vips" in triage (did you mean "vip"?)');
    expect(message({ autoReplies: { maxPerSenderPerHr: 2 } })).toContain('in autoReplies (did you mean "maxPerSenderPerHour"?)');
    expect(message({ imap: { hots: 'x', host: 'x', user: 'u', password: 'p' } })).toContain('unknown key "hots" in imap (did you mean "host"?)');
    expect(message({ staf: {}, teamNme: 'x' })).toContain('unknown keys "staf", "teamNme" (did you mean "staff" for "staf", "teamName" for "teamNme"?)');
    expect(message({ zzzzzz: 1 })).toMatch(/unknown key "zzzzzz"$/);
  });
});
