/**
 * The ticketing stack: SES receipt rule → S3 (raw mail) → inbound Lambda, the single DynamoDB
 * table, the daily stale job, outbound SES identity, alarms. One stack per stage (dev | prod).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, type CfnElement, Duration, RemovalPolicy, Stack, Tags, TimeZone, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct, IConstruct } from 'constructs';
import { METRICS_NAMESPACE } from '../src/aws/lambda-metrics.js';
import { TABLE_KEYS } from '../src/aws/table.js';
import type { TicketingSettings } from './context.js';
import { lambdaConfigInput, validateLambdaConfig } from './lambda-config.js';

const REPO_ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const INBOUND_PREFIX = 'inbound/';


/**
 * Lambdas are ESM (`"type": "module"`); mailparser, iconv-lite and friends are CommonJS and call
 * `require`, which does not exist in an ES module. The banner gives the bundle a real one.
 */
export const ESM_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** What differs between stages. */
export const STAGE_SETTINGS = {
  dev: { retentionDays: 90, removalPolicy: RemovalPolicy.DESTROY, logRetention: logs.RetentionDays.ONE_MONTH, functionErrorAlarms: false },
  prod: { retentionDays: 730, removalPolicy: RemovalPolicy.RETAIN, logRetention: logs.RetentionDays.ONE_YEAR, functionErrorAlarms: true },
} as const;

export interface TicketingStackProps extends StackProps {
  settings: TicketingSettings;
  /** Optional extra config (triage rules, teamName, …) merged into TICKETING_CONFIG; validated by src/config.ts. */
  ticketingConfig?: Record<string, unknown>;
}

export class TicketingStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly inboundFunction: NodejsFunction;
  readonly staleFunction: NodejsFunction;
  /** Only when the config has an `imap` block: a support mailbox that is not on SES. */
  readonly imapFunction: NodejsFunction | null;
  readonly failedInvocations: sqs.Queue;
  readonly alarmTopic: sns.Topic;
  readonly eventsTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: TicketingStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const stage = STAGE_SETTINGS[settings.stage];
    // Fail synth, not the first mail, on a config the Lambdas would reject.
    validateLambdaConfig(settings, props.ticketingConfig);
    Tags.of(this).add('app', 'ticketing');
    Tags.of(this).add('stage', settings.stage);

    // ---------------------------------------------------------------- storage
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(stage.retentionDays) }],
      removalPolicy: stage.removalPolicy,
      autoDeleteObjects: settings.stage === 'dev',
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket of the mail bucket; logging it into itself would loop.',
    });

    this.bucket = new s3.Bucket(this, 'MailBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'mail-bucket/',
      lifecycleRules: [
        {
          // Raw mail is read once on arrival and again only for a replay or an audit.
          id: 'raw-mail',
          transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
          expiration: Duration.days(stage.retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: stage.removalPolicy,
      autoDeleteObjects: settings.stage === 'dev',
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.pk, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sk, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_KEYS.ttl,
      deletionProtection: settings.stage === 'prod',
      removalPolicy: stage.removalPolicy,
    });
    for (const index of [TABLE_KEYS.byRequester, TABLE_KEYS.openByActivity]) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.pk, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sk, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    // ------------------------------------------------------- topics and DLQ
    const topicKey = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the ticketing alarm and ticket-event SNS topics',
      enableKeyRotation: true,
      removalPolicy: stage.removalPolicy,
      ...(settings.stage === 'dev' ? { pendingWindow: Duration.days(7) } : {}),
    });
    // CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key; they can under ours.
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Ticketing alarms', masterKey: topicKey, enforceSSL: true });
    if (settings.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(settings.alarmEmail));
    this.eventsTopic = new sns.Topic(this, 'TicketEvents', { displayName: 'Ticket events', masterKey: topicKey, enforceSSL: true });

    this.failedInvocations = new sqs.Queue(this, 'FailedInvocations', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: stage.removalPolicy,
    });
    Validations.of(this.failedInvocations).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of both Lambdas and of the schedule.',
    });

    // ---------------------------------------------------------------- compute
    const identity = new ses.EmailIdentity(this, 'DomainIdentity', { identity: ses.Identity.domain(settings.domain) });
    const configJson = this.toJsonString(
      lambdaConfigInput(
        settings,
        { tableName: this.table.tableName, bucket: this.bucket.bucketName, snsTopicArn: this.eventsTopic.topicArn },
        props.ticketingConfig,
      ),
    );

    this.inboundFunction = this.ticketingFunction('Inbound', {
      entry: 'src/aws/lambda/inbound.ts',
      description: 'Parses received mail into tickets (SES receipt rule → S3 → here)',
      // Mail is parsed as a stream, but a 40 MB message (SES's limit) with base64 attachments
      // still holds decoded parts and the S3 upload buffers (lib-storage, 5 MB parts) in memory;
      // 1024 MB also buys the CPU share that keeps parsing + several DynamoDB/SES round trips
      // well inside 60 s. 60 s bounds a stuck call; the async retry picks the mail up again.
      memorySize: 1024,
      timeout: Duration.seconds(60),
      // Caps the burst a mail storm (or a loop) can put on DynamoDB, SES sending quotas and
      // per-sender rate limits; SES's async invokes queue up inside Lambda instead of failing.
      ...(settings.inboundConcurrency > 0 ? { reservedConcurrentExecutions: settings.inboundConcurrency } : {}),
      configJson,
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });
    this.staleFunction = this.ticketingFunction('Stale', {
      entry: 'src/aws/lambda/stale.ts',
      description: 'Daily stale-ticket job and IT digest, and the sweep of unfinished effects (EventBridge Scheduler)',
      // Walks the open-tickets index page by page and sends one digest plus reminders.
      memorySize: 512,
      timeout: Duration.minutes(5),
      configJson,
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });

    const imap = props.ticketingConfig?.imap as { passwordSecretArn?: string } | undefined;
    this.imapFunction = imap
      ? this.ticketingFunction('ImapPoller', {
          entry: 'src/imap/lambda.ts',
          description: 'Polls the support mailbox over IMAP into the pipeline (every minute)',
          // One batch (config imap.batchSize, default 50) of parses like the inbound function's;
          // one poller at a time per mailbox (the store's lock enforces it too).
          memorySize: 1024,
          timeout: Duration.minutes(5),
          reservedConcurrentExecutions: 1,
          configJson,
          logRetention: stage.logRetention,
          removalPolicy: stage.removalPolicy,
        })
      : null;
    if (this.imapFunction && imap?.passwordSecretArn) {
      this.imapFunction.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadImapPassword', actions: ['secretsmanager:GetSecretValue'], resources: [imap.passwordSecretArn] }));
    }

    for (const fn of this.ticketingFunctions()) {
      fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(this.failedInvocations) });
      this.table.grantReadWriteData(fn);
      // Only our own address, only through our verified domain. Each mail's envelope sender (the
      // SES Source, where bounces go) is a plus-address of it with a random token, support+b-…@.
      const [local, domain] = [settings.supportAddress.slice(0, settings.supportAddress.lastIndexOf('@')), settings.supportAddress.slice(settings.supportAddress.lastIndexOf('@') + 1)];
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'SendAsSupportAddressOnly',
          actions: ['ses:SendRawEmail'],
          resources: [identity.emailIdentityArn],
          conditions: { StringLike: { 'ses:FromAddress': [settings.supportAddress, `${local}+b-*@${domain}`] } },
        }),
      );
    }
    // Explicit object actions, not bucket.grantReadWrite: that grant adds wildcard actions
    // (s3:GetObject*, s3:DeleteObject*, s3:Abort*) and the pipeline never deletes mail.
    // ListBucket turns a missing key into NoSuchKey (which S3Blobs handles) instead of AccessDenied.
    // The stale function's sweep finishes what deliveries planned: ticket events among it.
    this.eventsTopic.grantPublish(this.staleFunction);
    for (const fn of [this.inboundFunction, ...(this.imapFunction ? [this.imapFunction] : [])]) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadWriteMailObjects',
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
          resources: [this.bucket.arnForObjects('*')],
        }),
      );
      fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'ListMailBucket', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
      this.eventsTopic.grantPublish(fn);
    }

    // ---------------------------------------------------------------- inbound
    const ruleSetName = `${this.stackName}-inbound`;
    const ruleName = `${this.stackName}-support`;
    const ruleArn = `arn:${this.partition}:ses:${this.region}:${this.account}:receipt-rule-set/${ruleSetName}:receipt-rule/${ruleName}`;

    // Only this rule may write raw mail, only under inbound/, only in this account.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesReceiptRulePut',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${INBOUND_PREFIX}*`)],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account, 'aws:SourceArn': ruleArn } },
      }),
    );
    this.inboundFunction.addPermission('AllowSesInvoke', {
      principal: new iam.ServicePrincipal('ses.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: this.account,
      sourceArn: ruleArn,
    });

    const ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: ruleSetName });
    const rule = new ses.ReceiptRule(this, 'SupportRule', {
      ruleSet,
      receiptRuleName: ruleName,
      // The domain, not the address: SES matches a recipient by exact address or by domain, so
      // "support@domain" would not match the plus-addressed replies (support+tkt-42@domain) that
      // carry the ticket tag. The inbound handler leaves mail for the domain's other addresses
      // alone (src/pipeline/inbound.ts); the domain should still be dedicated to support mail.
      recipients: [settings.domain],
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      enabled: true,
    });
    // Hand-written actions (not aws-ses-actions) so the bucket policy and the invoke permission
    // can name this rule's ARN (aws:SourceArn); the library's versions only pin the account.
    rule.addAction({ bind: () => ({ s3Action: { bucketName: this.bucket.bucketName, objectKeyPrefix: INBOUND_PREFIX } }) });
    rule.addAction({ bind: () => ({ lambdaAction: { functionArn: this.inboundFunction.functionArn, invocationType: 'Event' } }) });
    // SES checks both permissions when the rule is created.
    rule.node.addDependency(this.bucket.policy!, this.inboundFunction.node.findChild('AllowSesInvoke'));

    // An account has one active receipt rule set per region; this makes ours the active one,
    // and on delete deactivates (no rule set active) rather than leaving a dangling reference.
    const activate: cr.AwsSdkCall = {
      service: 'SES',
      action: 'setActiveReceiptRuleSet',
      parameters: { RuleSetName: ruleSetName },
      physicalResourceId: cr.PhysicalResourceId.of(`${ruleSetName}-active`),
    };
    const activeRuleSet = new cr.AwsCustomResource(this, 'ActivateRuleSet', {
      onCreate: activate,
      onUpdate: activate,
      onDelete: { service: 'SES', action: 'setActiveReceiptRuleSet', parameters: {} },
      // SetActiveReceiptRuleSet has no resource-level permissions: '*' is the only valid resource.
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['ses:SetActiveReceiptRuleSet'], resources: ['*'] })]),
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
    });
    activeRuleSet.node.addDependency(rule);

    // --------------------------------------------------------------- schedule
    if (this.imapFunction) {
      new scheduler.Schedule(this, 'ImapPollSchedule', {
        description: 'IMAP poll of the support mailbox, every minute',
        schedule: scheduler.ScheduleExpression.rate(Duration.minutes(1)),
        // A missed minute is made up by the next poll: no retries, no pile-up behind the lock.
        target: new schedulerTargets.LambdaInvoke(this.imapFunction, { retryAttempts: 0, deadLetterQueue: this.failedInvocations }),
      });
    }
    new scheduler.Schedule(this, 'StaleJobSchedule', {
      description: `Stale tickets and IT digest, daily at ${settings.scheduleHour}:00 ${settings.timeZone}`,
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: String(settings.scheduleHour), timeZone: TimeZone.of(settings.timeZone) }),
      target: new schedulerTargets.LambdaInvoke(this.staleFunction, {
        input: scheduledEvent(),
        retryAttempts: 2,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: this.failedInvocations,
      }),
    });

    new scheduler.Schedule(this, 'SweepSchedule', {
      description: 'Finishes effect plans that deliveries left unfinished (mail to retry, runs that stopped), every 10 minutes',
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(10)),
      target: new schedulerTargets.LambdaInvoke(this.staleFunction, {
        input: scheduledEvent({ job: 'sweep' }),
        // The next sweep is ten minutes away: a failed one is not worth a retry queue.
        retryAttempts: 0,
        deadLetterQueue: this.failedInvocations,
      }),
    });

    // ---------------------------------------------------------- observability
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string) => {
      const a = new cloudwatch.Alarm(this, id, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(new cwActions.SnsAction(this.alarmTopic));
      return a;
    };
    // Both stages: mail that exhausted its retries, and mail kept unprocessed, need a human.
    alarm(
      'FailedInvocationsAlarm',
      this.failedInvocations.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      'An invocation failed all retries (inbound mail or stale job): see the FailedInvocations queue, then replay.',
    );
    alarm(
      'QuarantinedAlarm',
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'Quarantined',
        // Powertools adds the service name as the `service` dimension.
        dimensionsMap: { service: 'ticketing-inbound' },
        statistic: 'Sum',
        period: Duration.minutes(15),
      }),
      'Inbound mail was quarantined (kept unprocessed with a reason): `ticketing quarantine` lists it.',
    );
    // Prod only: every function error pages. In dev they are routine while iterating, and
    // whatever fails for good still reaches the FailedInvocations alarm above.
    if (stage.functionErrorAlarms) {
      alarm('InboundErrorsAlarm', this.inboundFunction.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), 'The inbound Lambda failed (it will be retried).');
      alarm('StaleErrorsAlarm', this.staleFunction.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), 'The stale-ticket job failed.');
    }

    // ---------------------------------------------------------------- outputs
    new CfnOutput(this, 'MxRecord', { value: `10 inbound-smtp.${this.region}.amazonaws.com`, description: `MX record for ${settings.domain}` });
    identity.dkimRecords.forEach((record, i) =>
      new CfnOutput(this, `DkimRecord${i + 1}`, { value: `${record.name} CNAME ${record.value}`, description: 'Easy DKIM CNAME record' }),
    );
    new CfnOutput(this, 'InboundLogGroup', { value: this.inboundFunction.logGroup.logGroupName, description: 'aws logs tail <this> --follow' });
    new CfnOutput(this, 'MailBucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'TicketEventsTopicArn', { value: this.eventsTopic.topicArn });
    new CfnOutput(this, 'FailedInvocationsQueueUrl', { value: this.failedInvocations.queueUrl });

    this.suppressFindings();
  }

  private ticketingFunction(
    id: string,
    o: {
      entry: string;
      description: string;
      memorySize: number;
      timeout: Duration;
      reservedConcurrentExecutions?: number;
      configJson: string;
      logRetention: logs.RetentionDays;
      removalPolicy: RemovalPolicy;
    },
  ): NodejsFunction {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: o.logRetention, removalPolicy: o.removalPolicy });
    const bundling: BundlingOptions = {
      forceDockerBundling: false, // local esbuild; no Docker here or in CI
      format: OutputFormat.ESM,
      target: 'node22',
      mainFields: ['module', 'main'],
      banner: ESM_BANNER,
      // The AWS SDK v3 is bundled, not taken from the runtime: the versions we tested against
      // (package-lock.json) are the versions that run, the runtime's copy changes under us
      // without a deploy, and tree-shaken ESM clients load faster than the runtime's full ones.
      externalModules: [],
      minify: true,
      sourceMap: true,
      sourcesContent: false,
    };
    return new NodejsFunction(this, id, {
      entry: path.join(REPO_ROOT, o.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      description: o.description,
      memorySize: o.memorySize,
      timeout: o.timeout,
      ...(o.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: o.reservedConcurrentExecutions } : {}),
      logGroup,
      environment: {
        TICKETING_CONFIG: o.configJson,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling,
    });
  }

  /**
   * cdk-nag 3 acknowledgements (CDK's Validations API; cdk-nag 3 has no NagSuppressions). Each
   * names the exact finding, `Rule[finding]`, so a new wildcard is a new, failing finding.
   * Every one carries its reason; the nag test and `cdk synth` fail on anything unacknowledged.
   */
  private suppressFindings() {
    const lid = (c: IConstruct) => this.getLogicalId(c.node.defaultChild as CfnElement);
    const basicExecution = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
    const basicExecutionReason =
      'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch Logs streams; it is the AWS-maintained minimum for that.';
    for (const fn of this.ticketingFunctions()) {
      Validations.of(fn).acknowledge(
        { id: basicExecution, reason: basicExecutionReason },
        {
          id: `AwsSolutions-IAM5[Resource::<${lid(this.table)}.Arn>/index/*]`,
          reason: 'grantReadWriteData covers the table\'s two GSIs (byRequester, openByActivity) as <table>/index/*; actions are the explicit DynamoDB item actions, no wildcard action.',
        },
        {
          id: 'AwsSolutions-L1',
          reason:
            'Pinned to nodejs22.x on purpose (the code is built and tested for Node 20/22, engines >=20); moving to nodejs24.x is a tested change, not an automatic one.',
        },
      );
    }
    for (const fn of [this.inboundFunction, ...(this.imapFunction ? [this.imapFunction] : [])]) Validations.of(fn).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${lid(this.bucket)}.Arn>/*]`,
        reason: 'Raw mail object keys (inbound/<SES message id>, quarantine, attachments) are not known in advance; actions are explicit (GetObject, PutObject, AbortMultipartUpload).',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: 'Publishing to the KMS-encrypted ticket-events topic needs a data key; grantPublish scopes it to the one topic key.',
      },
    );
    Validations.of(this.staleFunction).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: 'The sweep publishes ticket events a delivery planned to the KMS-encrypted topic; grantPublish scopes the data key to the one topic key.',
    });
    // The AwsCustomResource singleton provider that activates the receipt rule set.
    const provider = this.node.tryFindChild(cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '').replace(/^/, 'AWS'));
    if (provider) {
      Validations.of(provider).acknowledge({ id: basicExecution, reason: `${basicExecutionReason} (CDK AwsCustomResource provider)` });
    }
    Validations.of(this.node.findChild('ActivateRuleSet')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ses:SetActiveReceiptRuleSet supports no resource-level permissions; "*" is the only valid resource, and it is the only action granted.',
    });
    for (const schedulerRole of this.node.children.filter((c) => c.node.id.startsWith('SchedulerRoleForTarget'))) {
      for (const fn of [this.staleFunction, ...(this.imapFunction ? [this.imapFunction] : [])]) {
        Validations.of(schedulerRole).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${lid(fn)}.Arn>:*]`,
          reason: 'The Scheduler target role may invoke its scheduled function and that function\'s versions/aliases (<arn>:*); it can invoke nothing else.',
        });
      }
    }
  }

  private ticketingFunctions(): NodejsFunction[] {
    return [this.inboundFunction, this.staleFunction, ...(this.imapFunction ? [this.imapFunction] : [])];
  }
}

/**
 * The input of a schedule on the stale function: an EventBridge "Scheduled Event", which
 * src/aws/stale-handler.ts validates, with the scheduled time as the job's clock (a retry of one
 * run carries the same time and lands in the same slot). Scheduler sends its input verbatim.
 */
function scheduledEvent(detail?: { job: 'sweep' }): scheduler.ScheduleTargetInput {
  return scheduler.ScheduleTargetInput.fromObject({
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    time: scheduler.ContextAttribute.scheduledTime,
    resources: [scheduler.ContextAttribute.scheduleArn],
    ...(detail ? { detail } : {}),
  });
}
