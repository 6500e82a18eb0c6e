/**
 * Every `ticketing` command by name, in the order the CLI lists them (--help, did-you-mean, the
 * commands a deployed stack takes, the commands an option belongs to). A new command: its module
 * under commands/ (options, --help lines, checks, run) and one entry here.
 */
import type { Command } from './command.js';
import { apiKey } from './commands/api-key.js';
import { chatTest } from './commands/chat-test.js';
import { demo } from './commands/demo.js';
import { exportCommand } from './commands/export.js';
import { forget } from './commands/forget.js';
import { gmailPoll } from './commands/gmail-poll.js';
import { graphPoll } from './commands/graph-poll.js';
import { imapPoll } from './commands/imap-poll.js';
import { incidents } from './commands/incidents.js';
import { ingest } from './commands/ingest.js';
import { outbox } from './commands/outbox.js';
import { reindex } from './commands/reindex.js';
import { replay } from './commands/replay.js';
import { serve } from './commands/serve.js';
import { stale } from './commands/stale.js';
import { sweep } from './commands/sweep.js';
import { show, tickets } from './commands/tickets.js';

export const COMMANDS: Record<string, Command> = {
  ingest,
  tickets,
  show,
  incidents,
  outbox,
  export: exportCommand,
  stale,
  replay,
  sweep,
  reindex,
  forget,
  serve,
  'api-key': apiKey,
  'imap-poll': imapPoll,
  'graph-poll': graphPoll,
  'gmail-poll': gmailPoll,
  'chat-test': chatTest,
  demo,
};
