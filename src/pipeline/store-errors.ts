/**
 * Store failures that no retry will fix: an item over DynamoDB's size limit (refused by our
 * own check, or by DynamoDB's ValidationException). The mail behind such a write is quarantined
 * with the reason instead of failing every delivery into the dead-letter queue.
 */
export function isPermanentStoreError(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  if (e?.name === 'ItemTooLargeError') return true;
  return e?.name === 'ValidationException' && /item size|size has exceeded|key.*too large|exceeds.*length/i.test(e.message ?? '');
}
