/**
 * The job records port on the table (src/aws/dynamo-jobs.ts): the IMAP poller's checkpoint, a
 * mailbox-API poller's cursor and the lease per folder, through the store every entry point gets
 * from the composition root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxFolder } from '../../src/pipeline/ports.js';
import { northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const inbox: MailboxFolder = { account: 'helpdesk@imap.northwind.example', folder: 'INBOX' };
const archive: MailboxFolder = { ...inbox, folder: 'Archive' };
const at = (iso: string) => new Date(iso);

describe('job records (dynalite)', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('keeps one checkpoint per folder, the last one saved', async () => {
    const { store } = await pipelineOn(fx);
    expect(await store.mailboxCheckpoint(inbox)).toBeNull();

    await store.saveMailboxCheckpoint(inbox, { uidValidity: '4294967295', lastUid: 7 }, at('2026-11-23T08:00:00Z'));
    await store.saveMailboxCheckpoint(inbox, { uidValidity: '4294967295', lastUid: 9 }, at('2026-11-23T08:01:00Z'));

    expect(await store.mailboxCheckpoint(inbox)).toEqual({ uidValidity: '4294967295', lastUid: 9 });
    expect(await store.mailboxCheckpoint(archive)).toBeNull();
  });

  it('keeps a mailbox-API cursor beside the IMAP checkpoint of the same folder, pending ids in order', async () => {
    const { store } = await pipelineOn(fx);
    const graph: MailboxFolder = { account: 'graph:support@northwind.example', folder: 'inbox' };
    expect(await store.mailboxCursor(graph)).toBeNull();
    const deltaLink = 'https://graph.microsoft.com/v1.0/users/support@northwind.example/mailFolders/inbox/messages/delta?$deltatoken=LztZwWjo5IivWBhyxw5rAKXyfPWi';
    await store.saveMailboxCursor(graph, { cursor: deltaLink, pending: ['AAMkAGI2-c', 'AAMkAGI2-a', 'AAMkAGI2-b'] }, at('2026-11-23T08:00:00Z'));
    await store.saveMailboxCheckpoint(graph, { uidValidity: '1', lastUid: 3 }, at('2026-11-23T08:00:00Z'));
    expect(await store.mailboxCursor(graph)).toEqual({ cursor: deltaLink, pending: ['AAMkAGI2-c', 'AAMkAGI2-a', 'AAMkAGI2-b'] });
    // A full sync is due: no cursor, nothing pending.
    await store.saveMailboxCursor(graph, { cursor: null, pending: [] }, at('2026-11-23T08:01:00Z'));
    expect(await store.mailboxCursor(graph)).toEqual({ cursor: null, pending: [] });
    expect(await store.mailboxCheckpoint(graph)).toEqual({ uidValidity: '1', lastUid: 3 });
  });

  it('leases a folder to one owner until it runs out, then to the next; only the holder gives it back', async () => {
    const { store } = await pipelineOn(fx);
    const until = at('2026-11-23T08:15:00Z');

    const first = await store.leaseMailbox(inbox, 'poller-a', at('2026-11-23T08:00:00Z'), until);
    const refused = await store.leaseMailbox(inbox, 'poller-b', at('2026-11-23T08:05:00Z'), at('2026-11-23T08:20:00Z'));
    const otherFolder = await store.leaseMailbox(archive, 'poller-b', at('2026-11-23T08:05:00Z'), at('2026-11-23T08:20:00Z'));

    expect(first).toBeNull();
    expect(refused).toEqual({ heldUntil: until });
    expect(otherFolder).toBeNull();

    // poller-a died holding it: once its lease is over, poller-b takes the folder over.
    expect(await store.leaseMailbox(inbox, 'poller-b', at('2026-11-23T08:15:01Z'), at('2026-11-23T08:30:01Z'))).toBeNull();
    // The late poller-a cannot give back what is no longer its own.
    await store.releaseMailbox(inbox, 'poller-a');
    expect(await store.leaseMailbox(inbox, 'poller-c', at('2026-11-23T08:16:00Z'), at('2026-11-23T08:31:00Z'))).toEqual({ heldUntil: at('2026-11-23T08:30:01Z') });

    await store.releaseMailbox(inbox, 'poller-b');
    expect(await store.leaseMailbox(inbox, 'poller-c', at('2026-11-23T08:16:00Z'), at('2026-11-23T08:31:00Z'))).toBeNull();
  });
});
