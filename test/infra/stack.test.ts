/**
 * The CDK stack, asserted on its CloudFormation template. Bundling is skipped
 * (`aws:cdk:bundling-stacks: []`); test/infra/bundle.test.ts bundles for real once.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_KEYS } from '../../src/aws/table.js';
import { parseConfig } from '../../src/config.js';
import { ContextError, readSettings, type TicketingSettings } from '../../infra/context.js';
import { FEATURE_FLAGS } from '../../infra/flags.js';
import { TicketingStack } from '../../infra/ticketing-stack.js';

const BASE = { domain: 'northwind.example', supportAddress: 'support@northwind.example', staffList: 'it-team@northwind.example' };

function synth(overrides: Partial<TicketingSettings> = {}, context: Record<string, unknown> = {}, ticketingConfig?: Record<string, unknown>) {
  const app = new App({ context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [], ...context } });
  const settings = readSettings(app.node, { ...BASE, ...overrides });
  const stack = new TicketingStack(app, `Ticketing-${settings.stage}`, { settings, env: { region: settings.region }, ...(ticketingConfig ? { ticketingConfig } : {}) });
  return { stack, template: Template.fromStack(stack) };
}

/** Evaluates the Fn::Join/Ref/GetAtt of an environment value into a plain string with named stand-ins. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (v.Ref) return `REF:${String(v.Ref)}`;
  if (v['Fn::GetAtt']) return `ATT:${(v['Fn::GetAtt'] as string[]).join('.')}`;
  if (v['Fn::Join']) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(sep);
  }
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

function functionBy(template: Template, memorySize: number) {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { MemorySize: memorySize, Handler: 'index.handler' } });
  const entries = Object.entries(fns);
  expect(entries).toHaveLength(1);
  const [id, fn] = entries[0]!;
  return { id, props: fn.Properties as Record<string, any> };
}

function logicalId(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, props));
  expect(ids, type).toHaveLength(1);
  return ids[0]!;
}

describe('TicketingStack (dev)', () => {
  let template: Template;
  let inbound: ReturnType<typeof functionBy>;
  let stale: ReturnType<typeof functionBy>;
  let bucketId: string;
  let ruleArnParts: string;
  beforeAll(() => {
    ({ template } = synth());
    inbound = functionBy(template, 1024);
    stale = functionBy(template, 512);
    bucketId = logicalId(template, 'AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } });
    ruleArnParts = 'arn:aws:ses:eu-west-1:REF:AWS::AccountId:receipt-rule-set/Ticketing-dev-inbound:receipt-rule/Ticketing-dev-support';
  });

  it('receives for the whole domain (plus-addressed replies), scans, requires TLS, stores to S3 then invokes the Lambda async', () => {
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'Ticketing-dev-inbound' });
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: {
        Name: 'Ticketing-dev-support',
        Enabled: true,
        Recipients: ['northwind.example'],
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Actions: [
          { S3Action: { BucketName: { Ref: bucketId }, ObjectKeyPrefix: 'inbound/' } },
          { LambdaAction: { FunctionArn: { 'Fn::GetAtt': [inbound.id, 'Arn'] }, InvocationType: 'Event' } },
        ],
      },
    });
    // SES checks the bucket policy and the invoke permission when the rule is created.
    const rule = Object.values(template.findResources('AWS::SES::ReceiptRule'))[0]!;
    expect(rule.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^MailBucketPolicy/), expect.stringMatching(/AllowSesInvoke/)]));
  });

  it('lets SES put only under inbound/, only from this account and this rule', () => {
    const policies = template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } });
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    const ses = statements.filter((s) => s.Principal?.Service === 'ses.amazonaws.com');
    expect(ses).toHaveLength(1);
    expect(ses[0].Action).toBe('s3:PutObject');
    expect(flatten(ses[0].Resource)).toBe(`ATT:${bucketId}.Arn/inbound/*`);
    expect(ses[0].Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(flatten(ses[0].Condition.StringEquals['aws:SourceArn'])).toBe(ruleArnParts);
    // and TLS only
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it('lets only this rule invoke the inbound Lambda', () => {
    const perms = Object.values(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'ses.amazonaws.com' } }));
    expect(perms).toHaveLength(1);
    const p = perms[0]!.Properties;
    expect(p.FunctionName).toEqual({ 'Fn::GetAtt': [inbound.id, 'Arn'] });
    expect(p.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
    expect(flatten(p.SourceArn)).toBe(ruleArnParts);
  });

  it('activates the rule set on create/update and deactivates it on delete', () => {
    const [cr] = Object.values(template.findResources('Custom::AWS'));
    const create = JSON.parse(cr!.Properties.Create);
    const update = JSON.parse(cr!.Properties.Update);
    const del = JSON.parse(cr!.Properties.Delete);
    expect(create).toMatchObject({ service: 'SES', action: 'setActiveReceiptRuleSet', parameters: { RuleSetName: 'Ticketing-dev-inbound' } });
    expect(update).toEqual(create);
    expect(del).toMatchObject({ service: 'SES', action: 'setActiveReceiptRuleSet', parameters: {} });
    expect(cr!.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^SupportRule/)]));
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'ses:SetActiveReceiptRuleSet', Effect: 'Allow', Resource: '*' }] },
    });
  });

  it('keeps raw mail encrypted, private, TLS-only, logged, to IA after 30 days and gone after 90 in dev', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'mail-bucket/' },
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ Status: 'Enabled', ExpirationInDays: 90, Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }] })],
      },
    });
    template.hasResource('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() }, DeletionPolicy: 'Delete' });
  });

  it('declares the table from src/aws/table.ts: keys, both GSIs, TTL, PITR, on-demand', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_KEYS.pk, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sk, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttl, Enabled: true },
      GlobalSecondaryIndexes: [TABLE_KEYS.byRequester, TABLE_KEYS.openByActivity].map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.pk, KeyType: 'HASH' },
          { AttributeName: i.sk, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      AttributeDefinitions: Match.arrayWith([{ AttributeName: 'gsi1pk', AttributeType: 'S' }, { AttributeName: 'gsi2sk', AttributeType: 'S' }]),
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });

  it('runs both functions on Node 22 arm64 with the sizes and limits they need', () => {
    expect(inbound.props).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 1024, Timeout: 60, ReservedConcurrentExecutions: 10 });
    expect(stale.props).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 512, Timeout: 300 });
    expect(stale.props.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('gives both functions a TICKETING_CONFIG that the Lambdas\' own schema accepts', () => {
    const tableId = logicalId(template, 'AWS::DynamoDB::Table');
    const topicId = logicalId(template, 'AWS::SNS::Topic', { Properties: { DisplayName: 'Ticket events' } });
    for (const fn of [inbound, stale]) {
      const raw = JSON.parse(flatten(fn.props.Environment.Variables.TICKETING_CONFIG));
      expect(raw).toEqual({
        supportAddresses: ['support@northwind.example'],
        staffList: 'it-team@northwind.example',
        events: { snsTopicArn: `REF:${topicId}` },
        aws: { region: 'eu-west-1', tableName: `REF:${tableId}`, bucket: `REF:${bucketId}`, inboundPrefix: 'inbound/' },
      });
      const config = parseConfig({ ...raw, events: { snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:events' } });
      expect(config.supportAddresses).toEqual(['support@northwind.example']);
    }
  });

  it('retries async invokes twice, then parks them in the encrypted, TLS-only DLQ', () => {
    const queueId = logicalId(template, 'AWS::SQS::Queue');
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    for (const fn of [inbound, stale]) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fn.id },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
    }
  });

  it('schedules the stale job daily at 08:00 Europe/Amsterdam with a Scheduled Event payload', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Amsterdam',
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [stale.id, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 7200 } }),
    });
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule', { Properties: { ScheduleExpression: 'cron(0 8 * * ? *)' } }));
    // What src/aws/stale-handler.ts validates, with the scheduled time as the job's clock.
    expect(JSON.parse(schedule!.Properties.Target.Input)).toEqual({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '<aws.scheduler.scheduled-time>',
      resources: ['<aws.scheduler.schedule-arn>'],
    });
  });

  it('sweeps unfinished effect plans every 10 minutes through the stale function', () => {
    const sweeps = Object.values(template.findResources('AWS::Scheduler::Schedule', { Properties: { ScheduleExpression: 'rate(10 minutes)' } }));
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0]!.Properties.Target.Arn).toEqual({ 'Fn::GetAtt': [stale.id, 'Arn'] });
    expect(JSON.parse(sweeps[0]!.Properties.Target.Input)).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: { job: 'sweep' } });
  });

  it('verifies the domain for sending with Easy DKIM and lets the functions send only as the support address', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'northwind.example', DkimAttributes: Match.absent() });
    const identityId = logicalId(template, 'AWS::SES::EmailIdentity');
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const send = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as any[]).filter((s) => [s.Action].flat().includes('ses:SendRawEmail'));
    expect(send).toHaveLength(2); // inbound and stale
    for (const s of send) {
      expect(s.Action).toBe('ses:SendRawEmail');
      // The From address, or the per-mail return path (support+b-<token>@) bounces come back to.
      expect(s.Condition).toEqual({ StringLike: { 'ses:FromAddress': ['support@northwind.example', 'support+b-*@northwind.example'] } });
      expect(flatten(s.Resource)).toBe(`arn:aws:ses:eu-west-1:REF:AWS::AccountId:identity/REF:${identityId}`); // Ref = the domain
    }
  });

  it('grants data access without wildcard actions', () => {
    const roleIds = [inbound.props.Role['Fn::GetAtt'][0], stale.props.Role['Fn::GetAtt'][0]];
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as any[]).some((r) => roleIds.includes(r.Ref)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query', 's3:GetObject', 's3:PutObject', 'sns:Publish']));
    expect(actions.filter((a) => a.includes('*') && a !== 'kms:GenerateDataKey*')).toEqual([]);
    expect(actions.some((a) => a.startsWith('s3:Delete'))).toBe(false);
  });

  it('dev alarms on the DLQ and on quarantined mail, to the encrypted alarm topic', () => {
    const topicId = logicalId(template, 'AWS::SNS::Topic', { Properties: { DisplayName: 'Ticketing alarms' } });
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'Ticketing alarms', KmsMasterKeyId: Match.anyValue() });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Ticketing',
      MetricName: 'Quarantined',
      Dimensions: [{ Name: 'service', Value: 'ticketing-inbound' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('TicketingStack (prod)', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synth({ stage: 'prod', alarmEmail: 'oncall@northwind.example', scheduleHour: 6, timeZone: 'America/New_York' }));
  });

  it('retains data, keeps mail 730 days and protects the table', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtectionEnabled: true }) });
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 730 })] } }),
    });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('alarms on function errors too, and mails the alarm address', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    const errors = template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1 } });
    expect(Object.keys(errors)).toHaveLength(2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@northwind.example' });
  });

  it('uses the schedule hour and time zone from context', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 6 * * ? *)', ScheduleExpressionTimezone: 'America/New_York' });
  });
});

describe('context', () => {
  const node = (ctx: Record<string, unknown>) => ({ tryGetContext: (k: string) => ctx[k] });

  it('reads strings from -c and applies defaults', () => {
    const s = readSettings(node({ ...BASE, scheduleHour: '7' }));
    expect(s).toMatchObject({ stage: 'dev', scheduleHour: 7, timeZone: 'Europe/Amsterdam', region: 'eu-west-1', inboundConcurrency: 10 });
  });

  it.each([
    [{ domain: undefined }, /"domain" is required/],
    [{ supportAddress: 'support@elsewhere.example' }, /not in the domain/],
    [{ supportAddress: 'support+x@northwind.example' }, /plus-addressed/],
    [{ stage: 'test' }, /dev or prod/],
    [{ scheduleHour: '24' }, /0-23/],
    [{ timeZone: 'Mars/Olympus' }, /IANA/],
    [{ alarmEmail: 'nope' }, /alarmEmail/],
  ])('rejects %o', (patch, message) => {
    expect(() => readSettings(node({ ...BASE, ...patch }))).toThrow(ContextError);
    expect(() => readSettings(node({ ...BASE, ...patch }))).toThrow(message);
  });

  it('fails synth on a ticketingConfig the Lambdas would reject', () => {
    const app = new App({ context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] } });
    const settings = readSettings(app.node, BASE);
    expect(() => new TicketingStack(app, 'Bad', { settings, ticketingConfig: { ticketPrefix: 'lowercase' } })).toThrow(/ticketPrefix/);
  });

  it('can turn the inbound reservation off (accounts with a concurrency quota of 10)', () => {
    const { template } = synth({ inboundConcurrency: 0 });
    const fns = template.findResources('AWS::Lambda::Function', { Properties: { MemorySize: 1024 } });
    expect(Object.values(fns)[0]!.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe('TicketingStack with an IMAP mailbox', () => {
  const secret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:imap-support-AbCdEf';
  it('adds no poller without an imap block', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::Lambda::Function', 4);
    expect(Object.keys(template.findResources('AWS::Scheduler::Schedule'))).toHaveLength(2); // the stale job and the sweep
  });

  it('adds the poller: every minute, one at a time, allowed to read its password secret', () => {
    const { template } = synth({}, {}, { imap: { host: 'outlook.office365.com', user: 'support@northwind.example', passwordSecretArn: secret } });
    const fns = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('IMAP') } });
    const [, poller] = Object.entries(fns)[0]!;
    expect(poller.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 300, ReservedConcurrentExecutions: 1 });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 minute)' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ReadImapPassword', Action: 'secretsmanager:GetSecretValue', Resource: secret })]) },
    });
  });
});
