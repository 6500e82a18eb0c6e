/**
 * A whole support conversation through `ticketing ingest`, as a person runs it: request →
 * missing-info → the requester answers → staff notified → staff reply with commands → … →
 * "thanks!" recorded without reopening → "it broke again" reopens. The outbox must hold exactly
 * the mails a person would expect, and nothing a spoofed staff sender wrote may act.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPublished } from '../../src/local/sns-endpoint.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = join(root, 'fixtures/conversation');
const config = join(root, 'fixtures/northwind.config.json');

interface Step {
  file: string;
  outcome: string;
  ticket: string;
  status: string;
  replies: string[];
}
const expected: Step[] = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));

interface OutboxMail {
  to: string;
  from: string;
  replyTo: string;
  subject: string;
  autoSubmitted: string | null;
  text: string;
}

async function ticketing(args: string[]) {
  const out = await run(process.execPath, [join(root, 'src/bin/ticketing.mjs'), ...args], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  return out.stdout;
}

describe('a whole conversation through ticketing ingest', () => {
  let data: string;
  let lines: (Omit<Step, 'replies'> & { reason: string; replies: { kind: string; to: string }[] })[];
  let outbox: OutboxMail[];
  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'ticketing-conversation-'));
    const files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().map((f) => join(dir, f));
    const stdout = await ticketing(['ingest', ...files, '--data', data, '--config', config, '--now', '2026-11-30T08:00:00Z']);
    lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    outbox = JSON.parse(await ticketing(['outbox', '--json', '--data', data]));
  }, 120_000);
  afterAll(async () => {
    await rm(data, { recursive: true, force: true });
  });

  it('gives every mail the expected outcome, status and mails', () => {
    expect(lines.map((l) => ({ file: l.file, outcome: l.outcome, ticket: l.ticket, status: l.status, replies: l.replies.map((r) => r.kind) }))).toEqual(
      expected.map(({ file, outcome, ticket, status, replies }) => ({ file, outcome, ticket, status, replies })),
    );
  });

  it('sends exactly those mails, to the people a person would expect', () => {
    expect(outbox).toHaveLength(expected.flatMap((e) => e.replies).length);
    const to = (who: string) => outbox.filter((m) => m.to.includes(who));
    // The requester gets her question, the three staff answers, and nothing internal.
    const maria = to('maria.garcia@northwind.example');
    for (const m of maria) {
      expect(m.text).not.toMatch(/#status|#assign|#priority|#note|firmware/i);
      expect(m.replyTo).toMatch(/^support\+tkt-\d+@northwind\.example$/);
    }
    const relays = maria.filter((m) => m.autoSubmitted === null);
    expect(relays.map((m) => m.from)).toEqual([
      expect.stringContaining('Alex Kim (Northwind IT)'),
      expect.stringContaining('Priya Nair (Northwind IT)'),
      expect.stringContaining('Jonas Berg (Northwind IT)'),
      expect.stringContaining('Alex Kim (Northwind IT)'),
    ]);
    expect(relays[0]!.text).toMatch(/USB-C cable/);
    expect(relays[0]!.text).not.toMatch(/^From: |Sent: /m); // the notification Alex quoted stays out
    // Staff: notices to the list (or the assignee), command results to the one who sent them.
    for (const m of to('it-team@northwind.example')) expect(m.subject).toMatch(/^\[TKT-\d+\] \[P\d [a-z]+\] /);
    expect(to('alex.kim@northwind.example').some((m) => /Not everything was applied|#staus/.test(m.text))).toBe(true);
    // Nothing for, or caused by, the spoofed sender; Alex alone hears that a mail in his name was not applied.
    expect(outbox.some((m) => /attacker@evil\.example|password to/i.test(`${m.to} ${m.text}`))).toBe(false);
    expect(to('alex.kim@northwind.example').filter((m) => /^Not applied: /.test(m.subject))).toHaveLength(1);
  });

  it('gives the spoofed staff sender no power, and tells the real staff member nothing was applied', () => {
    const spoof = lines.find((l) => l.file.startsWith('c11-'))!;
    expect(spoof.replies.map((r) => [r.kind, r.to])).toEqual([['staff-warning', 'alex.kim@northwind.example']]);
    expect(spoof.reason).toMatch(/looks like staff but .* treated as a stranger/);
    expect(spoof.reason).toMatch(/neither the requester nor a participant of TKT-1: recorded without changing it/);
  });

  it('keeps the history: who changed what, and why', async () => {
    const shown = await ticketing(['show', 'TKT-1', '--data', data, '--config', config]);
    expect(shown).toMatch(/History:/);
    expect(shown).toMatch(/status awaiting-info → open {2}by maria\.garcia@northwind\.example/);
    expect(shown).toMatch(/status open → waiting-on-requester {2}by alex\.kim@northwind\.example: #status pending/);
    expect(shown).toMatch(/assignee - → alex\.kim@northwind\.example {2}by alex\.kim@northwind\.example/);
    expect(shown).toMatch(/status resolved → open {2}by maria\.garcia@northwind\.example/);
    expect(shown).toMatch(/merged TKT-2 → TKT-1/);
    expect(shown).not.toMatch(/status waiting-on-requester → open {2}by alex\.kim/);
  });

  it('publishes ticket events for subscribers', () => {
    const published = readPublished(join(data, 'sns'));
    return published.then((messages) => {
      const events = messages.map((m) => JSON.parse(m.message) as { type: string; ticketId: string });
      expect(events.filter((e) => e.type === 'ticket.created').map((e) => e.ticketId)).toEqual(['TKT-1', 'TKT-2', 'TKT-3']);
      expect(events.filter((e) => e.type === 'ticket.updated').length).toBeGreaterThanOrEqual(6);
    });
  });
});
