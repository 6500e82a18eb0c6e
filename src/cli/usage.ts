/** What `ticketing --help` prints: each command's lines come from its module, in table order. */
import { COMMANDS } from './commands.js';

export const USAGE = `ticketing — email-in ticketing for IT teams, on an embedded AWS stack under --data or on a
deployed stack (--stack NAME)

Usage:
${Object.values(COMMANDS).map((command) => command.help).join('\n')}

Options:
  --data DIR       local data directory (default .data)
  --config FILE    JSON configuration; default: the one recorded for --data by the command that
                   made it (DIR/ticketing.json), else the built-in defaults
  --now ISO-8601   the clock, e.g. 2026-11-23T09:00:00Z (default: the system clock)
  --json           machine-readable output
  --stack NAME     a deployed stack (tickets, show, incidents, export, stale --dry-run, replay,
                   sweep, reindex, forget, api-key, chat-test): its table, bucket and config from
                   the stack's outputs; standard AWS credentials
  --region REGION  the deployed stack's region (default: AWS_REGION or your AWS profile's)
  --aws            like --stack, with the table and bucket named by the config's aws block
  -h, --help       this help`;

