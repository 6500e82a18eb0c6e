/**
 * A ticketing stack in moto's CloudFormation, for the CLI's `--stack NAME`: the table (the same
 * keys and indexes as src/aws/table.ts), the mail bucket and the events topic made by
 * CloudFormation, and the outputs the CLI reads (TableName, MailBucketName, TicketingConfig),
 * with the config joined from the resources' names as infra/ticketing-stack.ts builds it.
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { SESClient, VerifyDomainIdentityCommand } from '@aws-sdk/client-ses';
import { createTableInput } from '../../src/aws/table.js';
import type { Moto } from './moto.js';

export interface StackOptions {
  /** Config keys besides aws and events (which the stack sets from its resources). */
  config: Record<string, unknown>;
  /** Leave out the TicketingConfig output (a stack deployed before it existed). */
  withoutConfigOutput?: boolean;
}

export async function createTicketingStack(moto: Moto, stackName: string, options: StackOptions): Promise<void> {
  const aws = { region: moto.env.AWS_REGION!, endpoint: moto.endpoint, credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' } };
  const table = createTableInput('unused');
  const { aws: _aws, events: _events, ...rest } = options.config;
  // The config JSON with the three resource names spliced in, as CDK's toJsonString does with tokens.
  const marker = (name: string) => `@@${name}@@`;
  const json = JSON.stringify({ ...rest, events: { snsTopicArn: marker('TicketEvents') }, aws: { region: aws.region, tableName: marker('Table'), bucket: marker('MailBucket'), inboundPrefix: 'inbound/' } });
  const parts = json.split(/@@(\w+)@@/).map((part, i) => (i % 2 ? { Ref: part } : part));
  const template = {
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          BillingMode: table.BillingMode,
          AttributeDefinitions: table.AttributeDefinitions,
          KeySchema: table.KeySchema,
          GlobalSecondaryIndexes: table.GlobalSecondaryIndexes,
        },
      },
      MailBucket: { Type: 'AWS::S3::Bucket' },
      TicketEvents: { Type: 'AWS::SNS::Topic' },
    },
    Outputs: {
      TableName: { Value: { Ref: 'Table' } },
      MailBucketName: { Value: { Ref: 'MailBucket' } },
      TicketEventsTopicArn: { Value: { Ref: 'TicketEvents' } },
      ...(options.withoutConfigOutput ? {} : { TicketingConfig: { Value: { 'Fn::Join': ['', parts] } } }),
    },
  };
  const cfn = new CloudFormationClient(aws);
  const ses = new SESClient(aws);
  try {
    await cfn.send(new CreateStackCommand({ StackName: stackName, TemplateBody: JSON.stringify(template) }));
    // SES sends only from verified identities (moto checks the From domain).
    const domains = new Set(((rest.supportAddresses as string[] | undefined) ?? ['support@example.com']).map((a) => a.split('@')[1]!));
    for (const domain of domains) await ses.send(new VerifyDomainIdentityCommand({ Domain: domain }));
  } finally {
    cfn.destroy();
    ses.destroy();
  }
}
