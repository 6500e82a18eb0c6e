/** The Graph client's pure parts: Retry-After, Graph's error JSON, blob keys, the resync signal, links it follows. */
import { describe, expect, it } from 'vitest';
import { GraphClient, GraphError, graphErrorOf, graphScope, retryAfterMs } from '../../src/graph/client.js';
import { syncStateLost } from '../../src/graph/delta.js';
import { graphAccount, graphRawKey } from '../../src/graph/poller.js';
import { graphTokens } from '../../src/graph/tokens.js';
import { graphSchema } from '../../src/mailbox-config.js';

const tokens = { token: async () => 'eyJ0eXAiOiJKV1QiLCJub25jZSI6InNlY3JldCJ9.payload.sig', refresh: () => undefined };

describe('Graph client', () => {
  it('reads Retry-After as seconds or an HTTP date, with a default when absent', () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(10_000);
    expect(retryAfterMs(null)).toBe(5000);
    expect(retryAfterMs('soon')).toBe(5000);
  });

  it("reads Graph's error JSON, and falls back to the status", () => {
    const body = Buffer.from(JSON.stringify({ error: { code: 'ErrorItemNotFound', message: 'The specified object\r\n was not found in the store.', innerError: { date: 'x' } } }));
    expect(graphErrorOf({ status: 404, body })).toEqual({ code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' });
    expect(graphErrorOf({ status: 502, body: Buffer.from('<html>Bad gateway</html>') })).toEqual({ code: 'HTTP502', message: '' });
  });

  it('takes 410 Gone, syncStateNotFound and resyncRequired (any case) as a lost sync state', () => {
    expect(syncStateLost(new GraphError('x', 410, 'HTTP410', false))).toBe(true);
    expect(syncStateLost(new GraphError('x', 400, 'SyncStateNotFound', false))).toBe(true);
    expect(syncStateLost(new GraphError('x', 400, 'resyncRequired', false))).toBe(true);
    expect(syncStateLost(new GraphError('x', 404, 'ErrorItemNotFound', false))).toBe(false);
    expect(syncStateLost(new Error('x'))).toBe(false);
  });

  it('keys blobs per mailbox and id, keeping ids apart and keys path-safe', () => {
    expect(graphAccount({ mailbox: 'Support@Northwind.example' })).toBe('graph:support@northwind.example');
    expect(graphRawKey('Support@Northwind.example', 'AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A_b=')).toBe('graph/support@northwind.example/AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A_b=.eml');
    expect(graphRawKey('support@northwind.example', 'a/b+c')).toBe('graph/support@northwind.example/a%2Fb%2Bc.eml');
    expect(graphRawKey('support@northwind.example', 'Ab')).not.toBe(graphRawKey('support@northwind.example', 'ab'));
  });

  it('shares one token source per graph block, so a poller that also sends holds one token; a test\'s own deps get their own', () => {
    const graph = graphSchema.parse({ app: { tenantId: 'northwind.onmicrosoft.com', clientId: '6731de76-14a6-49ae-97bc-6eba6914391e', clientSecret: 'x' }, mailbox: 'support@northwind.example', sendMail: true });
    expect(graphTokens(graph)).toBe(graphTokens(graph));
    expect(graphTokens(graph, { clock: () => new Date() })).not.toBe(graphTokens(graph));
    expect(graphTokens({ ...graph })).not.toBe(graphTokens(graph));
  });

  it('asks for the token of the cloud it talks to; a local stand-in plays the global service', () => {
    expect(graphScope('https://graph.microsoft.com')).toBe('https://graph.microsoft.com/.default');
    expect(graphScope('https://graph.microsoft.us')).toBe('https://graph.microsoft.us/.default');
    expect(graphScope('http://127.0.0.1:4567')).toBe('https://graph.microsoft.com/.default');
  });

  it('never sends the token to a link outside Graph, and never names the token', async () => {
    const asked: string[] = [];
    const client = new GraphClient({
      endpoint: 'https://graph.microsoft.com',
      mailbox: 'support@northwind.example',
      tokens,
      fetch: async (url) => {
        asked.push(String(url));
        return new Response(JSON.stringify({ error: { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' } }), { status: 403 });
      },
    });

    const foreign = await client.json('GET', 'https://attacker.example/v1.0/users/x/messages/delta?$deltatoken=1').catch((e: unknown) => e as Error);
    expect(foreign).toMatchObject({ code: 'ForeignLink', message: 'refusing to follow a link to https://attacker.example for mailbox support@northwind.example: only https://graph.microsoft.com gets the app\'s token' });
    expect(asked).toEqual([]);

    const denied = (await client.json('GET', '/mailFolders/inbox').catch((e: unknown) => e)) as Error;
    expect(denied.name).toBe('GraphAuthError');
    expect(denied.message).toBe(
      "Microsoft Graph answered GET /mailFolders/inbox for mailbox support@northwind.example with 403 ErrorAccessDenied (Access is denied. Check credentials and try again.) (check the app's Mail.ReadWrite permission and the mailbox's RBAC scope)",
    );
    expect(asked).toEqual(['https://graph.microsoft.com/v1.0/users/support%40northwind.example/mailFolders/inbox']);
    expect(`${denied.message} ${denied.stack}`).not.toContain(await tokens.token());
  });
});
