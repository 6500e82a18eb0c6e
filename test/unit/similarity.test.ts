import { describe, expect, it } from 'vitest';
import { fingerprint, normaliseSubject, similarity } from '../../src/domain/similarity.js';

describe('normaliseSubject', () => {
  it('drops reply/forward prefixes in several languages and ticket tags', () => {
    expect(normaliseSubject('RE: AW: Fwd: [TKT-4] Printer offline!')).toBe('printer offline');
    expect(normaliseSubject('SV: VS: Outlook crashes')).toBe('outlook crashes');
  });
});

describe('similarity', () => {
  const original = fingerprint(
    'Laptop will not boot',
    'Hi IT, my laptop (asset NW-10442, Dell Latitude 7440) shows a black screen with a blinking cursor after the BIOS logo and never reaches Windows. I tried a hard reset twice. I have a client call at 2pm. Thanks, Tom',
  );

  it('scores a re-sent request as a duplicate even with a new opening line', () => {
    const resent = fingerprint(
      'Laptop won’t boot',
      'Re-sending in case my first mail got lost. Hi IT, my laptop (asset NW-10442, Dell Latitude 7440) shows a black screen with a blinking cursor after the BIOS logo and never reaches Windows. I tried a hard reset twice. I have a client call at 2pm. Thanks, Tom',
    );
    const sim = similarity(original, resent);
    expect(sim.body).toBeGreaterThan(0.9);
    expect(sim.score).toBeGreaterThanOrEqual(0.8);
  });

  it('keeps a different problem from the same person apart, even with a similar subject', () => {
    const other = fingerprint(
      'Laptop issue',
      'Hi IT, my laptop charger stopped working this morning; the LED on the brick stays off with two different sockets. Could I borrow one from the spares cupboard? Thanks, Tom',
    );
    expect(similarity(original, other).score).toBeLessThan(0.8);
  });

  it('treats two empty bodies with the same subject as the same', () => {
    expect(similarity(fingerprint('Printer offline', ''), fingerprint('RE: Printer offline', '')).score).toBe(1);
  });
});
