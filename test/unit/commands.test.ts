import { describe, expect, it } from 'vitest';
import { applyCommands, parseCommands, type CommandContext } from '../../src/domain/commands.js';
import type { Ticket } from '../../src/domain/ticket.js';

const ctx: CommandContext = {
  sender: 'Alex.Kim@northwind.example',
  ticketPrefix: 'TKT',
  ticketNumber: 42,
  categories: ['network', 'hardware', 'printing', 'email', 'access', 'software', 'other'],
  isStaff: (address) => address.endsWith('@northwind.example'),
};

const parse = (text: string, context: CommandContext = ctx) => parseCommands(text, context);
const text = (...lines: string[]) => lines.join('\n');

describe('#status', () => {
  it.each([
    ['#status resolved', 'resolved'],
    ['#status closed', 'closed'],
    ['#status open', 'open'],
    ['#status pending', 'waiting-on-requester'],
    ['#status waiting', 'waiting-on-requester'],
    ['#status waiting-on-requester', 'waiting-on-requester'],
    ['#status waiting on requester', 'waiting-on-requester'],
    ['#status awaiting-info', 'awaiting-info'],
    ['#status awaiting_info', 'awaiting-info'],
    ['#STATUS RESOLVED', 'resolved'],
    ['#Status: resolved', 'resolved'],
    ['#status:resolved', 'resolved'],
    ['  #status   resolved.  ', 'resolved'],
    ['#close', 'closed'],
    ['#Close', 'closed'],
    ['#close.', 'closed'],
    ['#resolve', 'resolved'],
    ['#RESOLVE:', 'resolved'],
  ])('%s → %s', (line, status) => {
    // Act
    const parsed = parse(text(line, '', 'Done, the printer is back online.'));

    // Assess
    expect(parsed.commands).toEqual([{ kind: 'status', status, line }]);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.text).toBe('Done, the printer is back online.');
  });

  it('rejects a status it does not know, naming the ones it does', () => {
    expect(parse('#status done').rejected).toEqual([
      { line: '#status done', error: '#status done: status must be open, pending (waiting-on-requester), awaiting-info, resolved or closed' },
    ]);
    expect(parse('#status').rejected[0]?.error).toBe('#status: status must be open, pending (waiting-on-requester), awaiting-info, resolved or closed');
  });

  it('rejects a value after #close and #resolve instead of guessing', () => {
    const parsed = parse(text('#close duplicate of TKT-5', '#resolve fixed by reboot'));
    expect(parsed.commands).toEqual([]);
    expect(parsed.rejected.map((r) => r.error)).toEqual([
      '#close duplicate of TKT-5: #close takes no value; write the reason on a line after the commands',
      '#resolve fixed by reboot: #resolve takes no value; write the reason on a line after the commands',
    ]);
  });
});

describe('#priority', () => {
  it.each([
    ['#priority P1', 'P1'],
    ['#priority p2', 'P2'],
    ['#priority 3', 'P3'],
    ['#Priority: P4', 'P4'],
    ['#PRIORITY p1!', 'P1'],
  ])('%s → %s', (line, priority) => {
    expect(parse(line).commands).toEqual([{ kind: 'priority', priority, line }]);
  });

  it.each(['#priority P7', '#priority 0', '#priority high', '#priority P1 urgent', '#priority'])('rejects %s', (line) => {
    const parsed = parse(line);
    expect(parsed.commands).toEqual([]);
    expect(parsed.rejected).toEqual([{ line, error: `${line}: priority must be P1, P2, P3 or P4` }]);
  });
});

describe('#category', () => {
  it('takes a known category in any case and gives its configured name', () => {
    expect(parse('#category Printing').commands).toEqual([{ kind: 'category', category: 'printing', line: '#category Printing' }]);
    expect(parse('#Category: EMAIL').commands).toEqual([{ kind: 'category', category: 'email', line: '#Category: EMAIL' }]);
  });

  it('matches a category whose name has spaces', () => {
    const parsed = parse('#category  Mobile   devices', { ...ctx, categories: ['Mobile devices'] });
    expect(parsed.commands).toEqual([{ kind: 'category', category: 'Mobile devices', line: '#category  Mobile   devices' }]);
  });

  it('rejects an unknown category, listing the known ones', () => {
    expect(parse('#category telephony').rejected).toEqual([
      {
        line: '#category telephony',
        error: '#category telephony: unknown category "telephony"; known categories are network, hardware, printing, email, access, software, other',
      },
    ]);
    expect(parse('#category').rejected[0]?.error).toBe(
      '#category: a category is needed; known categories are network, hardware, printing, email, access, software, other',
    );
    expect(parse('#category network', { ...ctx, categories: [] }).rejected[0]?.error).toBe('#category network: no categories are configured');
  });
});

describe('#assign', () => {
  it('assigns the sender with "me", lower-cased', () => {
    expect(parse('#assign me').commands).toEqual([{ kind: 'assign', assignee: 'alex.kim@northwind.example', line: '#assign me' }]);
    expect(parse('#Assign: ME').commands).toEqual([{ kind: 'assign', assignee: 'alex.kim@northwind.example', line: '#Assign: ME' }]);
  });

  it.each(['priya@northwind.example', 'Priya@Northwind.example', '<priya@northwind.example>', 'mailto:priya@northwind.example', 'priya@northwind.example.'])(
    'assigns a staff address written as %s',
    (address) => {
      expect(parse(`#assign ${address}`).commands).toEqual([{ kind: 'assign', assignee: 'priya@northwind.example', line: `#assign ${address}` }]);
    },
  );

  it('rejects an address that is not staff, and what is not an address', () => {
    expect(parse('#assign maria@gmail.example').rejected).toEqual([
      { line: '#assign maria@gmail.example', error: '#assign maria@gmail.example: maria@gmail.example is not a staff address' },
    ]);
    expect(parse('#assign priya').rejected[0]?.error).toBe('#assign priya: expected "me" or a staff email address');
    expect(parse('#assign').rejected[0]?.error).toBe('#assign: expected "me" or a staff email address');
  });
});

describe('#note', () => {
  it('marks the message as an internal note and keeps its text', () => {
    const parsed = parse(text('#note', 'Called Maria, she will bring the laptop on Monday.'));
    expect(parsed.commands).toEqual([{ kind: 'note', line: '#note' }]);
    expect(parsed.text).toBe('Called Maria, she will bring the laptop on Monday.');
  });

  it('keeps what follows #note on its line as the first line of the note', () => {
    const parsed = parse(text('#note: called Maria', '#priority P2', '', 'She will bring the laptop on Monday.'));
    expect(parsed.commands).toEqual([
      { kind: 'note', line: '#note: called Maria' },
      { kind: 'priority', priority: 'P2', line: '#priority P2' },
    ]);
    expect(parsed.text).toBe(text('called Maria', 'She will bring the laptop on Monday.'));
  });
});

describe('#merge', () => {
  it.each(['TKT-7', 'tkt-7', '[TKT-7]', '7', 'TKT-7.'])('merges into %s', (id) => {
    expect(parse(`#merge ${id}`).commands).toEqual([{ kind: 'merge', ticketNumber: 7, ticketId: 'TKT-7', line: `#merge ${id}` }]);
  });

  it('uses the configured prefix, whatever characters it has', () => {
    const help = { ...ctx, ticketPrefix: 'IT.HELP' };
    expect(parse('#merge it.help-12', help).commands).toEqual([{ kind: 'merge', ticketNumber: 12, ticketId: 'IT.HELP-12', line: '#merge it.help-12' }]);
    expect(parse('#merge ITXHELP-12', help).rejected[0]?.error).toBe('#merge ITXHELP-12: expected the id of the ticket to merge into, such as IT.HELP-7');
  });

  it('rejects a merge into the ticket itself', () => {
    expect(parse('#merge TKT-42').rejected).toEqual([{ line: '#merge TKT-42', error: '#merge TKT-42: this is TKT-42; a ticket cannot be merged into itself' }]);
  });

  it.each(['INC-7', 'TKT-0', 'TKT-', 'TKT-7 TKT-8', ''])('rejects "#merge %s"', (id) => {
    const line = `#merge ${id}`.trim();
    expect(parse(line).rejected).toEqual([{ line, error: `${line}: expected the id of the ticket to merge into, such as TKT-7` }]);
  });
});

describe('the command block', () => {
  it('reads several commands, with leading and separating blank lines, and keeps the rest as text', () => {
    // Prepare
    const reply = text('', '  ', '#priority P2', '', '#category network', '#assign me', '', '', 'Hi Maria,', '', 'the switch is replaced.', '#status resolved');

    // Act
    const parsed = parse(reply);

    // Assess
    expect(parsed.commands.map((c) => c.kind)).toEqual(['priority', 'category', 'assign']);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.text).toBe(text('Hi Maria,', '', 'the switch is replaced.', '#status resolved'));
  });

  it('reads Windows line ends', () => {
    const parsed = parse('#priority P1\r\n#close\r\n\r\nDone.\r\nAlex');
    expect(parsed.commands.map((c) => c.kind)).toEqual(['priority', 'status']);
    expect(parsed.text).toBe('Done.\nAlex');
  });

  it('leaves a reply without commands as it is, leading blank lines trimmed', () => {
    expect(parse(text('', 'Hi Maria, #1 on my list today.', '', 'Alex'))).toEqual({ commands: [], rejected: [], text: text('Hi Maria, #1 on my list today.', '', 'Alex') });
    expect(parse('')).toEqual({ commands: [], rejected: [], text: '' });
  });

  it('gives an empty text when the reply is only commands', () => {
    expect(parse(text('#assign me', '#priority P3', '')).text).toBe('');
  });

  it('ends at a # line that is prose, not a command', () => {
    const reply = text('#priority P1', '#1 priority for me is getting you back online today.', '#status resolved');
    const parsed = parse(reply);
    expect(parsed.commands).toEqual([{ kind: 'priority', priority: 'P1', line: '#priority P1' }]);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.text).toBe(text('#1 priority for me is getting you back online today.', '#status resolved'));
  });

  it.each(['# Steps taken', '#', '#urgent please have a look at the printer on floor 3', '#wow!!! that was really fast', '#tkt-7', '##status resolved'])(
    'treats "%s" at the top as prose',
    (line) => {
      expect(parse(text(line, 'More text.'))).toEqual({ commands: [], rejected: [], text: text(line, 'More text.') });
    },
  );

  it('rejects an unknown #word that looks like a command, and removes it from the text', () => {
    // Prepare
    const reply = text('#stauts resolved', '#foo', '#escalate to network team', '#urgent!', '#priority P2', 'On it.');

    // Act
    const parsed = parse(reply);

    // Assess
    const known = 'the commands are #status, #priority, #category, #assign, #note, #merge, #unlink, #requester, #close, #resolve';
    expect(parsed.rejected).toEqual([
      { line: '#stauts resolved', error: `#stauts resolved: #stauts is not a command (did you mean #status?); ${known}` },
      { line: '#foo', error: `#foo: #foo is not a command; ${known}` },
      { line: '#escalate to network team', error: `#escalate to network team: #escalate is not a command; ${known}` },
      { line: '#urgent!', error: `#urgent!: #urgent is not a command; ${known}` },
    ]);
    expect(parsed.commands).toEqual([{ kind: 'priority', priority: 'P2', line: '#priority P2' }]);
    expect(parsed.text).toBe('On it.');
  });

  it('suggests the command an unknown word is close to', () => {
    expect(parse('#asign me').rejected[0]?.error).toMatch(/^#asign me: #asign is not a command \(did you mean #assign\?\); the commands are /);
    expect(parse('#prio 1').rejected[0]?.error).toMatch(/^#prio 1: #prio is not a command; the commands are /);
  });

  it('removes a rejected command line from the text, so the requester never sees it', () => {
    const parsed = parse(text('#priority P7', 'The new toner is on its way.'));
    expect(parsed.text).toBe('The new toner is on its way.');
    expect(parsed.commands).toEqual([]);
  });

  it('keeps a valid command when another line is rejected', () => {
    const parsed = parse(text('#priority P7', '#assign me'));
    expect(parsed.commands).toEqual([{ kind: 'assign', assignee: 'alex.kim@northwind.example', line: '#assign me' }]);
    expect(parsed.rejected.map((r) => r.line)).toEqual(['#priority P7']);
  });
});

describe('a command given twice', () => {
  it('counts once when the values agree', () => {
    const parsed = parse(text('#close', '#status closed', '#priority P2', '#priority p2', '#note', '#note'));
    expect(parsed.commands).toEqual([
      { kind: 'status', status: 'closed', line: '#close' },
      { kind: 'priority', priority: 'P2', line: '#priority P2' },
      { kind: 'note', line: '#note' },
    ]);
    expect(parsed.rejected).toEqual([]);
  });

  it('applies none of them when the values differ, and says so', () => {
    // Act
    const parsed = parse(text('#status resolved', '#priority P1', '#status open', '#merge TKT-7', '#merge TKT-8', '#merge TKT-9'));

    // Assess
    expect(parsed.commands).toEqual([{ kind: 'priority', priority: 'P1', line: '#priority P1' }]);
    expect(parsed.rejected).toEqual([
      { line: '#status resolved\n#status open', error: '#status was given twice with different values (resolved, open), so neither was applied' },
      { line: '#merge TKT-7\n#merge TKT-8\n#merge TKT-9', error: '#merge was given 3 times with different values (TKT-7, TKT-8, TKT-9), so none was applied' },
    ]);
  });

  it('treats #close and #resolve as two different statuses', () => {
    expect(parse(text('#close', '#resolve')).rejected).toEqual([{ line: '#close\n#resolve', error: '#status was given twice with different values (closed, resolved), so neither was applied' }]);
  });

  it('counts "me" and the sender’s address as the same assignee', () => {
    const parsed = parse(text('#assign me', '#assign alex.kim@northwind.example'));
    expect(parsed.commands).toEqual([{ kind: 'assign', assignee: 'alex.kim@northwind.example', line: '#assign me' }]);
    expect(parsed.rejected).toEqual([]);
  });
});

describe('what the commands did, in words', () => {
  const ticket = {
    key: 'k',
    number: 42,
    id: 'TKT-42',
    status: 'open',
    priority: 'P3',
    category: null,
    assignee: null,
  } as Partial<Ticket> as Ticket;
  const apply = (on: Ticket, lines: string) =>
    applyCommands(on, parse(lines), { sender: 'alex.kim@northwind.example', at: '2026-11-24T08:00:00.000Z', ticketByNumber: async () => null });

  it('says each change as a sentence: from what, to what', async () => {
    // Act
    const outcome = await apply(ticket, text('#status resolved', '#priority P1', '#category hardware', '#assign priya.nair@northwind.example'));

    // Assess
    expect(outcome.applied).toEqual([
      'Status changed from open to resolved',
      'Priority changed from P3 to P1',
      'Category set to hardware (it had none)',
      'Assigned to priya.nair@northwind.example (it was unassigned)',
    ]);
    expect(outcome.rejected).toEqual([]);
  });

  it('says when a value was already set, and who had the ticket before', async () => {
    const assigned = { ...ticket, category: 'network', assignee: 'priya.nair@northwind.example' };
    expect((await apply(assigned, text('#status open', '#priority P3', '#assign me'))).applied).toEqual([
      'Status was already open, so nothing changed',
      'Priority was already P3, so nothing changed',
      'Assigned to alex.kim@northwind.example (it was assigned to priya.nair@northwind.example)',
    ]);
    expect((await apply({ ...assigned, assignee: 'alex.kim@northwind.example' }, '#assign me')).applied).toEqual(['Already assigned to alex.kim@northwind.example, so nothing changed']);
  });

  it('says why the lifecycle refused a move, quoting the line', async () => {
    const outcome = await apply({ ...ticket, status: 'resolved' }, '#status awaiting-info');
    expect(outcome.applied).toEqual([]);
    expect(outcome.rejected).toEqual([expect.stringMatching(/^#status awaiting-info: .*from resolved it can only move to open or closed/)]);
  });
});

describe('#unlink', () => {
  const ticket = { key: 'k', number: 42, id: 'TKT-42', status: 'open', priority: 'P3', category: null, assignee: null } as Partial<Ticket> as Ticket;
  const incident = { id: 'INC-3', memberNumbers: [41, 42, 43] };
  const applyIn = (on: Ticket, lines: string, scope: typeof incident | null) =>
    applyCommands(on, parse(lines), { sender: 'alex.kim@northwind.example', at: '2026-11-24T08:00:00.000Z', ticketByNumber: async () => null, incident: scope });

  it.each(['TKT-43', 'tkt-43', '[TKT-43]', '43'])('reads %s as the ticket to take out', (id) => {
    expect(parse(`#unlink ${id}`).commands).toEqual([{ kind: 'unlink', ticketNumber: 43, ticketId: 'TKT-43', line: `#unlink ${id}` }]);
  });

  it('takes several tickets out, one line each, without calling it a conflict', () => {
    const parsed = parse(text('#unlink TKT-41', '#unlink TKT-43', '#unlink TKT-43'));
    expect(parsed.commands.map((c) => c.kind === 'unlink' && c.ticketId)).toEqual(['TKT-41', 'TKT-43']);
    expect(parsed.rejected).toEqual([]);
  });

  it('says what it needs when the value is not a ticket id', () => {
    expect(parse('#unlink the printer one').rejected[0]?.error).toBe('#unlink the printer one: expected the id of the ticket to take out of the incident, such as TKT-7');
  });

  it('is refused outside a reply to an incident, and for a ticket not in the incident', async () => {
    expect((await applyIn(ticket, '#unlink TKT-43', null)).rejected).toEqual(["#unlink TKT-43: #unlink takes a ticket out of an incident; use it in a reply to the incident's email"]);
    expect((await applyIn(ticket, '#unlink TKT-7', incident)).rejected).toEqual(['#unlink TKT-7: TKT-7 is not part of INC-3']);
    // A member: nothing is rejected (the incident takes it out as a whole).
    expect(await applyIn(ticket, '#unlink TKT-43', incident)).toMatchObject({ rejected: [], applied: [], changes: {} });
  });
});
