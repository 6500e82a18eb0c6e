/** The Graph app's token source, from config.graph.app: its secret inline or in Secrets Manager. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AccessTokenSource } from '../oauth/access-token.js';
import { microsoftAppTokens } from '../oauth/microsoft-identity.js';
import type { Config } from '../config.js';
import { graphScope } from './client.js';

export interface GraphTokenDeps {
  /** For credentialsSecretArn; one is made for the secret's region when absent. */
  secrets?: SecretsManagerClient;
  fetch?: typeof fetch;
  clock?: () => Date;
}

export function graphTokens(graph: NonNullable<Config['graph']>, deps: GraphTokenDeps = {}): AccessTokenSource {
  const arn = graph.app.credentialsSecretArn;
  const secrets = deps.secrets ?? (arn ? new SecretsManagerClient({ region: arn.split(':')[3] }) : undefined);
  return microsoftAppTokens(graph.app, graphScope(graph.graphEndpoint), {
    clock: deps.clock ?? (() => new Date()),
    ...(secrets ? { secrets } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}
