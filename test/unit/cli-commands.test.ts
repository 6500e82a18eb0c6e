/** The CLI's command table: each command's module says its options, its --help lines, where it runs. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { OPTIONS } from '../../src/cli/options.js';
import { USAGE } from '../../src/cli/usage.js';
import { main } from '../../src/cli.js';

const ABOUT_COLUMN = 36;

describe('the command table', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(Object.entries(COMMANDS))('%s: its help lines are in --help, aligned, and show its own options', (name, command) => {
    // Act
    const lines = command.help.split('\n');

    // Assess
    expect(USAGE).toContain(command.help);
    expect(lines[0]!.startsWith(`  ticketing ${name}`)).toBe(true);
    for (const line of lines) {
      expect(line.length, line).toBeLessThanOrEqual(100);
      expect(line.startsWith('  ticketing ') || line.startsWith(' '.repeat(ABOUT_COLUMN)), line).toBe(true);
    }
    for (const option of command.options) {
      expect(Object.keys(OPTIONS)).toContain(option);
      expect(command.help).toContain(`--${option}`);
    }
  });

  it('--help names, for --stack, the commands a deployed stack takes', async () => {
    // Prepare
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});

    // Act: a command that runs on the embedded stack only, pointed at a deployed one
    const code = await main(['serve', '--stack', 'Ticketing-prod']);

    // Assess
    expect(code).toBe(2);
    const deployed = /a deployed stack takes (.+)$/.exec(String(stderr.mock.calls[0]?.[0]))?.[1];
    expect(deployed).toBeDefined();
    // The help wraps at 100 columns: the list may go over a line break.
    expect(USAGE.replace(/\s+/g, ' ')).toContain(`a deployed stack (${deployed}):`);
  });
});
