/**
 * The CDK stack, asserted on its CloudFormation template. Bundling is skipped
 * (`aws:cdk:bundling-stacks: []`); test/infra/bundle.test.ts bundles for real once.
 */
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_KEYS } from '../../src/aws/table.js';
import { loadConfigFromEnv, parseConfig } from '../../src/config.js';
import { ContextError, readSettings, skippedScheduleDays } from '../../infra/context.js';
import { FEATURE_FLAGS } from '../../infra/flags.js';
import { secretGrantArns, TicketingStack } from '../../infra/ticketing-stack.js';
import { flatten, NORTHWIND_SETTINGS, synthStack } from '../support/synth-stack.js';

const BASE = NORTHWIND_SETTINGS;
const synth = synthStack;

/** The one function of that memory size (and, where two share it, whose description starts so). */
function functionBy(template: Template, memorySize: number, description?: string) {
  const fns = template.findResources('AWS::Lambda::Function', {
    Properties: { MemorySize: memorySize, Handler: 'index.handler', ...(description ? { Description: Match.stringLikeRegexp(`^${description}`) } : {}) },
  });
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
  let http: ReturnType<typeof functionBy>;
  let stale: ReturnType<typeof functionBy>;
  let bucketId: string;
  let ruleArnParts: string;
  beforeAll(() => {
    ({ template } = synth());
    inbound = functionBy(template, 1024, 'Parses received mail');
    http = functionBy(template, 1024, 'The web surface');
    stale = functionBy(template, 512);
    bucketId = logicalId(template, 'AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } });
    ruleArnParts = 'arn:aws:ses:eu-west-1:REF:AWS::AccountId:receipt-rule-set/Ticketing-dev-inbound:receipt-rule/Ticketing-dev-support';
  });

  it('receives only for the support address (SES matches its +label forms too), scans, requires TLS, stores to S3 then invokes the Lambda async', () => {
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'Ticketing-dev-inbound' });
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: {
        Name: 'Ticketing-dev-support',
        Enabled: true,
        // support+tkt-42@ (replies) and support+b-<token>@ (bounces) are +label forms of it.
        Recipients: ['support@northwind.example'],
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

  it('activates the rule set through our own provider (check first, re-apply on update), after the rule exists', () => {
    template.resourceCountIs('Custom::AWS', 0); // no AwsCustomResource: it cannot look before it switches
    const provider = functionBy(template, 256);
    expect(provider.props).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 60 });
    const [id, active] = Object.entries(template.findResources('Custom::ActiveReceiptRuleSet'))[0]!;
    expect(active.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [provider.id, 'Arn'] },
      ServiceTimeout: '300',
      Mode: 'activate',
      RuleSetName: 'Ticketing-dev-inbound',
      ReplaceActive: '',
      // Part of the resource's properties: a change to the rule is an update, which activates again.
      RuleName: 'Ticketing-dev-support',
      Recipients: ['support@northwind.example'],
    });
    expect(active.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^SupportRule/)]));
    expect(id).toMatch(/^ActivateRuleSet/);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Sid: 'SwitchActiveReceiptRuleSet', Action: ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'], Effect: 'Allow', Resource: '*' }] },
      Roles: [{ Ref: provider.props.Role['Fn::GetAtt'][0] }],
    });
  });

  it('refuses a second stage before creating anything that a failed deploy would leave behind', () => {
    const [guardId, guard] = Object.entries(template.findResources('Custom::ReceiptRuleSetGuard'))[0]!;
    expect(guard.Properties).toMatchObject({ Mode: 'guard', RuleSetName: 'Ticketing-dev-inbound', ReplaceActive: '' });
    expect(guard.DependsOn ?? []).toEqual([]);
    for (const type of ['AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::SES::EmailIdentity', 'AWS::SecretsManager::Secret']) {
      for (const [id, r] of Object.entries(template.findResources(type))) expect(r.DependsOn, id).toContain(guardId);
    }
  });

  it('names what must be unique in an account and region after the stack, so after the stage', () => {
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'Ticketing-dev-inbound' });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName as string);
    expect(alarms.length).toBeGreaterThan(0);
    for (const name of alarms) expect(name).toMatch(/^Ticketing-dev-/);
    for (const fn of [inbound, http, stale]) expect(fn.props.Environment.Variables.TICKETING_STAGE).toBe('dev');
  });

  it('keeps raw mail encrypted, private, TLS-only, logged, to IA after 30 days and gone after 90 in dev', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'mail-bucket/' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith(
          ['inbound/', 'imap/', 'graph/', 'gmail/'].map((prefix) =>
            Match.objectLike({ Prefix: prefix, Status: 'Enabled', ExpirationInDays: 90, Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }] }),
          ),
        ),
      },
    });
    template.hasResource('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() }, DeletionPolicy: 'Delete' });
  });

  it('expires only raw mail: attachments/ and text/ live as long as their tickets', () => {
    const rules = template.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } })[bucketId]!.Properties.LifecycleConfiguration.Rules as Array<Record<string, unknown>>;
    const expiring = rules.filter((r) => r.ExpirationInDays !== undefined || r.Transitions !== undefined);
    expect(expiring.map((r) => r.Prefix).sort()).toEqual(['gmail/', 'graph/', 'imap/', 'inbound/']);
    for (const key of ['attachments/inbound/abc/0-log.txt', 'text/inbound/abc.txt']) {
      expect(expiring.filter((r) => key.startsWith(String(r.Prefix)))).toEqual([]);
    }
    expect(rules).toContainEqual(expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }));
  });

  it('declares the table from src/aws/table.ts: keys, its three GSIs, TTL, PITR, on-demand', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_KEYS.pk, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sk, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true }, // the AWS managed KMS key
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttl, Enabled: true },
      GlobalSecondaryIndexes: [TABLE_KEYS.byRequester, TABLE_KEYS.openByActivity, TABLE_KEYS.byActivity].map((i) => ({
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

  it('gives the functions a TICKETING_CONFIG that the Lambdas\' own schema accepts', () => {
    const tableId = logicalId(template, 'AWS::DynamoDB::Table');
    const topicId = logicalId(template, 'AWS::SNS::Topic', { Properties: { DisplayName: 'Ticket events' } });
    const secretId = logicalId(template, 'AWS::SecretsManager::Secret');
    for (const fn of [inbound, http, stale]) {
      const raw = JSON.parse(flatten(fn.props.Environment.Variables.TICKETING_CONFIG));
      expect(raw).toEqual({
        web: { linkKeysSecretArn: `REF:${secretId}` },
        supportAddresses: ['support@northwind.example'],
        staff: { addresses: ['alex.kim@northwind.example'], domains: ['it.northwind.example'] },
        staffList: 'it-team@northwind.example',
        events: { snsTopicArn: `REF:${topicId}` },
        aws: { region: 'eu-west-1', tableName: `REF:${tableId}`, bucket: `REF:${bucketId}`, inboundPrefix: 'inbound/' },
      });
      const config = parseConfig({
        ...raw,
        events: { snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:events' },
        web: { linkKeysSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:Ticketing-dev-LinkKeys-AbCdEf' },
      });
      expect(config.supportAddresses).toEqual(['support@northwind.example']);
      expect(config.staff).toEqual({ addresses: ['alex.kim@northwind.example'], domains: ['it.northwind.example'] });
    }
  });

  it('gives the CLI the same config as a stack output (ticketing --stack reads it)', () => {
    const outputs = template.findOutputs('TicketingConfig');
    expect(flatten(Object.values(outputs)[0]!.Value)).toBe(flatten(inbound.props.Environment.Variables.TICKETING_CONFIG));
    for (const name of ['TableName', 'MailBucketName']) expect(Object.keys(template.findOutputs(name))).toHaveLength(1);
  });

  it('refuses an inline IMAP password or token: a deployed config is readable, the password belongs in Secrets Manager', () => {
    const app = { tenantId: 'northwind.onmicrosoft.com', clientId: '00000000-0000-4000-8000-000000000001', clientSecret: 'abc~secret' };
    for (const inline of [{ password: 'hunter2' }, { accessToken: 'ya29.token' }, { oauth2: app }]) {
      expect(() => synth({}, {}, { imap: { host: 'outlook.office365.com', user: 'support@northwind.example', ...inline } })).toThrow(/imap\.passwordSecretArn.*never inline/);
    }
    expect(() => synth({}, {}, { graph: { app, mailbox: 'support@northwind.example' } })).toThrow(/graph\.app\.credentialsSecretArn\), never inline/);
    expect(() => synth({}, {}, { gmail: { mailbox: 'support@northwind.example', serviceAccountKeyFile: 'key.json' } })).toThrow(/gmail\.serviceAccountSecretArn\), never from a file/);
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
    expect(send).toHaveLength(3); // inbound, HTTP and stale
    for (const s of send) {
      expect(s.Action).toBe('ses:SendRawEmail');
      // The From address, or the per-mail return path (support+b-<token>@) bounces come back to.
      expect(s.Condition).toEqual({ StringLike: { 'ses:FromAddress': ['support@northwind.example', 'support+b-*@northwind.example'] } });
      expect(flatten(s.Resource)).toBe(`arn:aws:ses:eu-west-1:REF:AWS::AccountId:identity/REF:${identityId}`); // Ref = the domain
    }
  });

  it('grants data access without wildcard actions', () => {
    const roleIds = [inbound, http, stale].map((fn) => fn.props.Role['Fn::GetAtt'][0]);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as any[]).some((r) => roleIds.includes(r.Ref)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query', 's3:GetObject', 's3:PutObject', 'sns:Publish']));
    expect(actions.filter((a) => a.includes('*') && a !== 'kms:GenerateDataKey*')).toEqual([]);
    expect(actions.some((a) => a.startsWith('s3:Delete'))).toBe(false);
  });

  it('dev alarms on new failed invocations, quarantined mail and mail that did not go out, to the encrypted alarm topic', () => {
    const topicId = logicalId(template, 'AWS::SNS::Topic', { Properties: { DisplayName: 'Ticketing alarms (dev)' } });
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'Ticketing alarms (dev)', KmsMasterKeyId: Match.anyValue() });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    // Messages *arriving* per 5 minutes: back to OK after a quiet period, so the next failure notifies again.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Ticketing-dev-FailedInvocations',
      Namespace: 'AWS/SQS',
      MetricName: 'NumberOfMessagesSent',
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Ticketing-dev-Quarantined',
      Namespace: 'Ticketing',
      MetricName: 'Quarantined',
      // The stage dimension: dev's quarantines never page prod's alarm, nor the other way round.
      Dimensions: [{ Name: 'service', Value: 'ticketing-inbound' }, { Name: 'stage', Value: 'dev' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
    const [notSent] = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: 'Ticketing-dev-MailNotSent' } }));
    expect(notSent!.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching', AlarmActions: [{ Ref: topicId }] });
    const metrics = (notSent!.Properties.Metrics as any[]).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric);
    expect(metrics).toEqual([
      { Namespace: 'Ticketing', MetricName: 'MailNotSent', Dimensions: [{ Name: 'service', Value: 'ticketing-inbound' }, { Name: 'stage', Value: 'dev' }] },
      { Namespace: 'Ticketing', MetricName: 'MailNotSent', Dimensions: [{ Name: 'service', Value: 'ticketing-stale' }, { Name: 'stage', Value: 'dev' }] },
    ]);
    expect((notSent!.Properties.Metrics as any[]).find((m) => m.Expression)).toMatchObject({ Expression: 'FILL(m0, 0) + FILL(m1, 0)', ReturnData: true });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('lets CloudWatch publish our alarms to the alarm topic (and use its key), keeping the TLS deny', () => {
    const topicId = logicalId(template, 'AWS::SNS::Topic', { Properties: { DisplayName: 'Ticketing alarms (dev)' } });
    const [policy] = Object.values(template.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [{ Ref: topicId }] } }));
    const statements = policy!.Properties.PolicyDocument.Statement as any[];
    const ourAlarms = 'arn:aws:cloudwatch:eu-west-1:REF:AWS::AccountId:alarm:Ticketing-dev-*';
    const allow = statements.find((s) => s.Effect === 'Allow');
    expect(allow).toMatchObject({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: topicId } });
    expect(allow.Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(flatten(allow.Condition.ArnLike['aws:SourceArn'])).toBe(ourAlarms);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));

    const key = Object.values(template.findResources('AWS::KMS::Key'))[0]!.Properties.KeyPolicy.Statement as any[];
    const keyAllow = key.find((s) => s.Sid === 'AllowCloudWatchAlarmsToPublish');
    expect(keyAllow).toMatchObject({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] });
    expect(flatten(keyAllow.Condition.ArnLike['aws:SourceArn'])).toBe(ourAlarms);
    // Grants only for AWS services acting for AWS resources (Control Tower CT.KMS.PR.3).
    expect(key).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'kms:CreateGrant',
        Principal: { AWS: '*' },
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
  });

  it('gives every function, the providers included, a log group that expires', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    const fns = Object.entries(template.findResources('AWS::Lambda::Function'));
    expect(fns.length).toBe(5); // inbound, HTTP, stale, the rule-set provider, the dev buckets' auto-delete provider
    for (const [id, fn] of fns) {
      const ref = fn.Properties.LoggingConfig?.LogGroup?.Ref as string | undefined;
      expect(ref, id).toBeDefined();
      expect(groups[ref!]?.Properties.RetentionInDays, id).toBe(30);
    }
  });

  it('warns at synth when the schedule hour is skipped once a year by daylight saving time', () => {
    const { stack } = synth({ scheduleHour: 2 });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('scheduleHour 2:00 does not exist in Europe/Amsterdam on \\d{4}-03-\\d{2}'));
    Annotations.fromStack(synth().stack).hasNoWarning('*', Match.stringLikeRegexp('does not exist'));
    expect(skippedScheduleDays('Europe/Amsterdam', 2, 2026)).toEqual(['2026-03-29']);
    expect(skippedScheduleDays('America/New_York', 2, 2026)).toEqual(['2026-03-08']);
    expect(skippedScheduleDays('Australia/Lord_Howe', 2, 2026)).toEqual(['2026-10-04']); // a 30-minute shift
    expect(skippedScheduleDays('Europe/Amsterdam', 3, 2026)).toEqual([]);
    expect(skippedScheduleDays('Asia/Tokyo', 2, 2026)).toEqual([]);
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
      Properties: Match.objectLike({
        LifecycleConfiguration: { Rules: Match.arrayWith(['inbound/', 'imap/'].map((Prefix) => Match.objectLike({ Prefix, ExpirationInDays: 730 }))) },
      }),
    });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    // The link keys too: a deleted prod stack must not break the links in mail already sent.
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });
  });

  it('publishes and alarms apart from dev in the same account and region', () => {
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'Ticketing-prod-inbound' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Ticketing-prod-Quarantined',
      Dimensions: [{ Name: 'service', Value: 'ticketing-inbound' }, { Name: 'stage', Value: 'prod' }],
    });
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { TICKETING_CONFIG: Match.anyValue() } } } }))) {
      expect(fn.Properties.Environment.Variables.TICKETING_STAGE).toBe('prod');
    }
    for (const a of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) expect(a.Properties.AlarmName).toMatch(/^Ticketing-prod-/);
    template.hasResourceProperties('Custom::ActiveReceiptRuleSet', { RuleSetName: 'Ticketing-prod-inbound' });
  });

  it('keeps function logs a year and drops the rule-set provider\'s logs with a refused or deleted stack', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    const groups = template.findResources('AWS::Logs::LogGroup');
    for (const [id, fn] of Object.entries(fns)) expect(groups[fn.Properties.LoggingConfig.LogGroup.Ref]!.Properties.RetentionInDays, id).toBe(365);
    const provider = functionBy(template, 256);
    const logs = template.toJSON().Resources[provider.props.LoggingConfig.LogGroup.Ref];
    expect(logs.DeletionPolicy).toBe('Delete');
  });

  it('alarms on function errors and the web surface\'s server errors too, and mails the alarm address', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    const errors = template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1 } });
    expect(Object.keys(errors)).toHaveLength(2);
    const apiId = logicalId(template, 'AWS::ApiGatewayV2::Api');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Ticketing-prod-WebServerErrors',
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: apiId } }, { Name: 'Stage', Value: '$default' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
    });
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
    expect(s).toMatchObject({ stage: 'dev', scheduleHour: 7, timeZone: 'Europe/Amsterdam', region: 'eu-west-1', inboundConcurrency: 10, webThrottleRate: 20, webThrottleBurst: 50 });
    expect(s.webDomain).toBeUndefined();
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

  it('requires the staff addresses and domains, an entry with @ being an address', () => {
    const real = { domain: 'help.northwind.com', supportAddress: 'support@help.northwind.com', staffList: 'it-team@northwind.com' };
    const s = readSettings(node({ ...real, staff: ' Alex.Kim@Northwind.com, it.northwind.com,alex.kim@northwind.com ' }));
    expect(s.staff).toEqual({ addresses: ['alex.kim@northwind.com'], domains: ['it.northwind.com'] });
    expect(readSettings(node({ ...real, staff: ['it.northwind.com'] })).staff).toEqual({ addresses: [], domains: ['it.northwind.com'] });
    for (const staff of [undefined, '', ' , ', []]) {
      expect(() => readSettings(node({ ...real, staff }))).toThrow(/context "staff" is required .*-c staff=alex\.kim@northwind\.com,it\.northwind\.com/);
    }
    expect(() => readSettings(node({ ...real, staff: 'alex@' }))).toThrow(/"alex@" is not an email address/);
    expect(() => readSettings(node({ ...real, staff: 'northwind' }))).toThrow(/neither an address nor a domain/);
    expect(() => readSettings(node({ ...real, staff: 'support@help.northwind.com' }))).toThrow(/support address itself/);
    expect(() => readSettings(node({ ...real, staff: 'help.northwind.com' }))).toThrow(/is the support domain/);
  });

  it('refuses the placeholders of cdk.json next to a real domain, and allows them in the example deployment', () => {
    const real = { domain: 'help.northwind.com', supportAddress: 'support@help.northwind.com', staffList: 'it-team@northwind.com', staff: 'it.northwind.com' };
    expect(readSettings(node(real)).domain).toBe('help.northwind.com');
    // cdk.json's own values, with only the domain and address changed on the command line:
    expect(() => readSettings(node({ ...real, staffList: 'it-team@northwind.example' }))).toThrow(/context "staffList": "it-team@northwind\.example" is a placeholder .* -c staffList=/);
    expect(() => readSettings(node({ ...real, staff: 'alex.kim@northwind.example,it.northwind.example' }))).toThrow(/context "staff": "alex\.kim@northwind\.example" is a placeholder/);
    expect(() => readSettings(node({ ...real, staff: 'it.example.com' }))).toThrow(/context "staff": "it\.example\.com" is a placeholder/);
    expect(() => readSettings(node({ ...real, alarmEmail: 'oncall@example.org' }))).toThrow(/context "alarmEmail"/);
    // The example deployment (offline synth, tests) is all placeholders, and that is fine.
    expect(readSettings(node(BASE)).staff).toEqual({ addresses: ['alex.kim@northwind.example'], domains: ['it.northwind.example'] });
  });

  it('refuses a region where SES does not receive mail, naming the regions that do', () => {
    expect(() => readSettings(node({ ...BASE, region: 'ap-east-1' }))).toThrow(/SES does not receive mail in ap-east-1.*us-east-1, .*eu-west-1, .*docs\.aws\.amazon\.com\/general\/latest\/gr\/ses\.html/);
    expect(readSettings(node({ ...BASE, region: 'us-east-2' })).region).toBe('us-east-2');
  });

  it('reads the IMAP knobs and the rule set a deploy may replace', () => {
    expect(readSettings(node(BASE))).toMatchObject({ imapConcurrency: 1 });
    expect(readSettings(node({ ...BASE, imapConcurrency: '0' })).imapConcurrency).toBe(0);
    expect(() => readSettings(node({ ...BASE, imapConcurrency: '-1' }))).toThrow(/"imapConcurrency" must be a whole number 0-1000/);
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(readSettings(node({ ...BASE, imapSecretKmsKeyArn: key })).imapSecretKmsKeyArn).toBe(key);
    expect(() => readSettings(node({ ...BASE, imapSecretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/imap' }))).toThrow(/alias ARN cannot be granted/);
    expect(() => readSettings(node({ ...BASE, replaceActiveRuleSet: 'bad name!' }))).toThrow(/replaceActiveRuleSet/);
    const { template } = synth({ replaceActiveRuleSet: 'legacy-forwarding' });
    template.hasResourceProperties('Custom::ActiveReceiptRuleSet', { ReplaceActive: 'legacy-forwarding' });
    template.hasResourceProperties('Custom::ReceiptRuleSetGuard', { ReplaceActive: 'legacy-forwarding' });
  });

  it('keeps staff in the context, not in ticketingConfig', () => {
    const app = new App({ context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] } });
    const settings = readSettings(app.node, BASE);
    expect(() => new TicketingStack(app, 'Bad', { settings, ticketingConfig: { staff: { addresses: ['x@y.example'] } } })).toThrow(/must not set "staff"/);
  });

  it('can turn the inbound reservation off (accounts with a concurrency quota of 10)', () => {
    const { template } = synth({ inboundConcurrency: 0 });
    expect(functionBy(template, 1024, 'Parses received mail').props.ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe('TicketingStack with an IMAP mailbox', () => {
  const secret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:imap-support-AbCdEf';
  it('adds no poller without an imap block', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::Lambda::Function', 5);
    expect(Object.keys(template.findResources('AWS::Scheduler::Schedule'))).toHaveLength(2); // the stale job and the sweep
  });

  it('adds the poller: every minute, one at a time, allowed to read its password secret', () => {
    const { template } = synth({}, {}, { imap: { host: 'outlook.office365.com', user: 'support@northwind.example', passwordSecretArn: secret } });
    const fns = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('IMAP') } });
    const [, poller] = Object.entries(fns)[0]!;
    expect(poller.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 300, ReservedConcurrentExecutions: 1 });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 minute)' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ReadImapCredentials', Action: 'secretsmanager:GetSecretValue', Resource: secret })]) },
    });
  });

  const imapConfig = (passwordSecretArn = secret) => ({ imap: { host: 'outlook.office365.com', user: 'support@northwind.example', passwordSecretArn } });
  const poller = (template: Template) => Object.entries(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('IMAP') } }))[0]!;

  it('drops a throttled or failed poll after a minute instead of retrying it for hours', () => {
    const { template } = synth({ stage: 'prod' }, {}, imapConfig());
    const [pollerId] = poller(template);
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
    const ofPoller = configs.find((c) => c.Properties.FunctionName.Ref === pollerId)!;
    expect(ofPoller.Properties).toEqual({ FunctionName: { Ref: pollerId }, Qualifier: '$LATEST', MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
    // The others keep their retries and the dead-letter queue.
    for (const c of configs.filter((x) => x !== ofPoller)) expect(c.Properties).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600, DestinationConfig: { OnFailure: { Destination: expect.anything() } } });
  });

  it('reserves concurrency for the poller as configured: 1 by default, none with imapConcurrency=0', () => {
    expect(poller(synth({ imapConcurrency: 3 }, {}, imapConfig()).template)[1].Properties.ReservedConcurrentExecutions).toBe(3);
    expect(poller(synth({ imapConcurrency: 0 }, {}, imapConfig()).template)[1].Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('pages once per mailbox outage, and counts the poller\'s quarantines and unsent mail', () => {
    const { template } = synth({ stage: 'prod' }, {}, imapConfig());
    const [pollerId, fn] = poller(template);
    expect(fn.Properties.Environment.Variables.TICKETING_STAGE).toBe('prod');
    const [outage] = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: 'Ticketing-prod-ImapPollFailing' } }));
    expect(outage!.Properties).toMatchObject({ EvaluationPeriods: 10, DatapointsToAlarm: 5, Threshold: 1, TreatMissingData: 'notBreaching' });
    const metrics = outage!.Properties.Metrics as any[];
    expect(metrics.find((m) => m.Expression).Expression).toBe('FILL(errors, 0) + FILL(dropped, 0)');
    expect(metrics.filter((m) => m.MetricStat).map((m) => [m.MetricStat.Metric.MetricName, m.MetricStat.Metric.Dimensions[0].Value.Ref, m.MetricStat.Period])).toEqual([
      ['Errors', pollerId, 60],
      ['AsyncEventsDropped', pollerId, 60],
    ]);
    for (const name of ['Ticketing-prod-Quarantined', 'Ticketing-prod-MailNotSent']) {
      const [a] = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } }));
      const services = (a!.Properties.Metrics as any[]).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric.Dimensions[0].Value);
      expect(services, name).toContain('ticketing-imap');
    }
    template.resourceCountIs('AWS::CloudWatch::Alarm', 7);
  });

  it('grants a partial secret ARN as name-?????? and decrypts a customer-managed key only through Secrets Manager', () => {
    const partial = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:imap-support';
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { template } = synth({ imapSecretKmsKeyArn: key }, {}, imapConfig(partial));
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    expect(statements.find((s) => s.Sid === 'ReadImapCredentials').Resource).toBe(`${partial}-??????`);
    expect(statements.find((s) => s.Sid === 'DecryptImapCredentials')).toMatchObject({
      Action: 'kms:Decrypt',
      Resource: key,
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    });
    expect(secretGrantArns(secret)).toEqual([secret]);
    expect(() => synth({ imapSecretKmsKeyArn: key })).toThrow(/imapSecretKmsKeyArn.*no imap, graph or gmail block/);
  });
});

describe('TicketingStack web surface (HTTP API → HTTP function)', () => {
  const imapSecret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:imap-support-AbCdEf';
  const imapConfig = { imap: { host: 'outlook.office365.com', user: 'support@northwind.example', passwordSecretArn: imapSecret } };
  const certificate = 'arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab';
  let template: Template;
  let http: ReturnType<typeof functionBy>;
  let apiId: string;
  beforeAll(() => {
    ({ template } = synth());
    http = functionBy(template, 1024, 'The web surface');
    apiId = logicalId(template, 'AWS::ApiGatewayV2::Api');
  });

  /** The logical ids of the roles whose policies allow `action` on a resource that flattens to `resource`. */
  const rolesAllowed = (t: Template, action: string, resource: string) =>
    Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.PolicyDocument.Statement as any[]).some((st) => [st.Action].flat().includes(action) && [st.Resource].flat().some((r: unknown) => flatten(r) === resource)))
      .flatMap((p) => (p.Properties.Roles as Array<{ Ref: string }>).map((r) => r.Ref))
      .sort();
  const roleOf = (fn: { props: Record<string, any> }) => fn.props.Role['Fn::GetAtt'][0] as string;

  it('sends every path through one $default route to the HTTP function, payload format 2.0, invoked only by this API', () => {
    // Prepare
    const integrationId = logicalId(template, 'AWS::ApiGatewayV2::Integration');

    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP', Name: 'Ticketing-dev-web' });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
    const [route] = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(route!.Properties.RouteKey).toBe('$default');
    expect(route!.Properties.ApiId).toEqual({ Ref: apiId });
    expect(flatten(route!.Properties.Target)).toBe(`integrations/REF:${integrationId}`);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      ApiId: { Ref: apiId },
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [http.id, 'Arn'] },
      PayloadFormatVersion: '2.0',
    });
    const perms = Object.values(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } }));
    expect(perms).toHaveLength(1);
    expect(perms[0]!.Properties.FunctionName).toEqual({ 'Fn::GetAtt': [http.id, 'Arn'] });
    expect(flatten(perms[0]!.Properties.SourceArn)).toBe(`arn:aws:execute-api:eu-west-1:REF:AWS::AccountId:REF:${apiId}/*/*`);
  });

  it('runs the HTTP function on Node 22 arm64 with 1024 MB, stopping inside API Gateway\'s 30 s, with no async retries', () => {
    expect(http.props).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 1024, Timeout: 29, Handler: 'index.handler' });
    expect(http.props.ReservedConcurrentExecutions).toBeUndefined();
    // Invoked synchronously: no EventInvokeConfig (retries, DLQ) of its own.
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
    expect(configs.length).toBeGreaterThan(0);
    expect(configs.filter((c) => c.Properties.FunctionName.Ref === http.id)).toEqual([]);
  });

  it('gives the HTTP function the inbound function\'s data grants: table, mail objects, send-as, ticket events', () => {
    // Prepare
    const inbound = functionBy(template, 1024, 'Parses received mail');
    const statementsOf = (fn: { props: Record<string, any> }) =>
      Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleOf(fn)))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as any[])
        .map((st) => ({ ...st, Resource: [st.Resource].flat().map(flatten).sort() }));

    // Act
    const ofHttp = statementsOf(http);
    const ofInbound = statementsOf(inbound);

    // Assess: the same, but for the inbound function's dead-letter queue (async invokes only)
    const deadLetter = (st: { Action: unknown }) => [st.Action].flat().includes('sqs:SendMessage');
    expect(ofInbound.filter(deadLetter)).toHaveLength(1);
    expect(ofHttp).toEqual(ofInbound.filter((st) => !deadLetter(st)));
    expect(ofHttp.map((st) => st.Sid).filter(Boolean)).toEqual(expect.arrayContaining(['SendAsSupportAddressOnly', 'ReadWriteMailObjects', 'ListMailBucket', 'ReadLinkKeys']));
  });

  it('lets the console query the table\'s indexes (queue, search) and read mail objects to presign their downloads', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleOf(http)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    const query = statements.find((st) => [st.Action].flat().includes('dynamodb:Query'))!;
    expect([query.Resource].flat().map(flatten)).toEqual(expect.arrayContaining([expect.stringMatching(/\/index\/\*$/)]));
    expect(statements.some((st) => [st.Action].flat().includes('s3:GetObject'))).toBe(true);
    template.hasResourceProperties('AWS::DynamoDB::Table', { GlobalSecondaryIndexes: Match.arrayWith([Match.objectLike({ IndexName: TABLE_KEYS.byActivity.name })]) });
  });

  it('logs every request as one JSON line to a log group that expires, on the $default stage', () => {
    const stages = Object.entries(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(1);
    const [stageId, stage] = stages[0]!;
    expect(stage!.Properties).toMatchObject({ ApiId: { Ref: apiId }, StageName: '$default', AutoDeploy: true });
    const logGroupId = stage!.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] as string;
    expect(stage!.Properties.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete' });
    const format = JSON.parse(stage!.Properties.AccessLogSettings.Format as string);
    expect(format, stageId).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      method: '$context.httpMethod',
      path: '$context.path',
      status: '$context.status',
      latency: '$context.responseLatency',
      responseLength: '$context.responseLength',
    });
  });

  it('throttles the stage: burst 50 and 20 requests a second by default, as context sets them', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 20 } });
    const { template: tuned } = synth({ webThrottleBurst: '200', webThrottleRate: '100' });
    tuned.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 } });
    expect(() => synth({ webThrottleRate: '0' })).toThrow(/"webThrottleRate" must be a whole number 1-10000, got "0"/);
    expect(() => synth({ webThrottleBurst: '6000' })).toThrow(/"webThrottleBurst" must be a whole number 1-5000/);
  });

  it('makes a 64-character link-key secret that only the HTTP, inbound and IMAP functions can read', () => {
    // Prepare: the stack with an IMAP poller, which mails status links too
    const { template: withImap } = synth({}, {}, imapConfig);
    const fns = (t: Template) => ({
      inbound: functionBy(t, 1024, 'Parses received mail'),
      http: functionBy(t, 1024, 'The web surface'),
      imap: functionBy(t, 1024, 'Polls the support mailbox'),
      stale: functionBy(t, 512),
    });

    // Act
    const secretId = logicalId(withImap, 'AWS::SecretsManager::Secret');
    const { inbound, http: httpFn, imap, stale } = fns(withImap);

    // Assess
    withImap.hasResource('AWS::SecretsManager::Secret', {
      Properties: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
      DeletionPolicy: 'Delete',
    });
    expect(withImap.toJSON().Resources[secretId].Properties.GenerateSecretString.SecretStringTemplate).toBeUndefined(); // one line: a one-key secret
    expect(rolesAllowed(withImap, 'secretsmanager:GetSecretValue', `REF:${secretId}`)).toEqual([inbound, httpFn, imap].map(roleOf).sort());
    const anySecret = Object.values(withImap.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleOf(stale)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as any[])
      .filter((st) => [st.Action].flat().some((a: string) => a.startsWith('secretsmanager:')));
    expect(anySecret).toEqual([]);
    // Without a poller, the HTTP and inbound functions.
    const secretHere = logicalId(template, 'AWS::SecretsManager::Secret');
    expect(rolesAllowed(template, 'secretsmanager:GetSecretValue', `REF:${secretHere}`)).toEqual([roleOf(functionBy(template, 1024, 'Parses received mail')), roleOf(http)].sort());
  });

  it('uses the link-key secret the config names instead, granting exactly it (a partial ARN as name-??????)', () => {
    for (const [given, granted] of [
      ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/link-keys-AbCdEf', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/link-keys-AbCdEf'],
      ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/link-keys', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/link-keys-??????'],
    ] as const) {
      // Act
      const { template: t } = synth({}, {}, { web: { linkKeysSecretArn: given } });

      // Assess
      t.resourceCountIs('AWS::SecretsManager::Secret', 0);
      const [inbound, httpFn] = [functionBy(t, 1024, 'Parses received mail'), functionBy(t, 1024, 'The web surface')];
      expect(rolesAllowed(t, 'secretsmanager:GetSecretValue', granted)).toEqual([inbound, httpFn].map(roleOf).sort());
      expect(JSON.parse(flatten(httpFn.props.Environment.Variables.TICKETING_CONFIG)).web).toEqual({ linkKeysSecretArn: given });
    }
  });

  it('refuses inline link keys and a web.baseUrl: keys belong in Secrets Manager, the address is the stack\'s', () => {
    expect(() => synth({}, {}, { web: { linkKeys: ['k'.repeat(40)] } })).toThrow(/ticketingConfig\.web\.linkKeys: a deployed stack keeps the link keys in Secrets Manager .*never inline/);
    expect(() => synth({}, {}, { web: { baseUrl: 'https://help.northwind.example' } })).toThrow(/web\.baseUrl: the stack sets it .*-c webDomain=/);
  });

  it('points links in mail at the HTTP API (TICKETING_WEB_BASE_URL) from the HTTP, inbound and IMAP functions, and outputs it', () => {
    // Prepare
    const { template: withImap } = synth({}, {}, imapConfig);
    const api = logicalId(withImap, 'AWS::ApiGatewayV2::Api');
    const variables = (description: string, memory = 1024) => functionBy(withImap, memory, description).props.Environment.Variables as Record<string, unknown>;

    // Assess
    for (const description of ['The web surface', 'Parses received mail', 'Polls the support mailbox']) {
      expect(variables(description).TICKETING_WEB_BASE_URL, description).toEqual({ 'Fn::GetAtt': [api, 'ApiEndpoint'] });
    }
    expect(variables('Daily stale-ticket job', 512).TICKETING_WEB_BASE_URL).toBeUndefined(); // it signs no links
    expect(Object.values(withImap.findOutputs('WebUrl'))[0]!.Value).toEqual({ 'Fn::GetAtt': [api, 'ApiEndpoint'] });
    expect(Object.values(withImap.findOutputs('HttpApiUrl'))[0]!.Value).toEqual({ 'Fn::GetAtt': [api, 'ApiEndpoint'] });
    expect(withImap.findOutputs('WebDomainTarget')).toEqual({});
    withImap.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    withImap.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 0);
    // The Lambdas read it over web.baseUrl (src/config.ts), after the stripped trailing slash.
    const config = loadConfigFromEnv({
      TICKETING_CONFIG: JSON.stringify({ supportAddresses: ['support@northwind.example'] }),
      TICKETING_WEB_BASE_URL: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
    });
    expect(config.web.baseUrl).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com');
  });

  it('serves a custom domain only when webDomain and webCertificateArn are given, and links to it', () => {
    // Act
    const { template: t } = synth({ webDomain: 'Help.Northwind.example', webCertificateArn: certificate });

    // Assess
    const api = logicalId(t, 'AWS::ApiGatewayV2::Api');
    const domainId = logicalId(t, 'AWS::ApiGatewayV2::DomainName');
    const stageId = logicalId(t, 'AWS::ApiGatewayV2::Stage');
    t.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'help.northwind.example',
      DomainNameConfigurations: [{ CertificateArn: certificate, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    t.hasResource('AWS::ApiGatewayV2::ApiMapping', { Properties: { ApiId: { Ref: api }, DomainName: { Ref: domainId }, Stage: '$default' }, DependsOn: [stageId] });
    for (const description of ['The web surface', 'Parses received mail']) {
      expect(functionBy(t, 1024, description).props.Environment.Variables.TICKETING_WEB_BASE_URL).toBe('https://help.northwind.example');
    }
    expect(Object.values(t.findOutputs('WebUrl'))[0]!.Value).toBe('https://help.northwind.example');
    expect(flatten(Object.values(t.findOutputs('WebDomainTarget'))[0]!.Value)).toBe(`help.northwind.example CNAME ATT:${domainId}.RegionalDomainName`);
    expect(Object.values(t.findOutputs('HttpApiUrl'))[0]!.Value).toEqual({ 'Fn::GetAtt': [api, 'ApiEndpoint'] });
  });

  it('refuses half a custom domain, and a certificate from another region', () => {
    expect(() => synth({ webDomain: 'help.northwind.example' })).toThrow(/"webDomain" and "webCertificateArn" go together/);
    expect(() => synth({ webCertificateArn: certificate })).toThrow(/"webDomain" and "webCertificateArn" go together/);
    expect(() => synth({ webDomain: 'help.northwind.example', webCertificateArn: certificate.replace('eu-west-1', 'us-east-1') })).toThrow(
      /certificate is in us-east-1, the stack in eu-west-1/,
    );
    expect(() => synth({ webDomain: 'help.northwind.example', webCertificateArn: 'arn:aws:iam::123456789012:server-certificate/x' })).toThrow(/not an ACM certificate ARN/);
    expect(() => synth({ webDomain: 'not a domain', webCertificateArn: certificate })).toThrow(/"webDomain": "not a domain" is not a domain name/);
  });
});

describe('TicketingStack with a Microsoft 365 or Google Workspace mailbox', () => {
  const graphSecret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:graph-app-AbCdEf';
  const gmailSecret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gmail-key-AbCdEf';
  const app = { tenantId: 'northwind.onmicrosoft.com', clientId: '00000000-0000-4000-8000-000000000001', credentialsSecretArn: graphSecret };
  const mailboxes = (sendMail = false) => ({
    graph: { app, mailbox: 'support@northwind.example', sendMail },
    gmail: { mailbox: 'helpdesk@northwind.example', serviceAccountSecretArn: gmailSecret },
  });
  /** The statements of the policies on one function's role. */
  const statementsOf = (template: Template, fn: any) =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as any[]).some((r) => r.Ref === fn.Properties.Role['Fn::GetAtt'][0]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
  const fnNamed = (template: Template, words: string) =>
    Object.entries(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(words) } }))[0]!;

  it('adds one poller per mailbox: every minute, one at a time, each reading only its own secret, each paging on its own', () => {
    const { template } = synth({ stage: 'prod' }, {}, mailboxes());
    const [, graph] = fnNamed(template, 'Microsoft Graph');
    const [, gmail] = fnNamed(template, 'Gmail API');
    for (const fn of [graph, gmail]) expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 300, ReservedConcurrentExecutions: 1 });
    expect(Object.values(template.findResources('AWS::Scheduler::Schedule', { Properties: { ScheduleExpression: 'rate(1 minute)' } }))).toHaveLength(2);
    const reads = (fn: any) => statementsOf(template, fn).filter((s) => s.Action === 'secretsmanager:GetSecretValue').map((s) => s.Resource);
    // Each its own mailbox secret (and, as every pipeline function, the link keys), not the other's.
    expect(reads(graph)).toEqual([graphSecret, { Ref: expect.stringMatching(/^LinkKeys/) }]);
    expect(reads(gmail)).toEqual([gmailSecret, { Ref: expect.stringMatching(/^LinkKeys/) }]);
    for (const name of ['Ticketing-prod-GraphPollFailing', 'Ticketing-prod-GmailPollFailing']) {
      expect(Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } })), name).toHaveLength(1);
    }
    const [quarantined] = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: 'Ticketing-prod-Quarantined' } }));
    const services = (quarantined!.Properties.Metrics as any[]).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric.Dimensions[0].Value);
    expect(services).toEqual(expect.arrayContaining(['ticketing-graph', 'ticketing-gmail']));
  });

  it('with graph.sendMail, every function that sends our mail may read the app\'s secret; without it only the poller', () => {
    const readers = (template: Template) =>
      Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
        (p.Properties.PolicyDocument.Statement as any[]).some((s) => s.Action === 'secretsmanager:GetSecretValue' && s.Resource === graphSecret),
      ).length;
    expect(readers(synth({}, {}, mailboxes(false)).template)).toBe(1);
    // inbound, http, stale, and the two pollers
    expect(readers(synth({}, {}, mailboxes(true)).template)).toBe(5);
  });
});
