/**
 * Fault injection through the AWS SDK clients' middleware: every write to DynamoDB and every
 * send (SES SendRawEmail, SNS Publish) is a numbered step, and a run can be made to fail right
 * after step n, as if the process had died there: the write or send happened, the caller never
 * hears back. Reads are not steps: a failed read changes nothing.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESClient } from '@aws-sdk/client-ses';
import type { SNSClient } from '@aws-sdk/client-sns';

const STEPS = /^(PutItem|UpdateItem|BatchWriteItem|DeleteItem|SendRawEmail|Publish)Command$/;

/** What the injected failure looks like to our code: a connection lost after the request went out. */
export class InjectedCrash extends Error {
  override name = 'InjectedCrash';
  readonly code = 'ECONNRESET';
}

export interface FaultInjector {
  /** Fail right after step `n` (1-based) of the run; null: no fault. */
  failAfter(n: number | null): void;
  /** Steps taken since the last reset, by name. */
  steps(): string[];
  /** The step the armed fault fired after (e.g. `SendRawEmail`), or null. Parallel steps may come in another order from run to run. */
  firedAfter(): string | null;
  reset(): void;
  remove(): void;
}

type Stack = DynamoDBClient['middlewareStack'] | SESClient['middlewareStack'] | SNSClient['middlewareStack'];

export function injectFaults(clients: { dynamo: DynamoDBClient; ses: SESClient; sns: SNSClient }): FaultInjector {
  let failAt: number | null = null;
  let fired: string | null = null;
  const taken: string[] = [];
  const name = 'injectFaultAfterStep';
  const stacks: Stack[] = [clients.dynamo.middlewareStack, clients.ses.middlewareStack, clients.sns.middlewareStack];
  for (const stack of stacks) {
    (stack as DynamoDBClient['middlewareStack']).add(
      (next, context) => async (args) => {
        const out = await next(args);
        const command = String(context.commandName);
        if (STEPS.test(command)) {
          taken.push(command.replace(/Command$/, ''));
          if (failAt !== null && taken.length === failAt && !fired) {
            fired = taken.at(-1)!;
            throw new InjectedCrash(`injected crash after step ${failAt} (${command})`);
          }
        }
        return out;
      },
      { step: 'initialize', name },
    );
  }
  return {
    failAfter(n) {
      failAt = n;
      fired = null;
    },
    steps: () => [...taken],
    firedAfter: () => fired,
    reset() {
      taken.length = 0;
      fired = null;
    },
    remove() {
      for (const stack of stacks) stack.remove(name);
    },
  };
}
