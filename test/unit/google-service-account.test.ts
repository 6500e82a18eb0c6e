/**
 * The service account's key file, checked field by field without ever echoing it, and the JWT
 * bearer assertion it signs (Google's claims, RS256, kid), verified with the public key.
 */
import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GMAIL_MODIFY_SCOPE, parseServiceAccountKey, ServiceAccountKeyError, signAssertion } from '../../src/oauth/google-service-account.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const keyFile = {
  type: 'service_account',
  project_id: 'northwind-helpdesk',
  private_key_id: '3f1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e',
  private_key: pem,
  client_email: 'ticketing-poller@northwind-helpdesk.iam.gserviceaccount.com',
  client_id: '104857600000000000042',
  auth_uri: 'https://accounts.google.com/o/oauth2/auth',
  token_uri: 'https://oauth2.googleapis.com/token',
  universe_domain: 'googleapis.com',
};
const keyBody = pem.split('\n')[1]!;

function rejection(text: string): Error {
  try {
    parseServiceAccountKey(text, 'key file /etc/ticketing/sa.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ServiceAccountKeyError);
    expect(`${(err as Error).message} ${(err as Error).stack}`).not.toContain(keyBody);
    return err as Error;
  }
  throw new Error('accepted');
}

describe('service account key file', () => {
  it('reads the key file Google Cloud downloads', () => {
    const key = parseServiceAccountKey(JSON.stringify(keyFile), 'key file sa.json');
    expect(key).toMatchObject({ clientEmail: keyFile.client_email, clientId: keyFile.client_id, keyId: keyFile.private_key_id });
  });

  it('names each missing or wrong field, and nothing of the key', () => {
    const { private_key_id: _, client_email: __, ...partial } = keyFile;
    expect(rejection(JSON.stringify(partial)).message).toBe(
      'key file /etc/ticketing/sa.json is not a usable service account key: private_key_id: missing; client_email: missing',
    );
    expect(rejection(JSON.stringify({ ...keyFile, type: 'authorized_user' })).message).toContain(
      'type: expected "service_account" (a key of a service account, not of an OAuth client)',
    );
    expect(rejection(JSON.stringify({ ...keyFile, private_key: pem.replace(keyBody, 'AAAA') })).message).toBe(
      'key file /etc/ticketing/sa.json: private_key is not a readable PEM private key (was the file edited or its line breaks lost?)',
    );
    // Not JSON at all (a PEM pasted alone): the text is not repeated.
    expect(rejection(pem).message).toBe(
      "key file /etc/ticketing/sa.json is not JSON: expected the service account's key file as Google Cloud downloads it (Keys → Add key → JSON)",
    );
  });
});

describe('JWT bearer assertion', () => {
  it('is RS256 with the key id, for the mailbox, the gmail.modify scope and the token endpoint, valid one hour', () => {
    const key = parseServiceAccountKey(JSON.stringify(keyFile), 'key file sa.json');
    const now = new Date('2026-11-23T08:00:00Z');

    const jwt = signAssertion(key, { subject: 'support@northwind.example', scope: GMAIL_MODIFY_SCOPE, audience: 'https://oauth2.googleapis.com/token', now });

    const [h, p, s] = jwt.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT', kid: keyFile.private_key_id });
    const iat = now.getTime() / 1000;
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toEqual({
      iss: keyFile.client_email,
      sub: 'support@northwind.example',
      scope: 'https://www.googleapis.com/auth/gmail.modify',
      aud: 'https://oauth2.googleapis.com/token',
      iat,
      exp: iat + 3600,
    });
    expect(verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))).toBe(true);
  });
});
