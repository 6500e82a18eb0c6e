/**
 * What changed in a folder since the last poll, by Graph's delta query on its messages: ids
 * only. A round is followed through `@odata.nextLink` pages to its `@odata.deltaLink`, which the
 * next poll starts from. A dead state token (410 Gone, or `syncStateNotFound` / `resyncRequired`,
 * per "Use delta query" and "Error codes in Microsoft Graph") starts a full sync over: every
 * message still in the folder comes again, which is safe because the pipeline drops mail it
 * already has.
 */
import { GraphError, type GraphClient } from './client.js';

export interface FolderChanges {
  /** Where the next poll reads from: the round's deltaLink, or a nextLink when this read stopped early. */
  cursor: string;
  /** Messages in the folder that are new or changed, in the order Graph gave them, without repeats. */
  present: string[];
  /** Messages gone from the folder (moved, deleted). */
  removed: string[];
  /** The saved cursor was dead: this was a full sync. */
  resynced: boolean;
}

interface DeltaPage {
  value: Array<{ id: string; '@removed'?: { reason?: string } }>;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** Messages per page we ask for (Graph may send fewer). */
const PAGE_SIZE = 100;

/**
 * Reads the changes since `cursor` (null: a full sync), stopping after the page where `room`
 * messages have come, so a first sync of a full folder spreads over several polls.
 */
export async function folderChanges(client: GraphClient, folderId: string, cursor: string | null, room: number): Promise<FolderChanges> {
  const initial = `/mailFolders/${encodeURIComponent(folderId)}/messages/delta?$select=id`;
  const present = new Set<string>();
  const removed = new Set<string>();
  let url = cursor ?? initial;
  let resynced = false;
  for (;;) {
    let page: DeltaPage;
    try {
      page = await client.json<DeltaPage>('GET', url, { prefer: [`odata.maxpagesize=${PAGE_SIZE}`] });
    } catch (err) {
      if (!resynced && url !== initial && syncStateLost(err)) {
        resynced = true;
        url = initial;
        continue;
      }
      throw err;
    }
    for (const item of page.value ?? []) {
      if (typeof item.id !== 'string') continue;
      if (item['@removed']) {
        present.delete(item.id);
        removed.add(item.id);
      } else {
        removed.delete(item.id);
        present.add(item.id);
      }
    }
    const done = page['@odata.deltaLink'];
    if (done) return { cursor: done, present: [...present], removed: [...removed], resynced };
    const next = page['@odata.nextLink'];
    if (!next) {
      throw new GraphError(`Microsoft Graph's delta page for mailbox ${client.mailbox} has neither @odata.nextLink nor @odata.deltaLink`, 200, 'InvalidDeltaPage', true);
    }
    if (present.size >= room) return { cursor: next, present: [...present], removed: [...removed], resynced };
    url = next;
  }
}

/** Graph no longer knows the state token: the sync starts over. */
export function syncStateLost(err: unknown): boolean {
  if (!(err instanceof GraphError)) return false;
  const code = err.code.toLowerCase();
  return err.status === 410 || code === 'syncstatenotfound' || code === 'resyncrequired' || code === 'syncstateinvalid';
}
