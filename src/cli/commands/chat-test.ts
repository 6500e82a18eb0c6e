import { hasChatChannel } from '../../chat/config.js';
import { readSecretString } from '../../aws/secret-string.js';
import { testChatChannels } from '../../chat/notifier.js';
import type { TargetedCommand } from '../command.js';
import type { Options } from '../target.js';

export const chatTest: TargetedCommand = {
  options: ['json'], access: 'config', deployed: true, args: 'none',
  help: `  ticketing chat-test [--json]      post a test message to each Slack and Teams channel of the
                                    config, and say what each answered`,
  run: ({ opts, print }) => chatTestRun(opts, print),
};

const NAMES = { slack: 'Slack', teams: 'Teams' } as const;

/** `ticketing chat-test`: one sample message per configured channel, each answer in words. */
async function chatTestRun(opts: Options, print: (line: string) => void): Promise<number> {
  const { config } = opts;
  if (!hasChatChannel(config.chat)) {
    print('No chat channel is configured: set chat.slack or chat.teams in the config (see "Chat: Slack and Microsoft Teams" in the README).');
    return 1;
  }
  // A deployed stack's channels keep their secrets in Secrets Manager; locally they are in the config.
  const readSecret = opts.target.kind === 'deployed' ? (arn: string) => readSecretString(arn) : null;
  const results = await testChatChannels(config, { readSecret, clock: { now: () => opts.now ?? new Date() } });
  if (opts.json) print(JSON.stringify(results));
  else for (const r of results) print(`${NAMES[r.channel]}: ${r.outcome === 'posted' ? 'posted' : r.outcome}: ${r.why}`);
  return results.every((r) => r.outcome === 'posted') ? 0 : 1;
}
