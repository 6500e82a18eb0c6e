import { describe, expect, it } from 'vitest';
import { identifiers } from '../../src/domain/identifiers.js';
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

describe('identifiers as evidence', () => {
  it('finds asset tags, error codes and build numbers, not times, sizes or dates', () => {
    expect(identifiers('Laptop NW-LT-0217 on Windows 11 24H2, Outlook 16.0.17928.20114, error 0x800CCC0E at 10:30, 16GB RAM, 3rd floor, 2026-12-07')).toEqual(['nw-lt-0217', '24h2', '16.0.17928.20114', '0x800ccc0e']);
  });

  it('takes a resend reworded into another language as the same, when the tag and the error code agree', () => {
    const first = fingerprint('Windows update keeps failing', 'The update to 24H2 fails every night on my laptop NW-LT-0451 with error 0x800f0922. Could you look at it?');
    const again = fingerprint('Update-Fehler', 'Das Update bricht mit 0x800f0922 ab, Gerät NW-LT-0451. Bitte um Hilfe.');
    expect(similarity(first, again)).toMatchObject({ identifiers: { shared: expect.arrayContaining(['nw-lt-0451', '0x800f0922']), conflict: false } });
    expect(similarity(first, again).score).toBeGreaterThanOrEqual(0.8);
  });

  it('keeps near-identical mails about two laptops apart, and one error code from two apps', () => {
    const a = fingerprint('Laptop fan loud', 'The fan of my laptop NW-LT-0217 is very loud since Monday, even when idle.');
    const b = fingerprint('Laptop fan loud', 'The fan of my laptop NW-LT-0342 is very loud since Monday, even when idle.');
    expect(similarity(a, b)).toMatchObject({ identifiers: { shared: [], conflict: true } });
    expect(similarity(a, b).score).toBeLessThan(0.8);
    const miro = fingerprint('Cannot open Miro', 'Signing in to Miro fails with AADSTS50105.');
    const docusign = fingerprint('DocuSign sign-in', 'DocuSign says AADSTS50105 when I sign in.');
    expect(similarity(miro, docusign).score).toBeLessThan(0.8);
  });

  it('takes a short reworded resend naming the same asset tag as the same request', () => {
    const first = fingerprint('Scanner NW-HS-0023 offline in bay 4', 'Handheld scanner NW-HS-0023 will not connect to the wifi since start of shift, it says "Network not available". Restarted it twice.');
    const again = fingerprint('Scanner still offline', 'Sending again in case it got lost: NW-HS-0023 still not connecting in bay 4, "Network not available".');
    expect(similarity(first, again).score).toBeGreaterThanOrEqual(0.8);
  });

  it('keeps two requests alike but for the mailbox they name apart', () => {
    const a = fingerprint('Full Access to shared mailbox hr-recruiting@', 'Could you give me Full Access and Send As on the shared mailbox hr-recruiting@northwind.example? Karin Holt approved it.');
    const b = fingerprint('Full Access to shared mailbox hr-payroll@', 'Could you give me Full Access and Send As on the shared mailbox hr-payroll@northwind.example? Karin Holt approved it.');
    expect(similarity(a, b)).toMatchObject({ identifiers: { shared: [], conflict: true } });
    expect(similarity(a, b).score).toBeLessThan(0.8);
  });

  it('keeps a follow-up that says the first problem is over apart, even when it forwards the first mail whole', () => {
    const first = fingerprint('Projector in room Oslo finds no laptop', 'The projector in meeting room Oslo says "No signal" whatever we do. We tried two laptops and both HDMI cables.');
    const forward = fingerprint(
      'Fwd: Projector in room Oslo finds no laptop',
      'The projector works now, thanks! New problem in the same room: the ceiling microphone is not picked up by Teams. The projector in meeting room Oslo says "No signal" whatever we do. We tried two laptops and both HDMI cables.',
    );
    expect(similarity(first, forward).body).toBeGreaterThan(0.9);
    expect(similarity(first, forward).score).toBeLessThan(0.8);
  });

  it('reads a fingerprint made before identifiers (two lines) as having none', () => {
    expect(similarity('laptop fan loud\nthe fan is loud', fingerprint('Laptop fan loud', 'The fan is loud NW-LT-0217')).identifiers).toEqual({ shared: [], conflict: false });
  });
});
