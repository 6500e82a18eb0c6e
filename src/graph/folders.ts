/**
 * A mail folder named in the config, found in the mailbox: a well-known name (`inbox`), or a path
 * of display names under the mailbox root (`Support/Processed`, `Inbox/Helpdesk`), whose first
 * part may be a well-known name. The processed folder is made when missing.
 */
import { GraphError, type GraphClient } from './client.js';

/** Graph's well-known folder names (the mailFolder resource): they work in any mailbox language. */
const WELL_KNOWN = new Set([
  'archive',
  'clutter',
  'conflicts',
  'conversationhistory',
  'deleteditems',
  'drafts',
  'inbox',
  'junkemail',
  'localfailures',
  'msgfolderroot',
  'outbox',
  'recoverableitemsdeletions',
  'scheduled',
  'searchfolders',
  'sentitems',
  'serverfailures',
  'syncissues',
]);

export class GraphFolderError extends Error {
  override name = 'GraphFolderError';
}

interface MailFolder {
  id: string;
  displayName: string;
}

interface FolderPage {
  value: MailFolder[];
  '@odata.nextLink'?: string;
}

/** The folder's id; `create`: missing parts of the path are made. */
export async function findFolder(client: GraphClient, path: string, create: boolean): Promise<string> {
  const parts = path.split('/').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new GraphFolderError(`folder "${path}" of mailbox ${client.mailbox} names no folder`);
  let parent: string | null = null;
  let start = 0;
  if (WELL_KNOWN.has(parts[0]!.toLowerCase())) {
    parent = await wellKnown(client, parts[0]!.toLowerCase());
    start = 1;
  }
  for (let i = start; i < parts.length; i++) {
    const name = parts[i]!;
    const found = await child(client, parent, name);
    if (found) {
      parent = found;
      continue;
    }
    const where = parts.slice(0, i).join('/') || 'the mailbox root';
    if (!create) throw new GraphFolderError(`mailbox ${client.mailbox} has no folder "${name}" in ${where} (graph folder "${path}")`);
    parent = await make(client, parent, name);
  }
  return parent!;
}

async function wellKnown(client: GraphClient, name: string): Promise<string> {
  try {
    return (await client.json<MailFolder>('GET', `/mailFolders/${name}?$select=id,displayName`)).id;
  } catch (err) {
    if (err instanceof GraphError && err.status === 404) throw new GraphFolderError(`mailbox ${client.mailbox} has no well-known folder "${name}"`, { cause: err });
    throw err;
  }
}

/** A child folder by display name (Outlook compares them without case). */
async function child(client: GraphClient, parent: string | null, name: string): Promise<string | null> {
  const wanted = name.toLowerCase();
  let next: string | undefined = `${childrenPath(parent)}?$select=id,displayName&$top=100&includeHiddenFolders=true`;
  while (next) {
    const page: FolderPage = await client.json<FolderPage>('GET', next);
    const hit = page.value.find((f) => f.displayName.toLowerCase() === wanted);
    if (hit) return hit.id;
    next = page['@odata.nextLink'];
  }
  return null;
}

async function make(client: GraphClient, parent: string | null, name: string): Promise<string> {
  try {
    return (await client.json<MailFolder>('POST', childrenPath(parent), { json: { displayName: name } })).id;
  } catch (err) {
    // Another client made it meanwhile.
    if (err instanceof GraphError && err.status === 409) {
      const found = await child(client, parent, name);
      if (found) return found;
    }
    throw err;
  }
}

function childrenPath(parent: string | null): string {
  return parent === null ? '/mailFolders' : `/mailFolders/${encodeURIComponent(parent)}/childFolders`;
}
