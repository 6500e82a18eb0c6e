/** The mailbox blocks of the config: Graph, Gmail and IMAP with an app's token (src/mailbox-config.ts). */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

const app = { tenantId: 'northwind.onmicrosoft.com', clientId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', credentialsSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:graph-app-AbCdEf' };

describe('graph', () => {
  it('defaults what a Microsoft 365 mailbox needs: inbox, a Processed folder, Graph and Entra ID endpoints, M365\'s authserv-id ""', () => {
    const { graph } = parseConfig({ graph: { app, mailbox: 'Support@Northwind.example' } });
    expect(graph).toEqual({
      app: { ...app, loginEndpoint: 'https://login.microsoftonline.com' },
      mailbox: 'support@northwind.example',
      folder: 'inbox',
      processedFolder: 'Processed',
      batchSize: 50,
      sendMail: false,
      authservId: '',
      graphEndpoint: 'https://graph.microsoft.com',
    });
  });

  it('takes exactly one credential, and plain http only to 127.0.0.1', () => {
    const both = { ...app, clientSecret: 'abc~1' };
    const { credentialsSecretArn: _, ...none } = app;
    expect(() => parseConfig({ graph: { app: both, mailbox: 'support@northwind.example' } })).toThrow(/graph\.app: give exactly one of credentialsSecretArn or clientSecret/);
    expect(() => parseConfig({ graph: { app: none, mailbox: 'support@northwind.example' } })).toThrow(/graph\.app: give exactly one of credentialsSecretArn or clientSecret/);
    expect(() => parseConfig({ graph: { app, mailbox: 'support@northwind.example', graphEndpoint: 'http://graph.example' } })).toThrow(/graph\.graphEndpoint: expected an https URL \(plain http only to 127\.0\.0\.1\)/);
    expect(parseConfig({ graph: { app, mailbox: 'support@northwind.example', graphEndpoint: 'http://127.0.0.1:8123/' } }).graph!.graphEndpoint).toBe('http://127.0.0.1:8123');
  });

  it('names a tenant or client id that is not one', () => {
    expect(() => parseConfig({ graph: { app: { ...app, clientId: 'support-app' }, mailbox: 'support@northwind.example' } })).toThrow(/graph\.app\.clientId: expected the application \(client\) id, a GUID/);
    expect(() => parseConfig({ graph: { app: { ...app, tenantId: 'northwind' }, mailbox: 'support@northwind.example' } })).toThrow(/graph\.app\.tenantId: expected the tenant GUID or its domain/);
    expect(() => parseConfig({ graph: { app, mailbox: 'support@northwind.example', folder: 'Inbox', processed: 'Done' } })).toThrow(ConfigError);
  });
});

describe('gmail', () => {
  it('defaults the INBOX label, a Processed label, Google\'s endpoints and Gmail\'s authserv-id', () => {
    const { gmail } = parseConfig({ gmail: { mailbox: 'helpdesk@northwind.example', serviceAccountKeyFile: 'key.json' } });
    expect(gmail).toMatchObject({ label: 'INBOX', processedLabel: 'Processed', authservId: 'mx.google.com', tokenEndpoint: 'https://oauth2.googleapis.com/token', gmailEndpoint: 'https://gmail.googleapis.com' });
  });

  it('takes the key from exactly one place', () => {
    expect(() => parseConfig({ gmail: { mailbox: 'helpdesk@northwind.example' } })).toThrow(/gmail: give exactly one of serviceAccountSecretArn or serviceAccountKeyFile/);
  });
});

describe('imap.oauth2', () => {
  it('is a fourth way to log in, exclusive with the others', () => {
    const imap = { host: 'outlook.office365.com', user: 'support@northwind.example' };
    expect(parseConfig({ imap: { ...imap, oauth2: app } }).imap!.oauth2).toMatchObject({ tenantId: 'northwind.onmicrosoft.com' });
    expect(() => parseConfig({ imap: { ...imap, oauth2: app, password: 'x' } })).toThrow(/imap: give exactly one of password, passwordSecretArn, accessToken or oauth2/);
  });
});
