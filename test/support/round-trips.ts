import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Counts DynamoDB requests and sequential round trips on a client: requests that overlap
 * in time (sent in parallel) share one round trip; a request sent when none is in flight
 * starts a new one. This is what the latency of a Lambda invocation pays for.
 */
export function countRoundTrips(client: DynamoDBClient) {
  let inFlight = 0;
  const counts = { requests: 0, roundTrips: 0, operations: [] as string[] };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counts.requests++;
      counts.operations.push(String(context.commandName).replace(/Command$/, ''));
      if (inFlight === 0) counts.roundTrips++;
      inFlight++;
      try {
        return await next(args);
      } finally {
        // Let a sibling request started in the same tick count as parallel, not sequential.
        await Promise.resolve();
        inFlight--;
      }
    },
    { step: 'initialize', name: 'countRoundTrips' },
  );
  return {
    reset() {
      counts.requests = 0;
      counts.roundTrips = 0;
      counts.operations = [];
    },
    get: () => ({ ...counts, operations: [...counts.operations] }),
  };
}
