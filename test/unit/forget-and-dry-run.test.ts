/** The pure parts of `forget` (how text is cleaned of a person) and of `stale --dry-run` (what passes through). */
import { describe, expect, it } from 'vitest';
import { dryRunPorts, DryRunError } from '../../src/pipeline/dry-run.js';
import { ForgetError, normaliseAddress, personErasure } from '../../src/pipeline/forget.js';
import type { TicketStore } from '../../src/pipeline/ports.js';

describe('forget: cleaning text of one person', () => {
  const e = personErasure('maria.garcia@northwind.example', ['Garcia, Maria', 'Maria'], 'erased-00000000@forgotten.invalid', '2026-12-01T10:00:00.000Z');

  it('replaces the address in any case, and every name as a whole phrase', () => {
    expect(e.scrub('Hi Maria Garcia, from MARIA.GARCIA@northwind.example')).toBe('Hi [erased], from erased-00000000@forgotten.invalid');
    expect(e.scrub('Garcia, Maria wrote')).toBe('[erased] wrote');
    expect(e.scrub('Hi Maria,')).toBe('Hi [erased],');
    // Inside another word it is not her name.
    expect(e.scrub('Mariachi band; mariagarcia')).toBe('Mariachi band; mariagarcia');
    expect(e.knownAs).toEqual(['Garcia, Maria', 'Maria Garcia', 'Maria']);
    expect(e.note).toBe('erased on request on 2026-12-01');
  });

  it('finds records by her address or a full name, never by a first name alone', () => {
    expect(e.names('cc: maria.garcia@northwind.example')).toBe(true);
    expect(e.names('Maria  Garcia called')).toBe(true);
    expect(e.names('Maria from procurement called')).toBe(false);
  });

  it('takes one plain address', () => {
    expect(normaliseAddress(' <Maria.Garcia@Northwind.example> ')).toBe('maria.garcia@northwind.example');
    expect(() => normaliseAddress('Maria Garcia')).toThrow(ForgetError);
    expect(() => normaliseAddress('a@b')).toThrow(/is not an email address/);
  });
});

describe('stale --dry-run ports', () => {
  const written: string[] = [];
  const store = {
    listTickets: async () => [],
    lastStaleRun: async () => ({ slot: '2026-12-01T08:00', startedAt: 'x', finishedAt: 'y', result: {}, flaggedKeys: [] }),
    getPlan: async () => null,
    setStale: async () => void written.push('setStale'),
    markBouncing: async () => void written.push('markBouncing'),
  } as unknown as TicketStore;
  const clock = { now: () => new Date('2026-12-01T08:00:00Z') };

  it('reads through, answers the writes a job makes itself, and refuses any other write', async () => {
    const dry = dryRunPorts({ store, mailer: { send: async () => { throw new Error('sent'); } }, events: null, clock });
    await expect(dry.ports.store.listTickets()).resolves.toEqual([]);
    await dry.ports.store.setStale({} as never, 'x');
    expect(written).toEqual([]);
    await expect(dry.ports.store.markBouncing('a@b.example', 'x', 'y')).rejects.toBeInstanceOf(DryRunError);
    expect(written).toEqual([]);
    // The slot the last run finished is reported as taken; another is free.
    await expect(dry.ports.store.claimStaleRun('2026-12-01T08:00', 'x')).resolves.toMatchObject({ finishedAt: 'y' });
    await expect(dry.ports.store.claimStaleRun('2026-12-02T08:00', 'x')).resolves.toBeNull();
    const raw = Buffer.from('From: a@b.example\r\nSubject: =?UTF-8?Q?Caf=C3=A9?= digest\r\n\r\nbody');
    await dry.ports.mailer.send(raw, { from: 'a@b.example', to: ['it@b.example'] });
    expect(dry.mails).toEqual([{ to: ['it@b.example'], subject: 'Café digest' }]);
  });
});
