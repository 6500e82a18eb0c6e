/**
 * The string value of a Secrets Manager secret: the IMAP password, a Microsoft app's or Google
 * service account's credentials, the link keys. Each caller says what the secret is for; this
 * says which secret and what went wrong, never what it holds.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export class SecretReadError extends Error {
  override name = 'SecretReadError';
}

/** With no client given, one is made for the secret's region and destroyed after. */
export async function readSecretString(arn: string, client?: SecretsManagerClient): Promise<string> {
  const secrets = client ?? new SecretsManagerClient({ region: arn.split(':')[3] });
  let value: string | undefined;
  try {
    value = (await secrets.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } catch (err) {
    throw new SecretReadError(`the secret ${arn} cannot be read: ${(err as Error).message}`, { cause: err });
  } finally {
    if (!client) secrets.destroy();
  }
  if (!value) throw new SecretReadError(`the secret ${arn} has no string value`);
  return value;
}
