/** The Graph app's token source, from config.graph.app: its secret inline or in Secrets Manager. */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AccessTokenSource } from '../oauth/access-token.js';
import { microsoftAppTokens } from '../oauth/microsoft-identity.js';
import type { Config } from '../config.js';
import { graphScope } from './client.js';

export interface GraphTokenDeps {
  /** For credentialsSecretArn; absent: one is made for the secret's region for each read. */
  secrets?: SecretsManagerClient;
  fetch?: typeof fetch;
  clock?: () => Date;
}

/**
 * With the defaults, one source per graph block: a process that polls and also sends through
 * Graph (graph.sendMail) reads the secret once and holds one token, not two.
 */
const shared = new WeakMap<NonNullable<Config['graph']>, AccessTokenSource>();

export function graphTokens(graph: NonNullable<Config['graph']>, deps: GraphTokenDeps = {}): AccessTokenSource {
  const defaults = !deps.secrets && !deps.fetch && !deps.clock;
  const known = defaults ? shared.get(graph) : undefined;
  if (known) return known;
  const source = microsoftAppTokens(graph.app, graphScope(graph.graphEndpoint), {
    clock: deps.clock ?? (() => new Date()),
    ...(deps.secrets ? { secrets: deps.secrets } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  if (defaults) shared.set(graph, source);
  return source;
}
