/**
 * A deployed stack, found by name (`ticketing … --stack NAME`): its table, mail bucket and
 * configuration, read from the stack's outputs with one CloudFormation DescribeStacks call.
 * The CDK app (infra/ticketing-stack.ts) writes them:
 *
 * - `TableName`, `MailBucketName`: the resources the Lambdas use.
 * - `TicketingConfig`: the same JSON the Lambdas get in TICKETING_CONFIG, so the CLI judges
 *   mail and runs jobs with the configuration the stack runs with.
 * - `WebUrl`: the web surface's address (the Lambdas' TICKETING_WEB_BASE_URL), for links in mail.
 *
 * The only permission this needs beyond the data's own is `cloudformation:DescribeStacks`.
 */
import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { parseConfig, type Config } from '../config.js';

export const STACK_OUTPUTS = { tableName: 'TableName', bucket: 'MailBucketName', config: 'TicketingConfig', webUrl: 'WebUrl' } as const;

export interface DeployedStack {
  stackName: string;
  region: string;
  tableName: string;
  bucket: string;
  /** The stack's own configuration (the TicketingConfig output); null when the stack has no such output. */
  config: Config | null;
  /** Where the stack's web surface answers (the WebUrl output), which links in its mail point at. */
  webUrl: string | null;
}

/** The stack cannot be read, or is not a ticketing stack: one line, the cause and what to do. */
export class StackOutputsError extends Error {
  override name = 'StackOutputsError';
}

export async function readDeployedStack(stackName: string, region: string | undefined): Promise<DeployedStack> {
  const client = new CloudFormationClient(region ? { region } : {});
  try {
    let resolvedRegion: string;
    try {
      resolvedRegion = await client.config.region();
    } catch (err) {
      throw new StackOutputsError('--stack needs a region: pass --region (e.g. --region eu-west-1) or set AWS_REGION', { cause: err });
    }
    let outputs: Output[];
    try {
      const out = await client.send(new DescribeStacksCommand({ StackName: stackName }));
      outputs = out.Stacks?.[0]?.Outputs ?? [];
    } catch (err) {
      throw new StackOutputsError(describeFailure(err as Error, stackName, resolvedRegion), { cause: err });
    }
    const value = (key: string) => outputs.find((o) => o.OutputKey === key)?.OutputValue;
    const tableName = value(STACK_OUTPUTS.tableName);
    const bucket = value(STACK_OUTPUTS.bucket);
    const missing = [!tableName && STACK_OUTPUTS.tableName, !bucket && STACK_OUTPUTS.bucket].filter(Boolean);
    if (missing.length) {
      throw new StackOutputsError(`stack ${stackName} in ${resolvedRegion} has no ${missing.join(' or ')} output: is it a ticketing stack (infra/ticketing-stack.ts), and did its deployment finish?`);
    }
    const configJson = value(STACK_OUTPUTS.config);
    return {
      stackName,
      region: resolvedRegion,
      tableName: tableName!,
      bucket: bucket!,
      config: configJson === undefined ? null : parseStackConfig(configJson, stackName),
      webUrl: value(STACK_OUTPUTS.webUrl)?.replace(/\/+$/, '') ?? null,
    };
  } finally {
    client.destroy();
  }
}

function parseStackConfig(json: string, stackName: string): Config {
  const source = `the ${STACK_OUTPUTS.config} output of stack ${stackName}`;
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch (err) {
    throw new StackOutputsError(`${source} is not valid JSON (${(err as Error).message}); redeploy the stack`, { cause: err });
  }
  return parseConfig(input, source);
}

function describeFailure(err: Error, stackName: string, region: string): string {
  const name = err.name;
  if (name === 'ValidationError' && /does not exist/i.test(err.message)) {
    return `no stack named ${stackName} in ${region}: check the name (cdk deploy prints it, e.g. Ticketing-prod) and --region`;
  }
  if (name === 'CredentialsProviderError' || /credential/i.test(err.message)) {
    return 'no AWS credentials found: set AWS_PROFILE (after aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || /not authorized/i.test(err.message)) {
    return `not allowed to read stack ${stackName}: the credentials need cloudformation:DescribeStacks (${err.message})`;
  }
  return `cannot read stack ${stackName} in ${region}: ${name}: ${err.message}`;
}
