/**
 * TICKETING_CONFIG for the Lambdas: validated here with the same zod schema the Lambdas use
 * (src/config.ts), so a bad value fails `cdk synth`, not the first mail.
 *
 * We write the *input* (only what the deployment sets), not the fully defaulted result:
 * the defaulted config is ~12 KB of triage and missing-info rules, and Lambda allows 4 KB of
 * environment variables in total. The Lambda parses the same input with the same schema (it is
 * bundled from the same commit), so the defaults it fills in are the ones validated here.
 */
import { parseConfig, type Config } from '../src/config.js';
import type { TicketingSettings } from './context.js';

/** Lambda's limit on all environment variables of a function together, in bytes. */
export const LAMBDA_ENV_LIMIT = 4 * 1024;

// Stand-ins for the CloudFormation tokens while validating: the deploy-time values are
// generated names of the same shape (and the ARN regex in the schema cannot see a token).
const PLACEHOLDER = {
  tableName: 'Ticketing-prod-Table0123456789-ABCDEFGHIJKLM',
  bucket: 'ticketing-prod-mailbucket0123456789-abcdefghijkl',
  snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:Ticketing-prod-TicketEvents0123456789-ABCDEFGHIJKL',
  linkKeysSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:LinkKeys0123456789ABCDEF-abcdefghijkl-AbCdEf',
};

export interface ResourceNames {
  tableName: string;
  bucket: string;
  snsTopicArn: string | null;
  /** The stack's own link-key secret; unused when `extra` names one (web.linkKeysSecretArn). */
  linkKeysSecretArn: string;
}

/** The link-key secret the deployment names itself (ticketingConfig web.linkKeysSecretArn), if any. */
export function givenLinkKeysSecretArn(extra: Record<string, unknown> = {}): string | undefined {
  const web = extra.web as { linkKeysSecretArn?: unknown } | undefined;
  return typeof web?.linkKeysSecretArn === 'string' ? web.linkKeysSecretArn : undefined;
}

/** The config input object for one deployment; `extra` is the optional `ticketingConfig` context. */
export function lambdaConfigInput(settings: TicketingSettings, names: ResourceNames, extra: Record<string, unknown> = {}) {
  const { supportAddresses: _s, staffList: _l, staff: _t, aws: _a, events: _e, ...rest } = extra;
  for (const [key, value] of Object.entries({ supportAddresses: _s, staffList: _l, staff: _t, aws: _a, events: _e })) {
    if (value !== undefined) throw new Error(`context "ticketingConfig" must not set "${key}": the stack sets it from its own resources and context`);
  }
  // web.baseUrl is not here: the HTTP API's address is known only at deploy time, and reaches the
  // Lambdas as TICKETING_WEB_BASE_URL (src/config.ts loadConfigFromEnv).
  const web = (rest.web ?? {}) as Record<string, unknown>;
  return {
    ...rest,
    web: { ...web, linkKeysSecretArn: givenLinkKeysSecretArn(extra) ?? names.linkKeysSecretArn },
    supportAddresses: [settings.supportAddress],
    staff: { addresses: settings.staff.addresses, domains: settings.staff.domains },
    staffList: settings.staffList,
    events: { snsTopicArn: names.snsTopicArn },
    aws: { region: settings.region, tableName: names.tableName, bucket: names.bucket, inboundPrefix: 'inbound/' },
  };
}

/** Validates the input with placeholders for the tokens; throws the schema's message on error. */
export function validateLambdaConfig(settings: TicketingSettings, extra: Record<string, unknown> = {}): Config {
  const input = lambdaConfigInput(settings, PLACEHOLDER, extra);
  const config = parseConfig(input, 'the Lambda configuration built from CDK context');
  const size = JSON.stringify(input).length + 'TICKETING_CONFIG'.length + 200; // + the other variables
  if (size > LAMBDA_ENV_LIMIT) {
    throw new Error(`TICKETING_CONFIG would be about ${size} bytes; Lambda allows ${LAMBDA_ENV_LIMIT} bytes of environment in total. Trim "ticketingConfig".`);
  }
  return config;
}
