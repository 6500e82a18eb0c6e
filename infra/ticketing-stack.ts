/**
 * The ticketing stack: SES receipt rule → S3 (raw mail) → inbound Lambda, the single DynamoDB
 * table, the daily stale job, outbound SES identity, the web surface (API Gateway HTTP API →
 * HTTP Lambda) with its link-key secret, the chat function when the config has Slack or Teams
 * channels, alarms. One stack per stage (dev | prod).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, type CfnElement, type CfnResource, CustomResource, Duration, RemovalPolicy, Stack, Tags, TimeZone, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { METRIC_SERVICES, METRICS_NAMESPACE, STAGE_VARIABLE } from '../src/aws/lambda-metrics.js';
import { TABLE_KEYS } from '../src/aws/table.js';
import { chatDeployment } from './chat-channels.js';
import { skippedScheduleDays, type TicketingSettings } from './context.js';
import { lambdaBundling } from './lambda-bundling.js';
import { givenLinkKeysSecretArn, lambdaConfigInput, validateLambdaConfig } from './lambda-config.js';

const REPO_ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const INBOUND_PREFIX = 'inbound/';
/** Raw mail of the IMAP poller (src/imap/poller.ts: imap/<account>/<uidvalidity>/<uid>.eml). */
export const IMAP_PREFIX = 'imap/';
/** Raw mail of the Graph and Gmail pollers (src/graph/, src/gmail/: <prefix><mailbox>/<message id>.eml). */
export const GRAPH_PREFIX = 'graph/';
export const GMAIL_PREFIX = 'gmail/';
/** The cfn-guard plugin's name: acknowledgements of its findings are `cdk-validator-cfnguard::<rule>`. */
export const GUARD_PLUGIN = 'cdk-validator-cfnguard';

/** Where the web surface's address reaches the Lambdas (src/config.ts loadConfigFromEnv): a deploy-time token, not in the validated JSON. */
export const WEB_BASE_URL_VARIABLE = 'TICKETING_WEB_BASE_URL';

/**
 * The HTTP API's access log line (JSON): who asked what, and how it went. The path of a status
 * page carries its signed token: whoever reads these logs can open that status page until the
 * link expires, as whoever reads the mail can.
 */
export const WEB_ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  method: '$context.httpMethod',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  responseLength: '$context.responseLength',
  integrationError: '$context.integrationErrorMessage',
  userAgent: '$context.identity.userAgent',
} as const;

// The Lambdas' banner (infra/lambda-bundling.ts), where the bundle test and the bench read it.
export { ESM_BANNER } from './lambda-bundling.js';

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
  /** The web surface (src/aws/lambda/http.ts): request form, status pages, REST API, behind httpApi. */
  readonly httpFunction: NodejsFunction;
  readonly httpApi: apigwv2.HttpApi;
  /** The link-signing keys, unless ticketingConfig names a secret of its own (web.linkKeysSecretArn). */
  readonly linkKeysSecret: secretsmanager.Secret | null;
  /** Only when the config has an `imap` block: a support mailbox that is not on SES. */
  readonly imapFunction: NodejsFunction | null;
  /** One per mailbox block of the config (imap, graph, gmail), each on its own schedule. */
  readonly pollerFunctions: (MailboxPoller & { fn: NodejsFunction })[];
  /** The custom-resource Lambda that checks and switches the account's active receipt rule set. */
  readonly ruleSetFunction: NodejsFunction;
  readonly failedInvocations: sqs.Queue;
  /** Only when the config has chat.slack or chat.teams: posts the ticket events to those channels. */
  readonly chatFunction: NodejsFunction | null;
  /** The ticket events the chat function gave up on, or that SNS could not hand it. */
  readonly chatUndelivered: sqs.Queue | null;
  readonly alarmTopic: sns.Topic;
  readonly eventsTopic: sns.Topic;
  readonly ruleSetName: string;

  constructor(scope: Construct, id: string, props: TicketingStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const stage = STAGE_SETTINGS[settings.stage];
    // The deployed config is readable by whoever can read the Lambda or the stack's outputs.
    const web = props.ticketingConfig?.web as { linkKeys?: unknown; baseUrl?: unknown } | undefined;
    if (web?.linkKeys !== undefined) {
      throw new Error('ticketingConfig.web.linkKeys: a deployed stack keeps the link keys in Secrets Manager (the secret the stack makes, or yours named by web.linkKeysSecretArn), never inline: the configuration is readable in the Lambda and the stack outputs');
    }
    if (web?.baseUrl !== undefined) {
      throw new Error('ticketingConfig.web.baseUrl: the stack sets it to its HTTP API\'s address, or to https://<webDomain> with -c webDomain=… -c webCertificateArn=…');
    }
    // Fail synth, not the first mail, on a config the Lambdas would reject.
    const validated = validateLambdaConfig(settings, props.ticketingConfig);
    const chat = chatDeployment(validated.chat);
    Tags.of(this).add('app', 'ticketing');
    Tags.of(this).add('stage', settings.stage);
    // Names that must be unique per account and region carry the stack name, and so the stage.
    this.ruleSetName = `${this.stackName}-inbound`;
    const ruleName = `${this.stackName}-support`;

    // ------------------------------------------------------ receipt rule sets
    // One active receipt rule set per account and region: before anything that outlives a failed
    // deploy is created, the guard refuses when another stage's (or application's) set is active.
    this.ruleSetFunction = this.bundledFunction('RuleSetActivation', {
      entry: 'infra/rule-set-activation.ts',
      description: `Activates ${this.ruleSetName} and deactivates it on delete, only while it is the active set (CloudFormation custom resource)`,
      memorySize: 256,
      timeout: Duration.minutes(1),
      environment: {},
      logRetention: stage.logRetention,
      // A refused deploy must leave nothing behind, its log group included.
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });
    this.ruleSetFunction.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SwitchActiveReceiptRuleSet',
        // Neither action supports resource-level permissions: "*" is the only valid resource.
        actions: ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'],
        resources: ['*'],
      }),
    );
    const ruleSetResource = (resourceId: string, mode: 'guard' | 'activate', extra: Record<string, unknown> = {}) =>
      new CustomResource(this, resourceId, {
        serviceToken: this.ruleSetFunction.functionArn,
        resourceType: mode === 'guard' ? 'Custom::ReceiptRuleSetGuard' : 'Custom::ActiveReceiptRuleSet',
        properties: { Mode: mode, RuleSetName: this.ruleSetName, ReplaceActive: settings.replaceActiveRuleSet ?? '', ...extra },
        // A function that never answers fails the deploy after 5 minutes, not CloudFormation's hour.
        serviceTimeout: Duration.minutes(5),
      });
    const ruleSetGuard = ruleSetResource('ReceiptRuleSetGuard', 'guard');

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

    // Raw mail (inbound/ from SES, imap/, graph/ and gmail/ from the pollers) expires with the stage's retention: it is
    // read on arrival, for a replay or an audit. attachments/ and text/ (long bodies kept whole) are
    // part of the tickets, which live in the table without expiry: they are kept as long.
    const rawMail = (prefix: string): s3.LifecycleRule => ({
      id: `raw-mail-${prefix.replace(/\/$/, '')}`,
      prefix,
      transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
      expiration: Duration.days(stage.retentionDays),
    });
    this.bucket = new s3.Bucket(this, 'MailBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'mail-bucket/',
      lifecycleRules: [rawMail(INBOUND_PREFIX), rawMail(IMAP_PREFIX), rawMail(GRAPH_PREFIX), rawMail(GMAIL_PREFIX), { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      removalPolicy: stage.removalPolicy,
      autoDeleteObjects: settings.stage === 'dev',
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.pk, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sk, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_KEYS.ttl,
      // The AWS managed key (aws/dynamodb): KMS encryption at rest with no key to pay for or to
      // lock ourselves out of; access stays governed by IAM (Control Tower CT.DYNAMODB.PR.2).
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: settings.stage === 'prod',
      removalPolicy: stage.removalPolicy,
    });
    for (const index of [TABLE_KEYS.byRequester, TABLE_KEYS.openByActivity, TABLE_KEYS.byActivity]) {
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
    for (const retained of [accessLogs, this.bucket, this.table, topicKey]) retained.node.addDependency(ruleSetGuard);
    // Only our alarms, only in this account: CloudWatch → SNS as the SNS and KMS guides document
    // it (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html, "Allow
    // CloudWatch alarms …", and https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html,
    // "compatibility with AWS services": an encrypted topic needs the key grant as well).
    const ourAlarms = `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:${this.stackName}-*`;
    const fromOurAlarms = { StringEquals: { 'aws:SourceAccount': this.account }, ArnLike: { 'aws:SourceArn': ourAlarms } };
    const cloudwatch_ = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'AllowCloudWatchAlarmsToPublish', principals: [cloudwatch_], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'], conditions: fromOurAlarms }),
    );
    // Grants only for AWS services acting for AWS resources (Control Tower CT.KMS.PR.3); SNS needs none.
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyGrantsExceptForAwsServices',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
    // enforceSSL writes a topic policy, which replaces SNS's default one: without this Allow it
    // holds only the TLS Deny, and no alarm could ever be delivered.
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: `Ticketing alarms (${settings.stage})`, masterKey: topicKey, enforceSSL: true });
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'AllowCloudWatchAlarmsToPublish', principals: [cloudwatch_], actions: ['sns:Publish'], resources: [this.alarmTopic.topicArn], conditions: fromOurAlarms }),
    );
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

    // -------------------------------------------------------------- link keys
    // They sign the status links in our mail and the form tokens (src/domain/status-link.ts): one
    // random 64-character key to begin with; rotation is by hand, see infra/README.md.
    const givenSecretArn = givenLinkKeysSecretArn(props.ticketingConfig);
    this.linkKeysSecret = givenSecretArn
      ? null
      : new secretsmanager.Secret(this, 'LinkKeys', {
          description: `Ticketing (${settings.stage}): the keys that sign status links and form tokens, one per line, newest first, each at least 32 characters`,
          generateSecretString: { passwordLength: 64, excludePunctuation: true },
          removalPolicy: stage.removalPolicy,
        });
    // Retained in prod: created only once the guard has let the deploy through.
    this.linkKeysSecret?.node.addDependency(ruleSetGuard);
    const linkKeyGrantArns = givenSecretArn ? secretGrantArns(givenSecretArn) : [this.linkKeysSecret!.secretArn];

    // ---------------------------------------------------------------- compute
    const identity = new ses.EmailIdentity(this, 'DomainIdentity', { identity: ses.Identity.domain(settings.domain) });
    // A second stage on the same domain would fail here with "already exists"; the guard says why first.
    identity.node.addDependency(ruleSetGuard);
    const configJson = this.toJsonString(
      lambdaConfigInput(
        settings,
        {
          tableName: this.table.tableName,
          bucket: this.bucket.bucketName,
          snsTopicArn: this.eventsTopic.topicArn,
          linkKeysSecretArn: givenSecretArn ?? this.linkKeysSecret!.secretArn,
        },
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
      stage: settings.stage,
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });
    this.httpFunction = this.ticketingFunction('Http', {
      entry: 'src/aws/lambda/http.ts',
      description: 'The web surface: request form, status pages and REST API (API Gateway HTTP API → here)',
      // A form or API request runs the inbound pipeline on the mail it makes (MIME composed and
      // parsed, attachments to S3, DynamoDB, SES, SNS): the inbound function's memory and CPU share.
      memorySize: 1024,
      // API Gateway gives up on an HTTP API integration after 30 s: the function stops first.
      timeout: Duration.seconds(29),
      // No reserved concurrency: the stage's throttle (webThrottleRate/Burst) bounds the load, and a
      // new account's concurrency quota of 10 could not spare one.
      configJson,
      stage: settings.stage,
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
      stage: settings.stage,
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });

    // The support mailboxes that are not on SES: one poller function and schedule each.
    const pollers = mailboxPollers(props.ticketingConfig);
    const pollerSecretArns = new Map<NodejsFunction, string[]>();
    this.pollerFunctions = pollers.map((p) => {
      const fn = this.ticketingFunction(`${p.id}Poller`, {
        entry: p.entry,
        description: p.description,
        // One batch (the source's batchSize, default 50) of parses like the inbound function's;
        // one poller at a time per mailbox (the store's lock enforces it too). 0 turns the
        // reservation off: a new account's concurrency quota of 10 cannot spare it.
        memorySize: 1024,
        timeout: Duration.minutes(5),
        ...(settings.imapConcurrency > 0 ? { reservedConcurrentExecutions: settings.imapConcurrency } : {}),
        configJson,
        stage: settings.stage,
        logRetention: stage.logRetention,
        removalPolicy: stage.removalPolicy,
      });
      const grants = secretGrantArns(p.secretArn);
      pollerSecretArns.set(fn, grants);
      fn.addToRolePolicy(new iam.PolicyStatement({ sid: `Read${p.id}Credentials`, actions: ['secretsmanager:GetSecretValue'], resources: grants }));
      return { ...p, fn };
    });
    this.imapFunction = this.pollerFunctions.find((p) => p.kind === 'imap')?.fn ?? null;
    if (settings.imapSecretKmsKeyArn && !pollers.length) {
      throw new Error('context "imapSecretKmsKeyArn" is set, but ticketingConfig has no imap, graph or gmail block: there is no mailbox secret for the key to decrypt');
    }
    if (settings.imapSecretKmsKeyArn) {
      for (const p of this.pollerFunctions) {
        // A customer-managed key on the secret: Secrets Manager decrypts with the caller's rights.
        p.fn.addToRolePolicy(
          new iam.PolicyStatement({
            sid: `Decrypt${p.id}Credentials`,
            actions: ['kms:Decrypt'],
            resources: [settings.imapSecretKmsKeyArn],
            conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${p.secretArn.split(':')[3]}.amazonaws.com` } },
          }),
        );
      }
    }
    const graphSender = graphSendMailSecret(props.ticketingConfig);
    if (graphSender) {
      // Our mail goes out through Graph's sendMail: every function that sends needs the app's credentials.
      const grants = secretGrantArns(graphSender);
      const graphPoller = this.pollerFunctions.find((p) => p.kind === 'graph')?.fn;
      for (const fn of this.ticketingFunctions().filter((f) => f !== graphPoller)) {
        fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadGraphSendMailCredentials', actions: ['secretsmanager:GetSecretValue'], resources: grants }));
        pollerSecretArns.set(fn, [...(pollerSecretArns.get(fn) ?? []), ...grants]);
      }
    }

    for (const fn of this.ticketingFunctions()) {
      // API Gateway invokes the HTTP function synchronously: the caller gets the error and may
      // try again; Lambda's async retries and the dead-letter queue never see those invokes.
      if (fn !== this.httpFunction) {
        fn.configureAsyncInvoke(
          this.pollerFunctions.some((p) => p.fn === fn)
            ? // The next poll is a minute away and the mailbox keeps the mail: a throttled or failed
              // poll is dropped (no retry, gone after a minute) rather than queued behind the lock for
              // hours. A failing mailbox pages once through ImapPollFailingAlarm, not per minute.
              { retryAttempts: 0, maxEventAge: Duration.minutes(1) }
            : { retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(this.failedInvocations) },
        );
      }
      this.table.grantReadWriteData(fn);
      // Only our own address, only through our verified domain. Each mail's envelope sender (the
      // SES Source, where bounces go) is a plus-address of it with a random token, support+b-…@.
      // In the SES sandbox, SES also authorizes each recipient's identity, which this statement
      // does not name: sends fail with AccessDenied until production access (MailNotSent alarm).
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
    // The functions that run the inbound pipeline: on received mail, on polled mail, on web mail.
    for (const fn of this.pipelineFunctions()) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadWriteMailObjects',
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
          resources: [this.bucket.arnForObjects('*')],
        }),
      );
      fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'ListMailBucket', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
      this.eventsTopic.grantPublish(fn);
      // Read at cold start (src/aws/link-keys.ts): the HTTP function signs and checks links, the
      // other two put status links in their acknowledgements. Nothing else may read the keys.
      fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadLinkKeys', actions: ['secretsmanager:GetSecretValue'], resources: linkKeyGrantArns }));
    }

    // ------------------------------------------------------------------- chat
    // With chat.slack or chat.teams: a function subscribed to the ticket events posts each one to
    // the channels (src/aws/lambda/chat.ts). Its secrets are the only ones it may read.
    this.chatFunction = null;
    this.chatUndelivered = null;
    const chatSecretGrants = new Map<NodejsFunction, string[]>();
    if (chat) {
      this.chatUndelivered = new sqs.Queue(this, 'ChatUndelivered', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy: stage.removalPolicy,
      });
      const fn = this.bundledFunction('Chat', {
        entry: 'src/aws/lambda/chat.ts',
        description: 'Posts ticket events to the Slack and Microsoft Teams channels (ticket-events topic → here)',
        // JSON in, one or two HTTPS posts out: no mail is parsed here.
        memorySize: 256,
        // Every channel may wait out its whole retry budget (chat.retrySeconds) within one invoke.
        timeout: Duration.seconds(chat.timeoutSeconds),
        environment: { TICKETING_CONFIG: configJson, [STAGE_VARIABLE]: settings.stage },
        logRetention: stage.logRetention,
        logRemovalPolicy: stage.removalPolicy,
      });
      // A post Slack or Teams asked us to retry later fails the invoke: two retries (about 1 and 3
      // minutes later), then the event waits in the queue. Past an hour a post is old news.
      fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1), onFailure: new SqsDestination(this.chatUndelivered) });
      // SNS keeps an event it could not hand to the function at all (its permission or the function gone) in the same queue.
      this.eventsTopic.addSubscription(new subscriptions.LambdaSubscription(fn, { deadLetterQueue: this.chatUndelivered }));
      // Only the chat items (src/aws/dynamo-chat.ts): the post claims and the Slack threads, by key.
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadWriteChatPosts',
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          resources: [this.table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['H#*'] } },
        }),
      );
      const grants = chat.secretArns.flatMap(secretGrantArns);
      fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadChatSecrets', actions: ['secretsmanager:GetSecretValue'], resources: grants }));
      chatSecretGrants.set(fn, grants);
      if (chat.slackSecretArn) {
        // The HTTP app checks the signature of Slack's button presses and /ticket commands with the
        // signing secret, and looks up who pressed them with the bot token.
        const slackGrants = secretGrantArns(chat.slackSecretArn);
        this.httpFunction.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadSlackSecret', actions: ['secretsmanager:GetSecretValue'], resources: slackGrants }));
        chatSecretGrants.set(this.httpFunction, slackGrants);
      }
      this.chatFunction = fn;
    }

    // -------------------------------------------------------------------- web
    // An HTTP API (payload format 2.0) with one $default route: every path goes to the Hono app,
    // which authenticates per route itself (API keys, signed links; the form is public).
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `${this.stackName}-web`,
      description: `Ticketing web surface (${settings.stage}): request form, status pages, REST API`,
      defaultIntegration: new HttpLambdaIntegration('HttpFunction', this.httpFunction, { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0 }),
      // Ours below, with throttling and access logs.
      createDefaultStage: false,
    });
    const webAccessLogs = new logs.LogGroup(this, 'HttpAccessLogs', { retention: stage.logRetention, removalPolicy: stage.removalPolicy });
    const webStage = new apigwv2.HttpStage(this, 'HttpDefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      // Bounds what a flood of form posts or API calls can put on the function, DynamoDB and SES
      // quotas; above it API Gateway answers 429 without invoking anything.
      throttle: { rateLimit: settings.webThrottleRate, burstLimit: settings.webThrottleBurst },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(webAccessLogs), format: AccessLogFormat.custom(JSON.stringify(WEB_ACCESS_LOG_FORMAT)) },
    });
    let webDomainName: apigwv2.DomainName | null = null;
    if (settings.webDomain && settings.webCertificateArn) {
      webDomainName = new apigwv2.DomainName(this, 'WebDomain', {
        domainName: settings.webDomain,
        certificate: acm.Certificate.fromCertificateArn(this, 'WebCertificate', settings.webCertificateArn),
        endpointType: apigwv2.EndpointType.REGIONAL,
        securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
      });
      new apigwv2.ApiMapping(this, 'WebDomainMapping', { api: this.httpApi, domainName: webDomainName, stage: webStage });
    }
    // Where links in our mail point: a token (the API's address exists once it is deployed), so an
    // environment variable next to TICKETING_CONFIG rather than part of it.
    const webBaseUrl = settings.webDomain ? `https://${settings.webDomain}` : this.httpApi.apiEndpoint;
    for (const fn of this.pipelineFunctions()) fn.addEnvironment(WEB_BASE_URL_VARIABLE, webBaseUrl);
    // Chat messages link to the ticket's page in the staff console.
    this.chatFunction?.addEnvironment(WEB_BASE_URL_VARIABLE, webBaseUrl);

    // ---------------------------------------------------------------- inbound
    const ruleArn = `arn:${this.partition}:ses:${this.region}:${this.account}:receipt-rule-set/${this.ruleSetName}:receipt-rule/${ruleName}`;

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

    const ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: this.ruleSetName });
    const rule = new ses.ReceiptRule(this, 'SupportRule', {
      ruleSet,
      receiptRuleName: ruleName,
      // The support address, not the domain. The SES Developer Guide, "Creating receipt rules"
      // (https://docs.aws.amazon.com/ses/latest/DeveloperGuide/receiving-email-receipt-rules.html),
      // on a recipient condition naming an address: "This will match any form of the address
      // with a label. Addresses that contain labels are of the form user+label@example.com".
      // So support@ also receives every plus form we hand out: ticket replies to
      // support+tkt-42@ and the bounces that come back to each mail's envelope sender
      // support+b-<20 hex>@. Mail for any other address of the domain matches no rule and is
      // rejected during the SMTP conversation (not stored, not billed: "Amazon SES will only
      // accept incoming messages for which at least one receipt rule matches the recipient",
      // https://aws.amazon.com/ses/faqs/).
      recipients: [settings.supportAddress],
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

    // Makes our set the active one (again on every update that touches the rule, so a deploy
    // re-applies it), refusing to replace another stage's set; on delete, deactivates it only while
    // it is still the active one. See infra/rule-set-activation.ts.
    const activeRuleSet = ruleSetResource('ActivateRuleSet', 'activate', { RuleName: ruleName, Recipients: [settings.supportAddress] });
    activeRuleSet.node.addDependency(rule);

    // --------------------------------------------------------------- schedule
    for (const p of this.pollerFunctions) {
      new scheduler.Schedule(this, `${p.id}PollSchedule`, {
        description: `${p.label} poll of the support mailbox, every minute`,
        schedule: scheduler.ScheduleExpression.rate(Duration.minutes(1)),
        // A missed minute is made up by the next poll: no retries, no pile-up behind the lock.
        target: new schedulerTargets.LambdaInvoke(p.fn, { retryAttempts: 0, deadLetterQueue: this.failedInvocations }),
      });
    }
    // EventBridge Scheduler runs this at the local wall-clock hour. On the day daylight saving time
    // starts, an hour inside the skipped interval (02:00 in Europe/Amsterdam) does not exist, so a
    // schedule at that hour is skipped once a year: choose an hour outside it (the app warns).
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
    const skipped = skippedScheduleDays(settings.timeZone, settings.scheduleHour, new Date().getUTCFullYear());
    if (skipped.length) {
      Annotations.of(this).addWarningV2(
        'ticketing:schedule-hour-in-dst-gap',
        `scheduleHour ${settings.scheduleHour}:00 does not exist in ${settings.timeZone} on ${skipped.join(', ')} (daylight saving time starts): the stale job and digest skip that day. Choose another -c scheduleHour.`,
      );
    }

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
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string, periods: { evaluationPeriods: number; datapointsToAlarm: number } = { evaluationPeriods: 1, datapointsToAlarm: 1 }) => {
      const a = new cloudwatch.Alarm(this, `${id}Alarm`, {
        // The stack name prefixes every alarm name: the alarm topic lets exactly these publish.
        alarmName: `${this.stackName}-${id}`,
        metric,
        threshold: 1,
        ...periods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(new cwActions.SnsAction(this.alarmTopic));
      return a;
    };
    /** A Ticketing metric summed over the Lambdas that publish it, for this stage only. */
    const ticketingMetric = (metricName: string, services: string[], period: Duration): cloudwatch.IMetric => {
      const metrics = services.map(
        (service) => new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service, stage: settings.stage }, statistic: 'Sum', period }),
      );
      if (metrics.length === 1) return metrics[0]!;
      return new cloudwatch.MathExpression({
        expression: metrics.map((_, i) => `FILL(m${i}, 0)`).join(' + '),
        usingMetrics: Object.fromEntries(metrics.map((m, i) => [`m${i}`, m])),
        label: metricName,
        period,
      });
    };
    const withImap = (services: string[]) => [...services, ...this.pollerFunctions.map((p) => METRIC_SERVICES[p.kind])];

    // Both stages. An alarm notifies on entering ALARM only, so a backlog metric (messages
    // visible) would stay in ALARM after the first failure and never tell of a second. This one
    // counts messages *arriving* in the queue per 5 minutes: a quiet period (missing data, not
    // breaching) returns it to OK, and the next failure notifies again.
    alarm(
      'FailedInvocations',
      this.failedInvocations.metricNumberOfMessagesSent({ period: Duration.minutes(5), statistic: 'Sum' }),
      'An invocation failed all retries (inbound mail, the stale job or a schedule): see the FailedInvocations queue, then replay.',
    );
    alarm(
      'Quarantined',
      ticketingMetric('Quarantined', withImap([METRIC_SERVICES.inbound]), Duration.minutes(15)),
      'Inbound mail was quarantined (kept unprocessed with a reason): `ticketing quarantine` lists it.',
    );
    alarm(
      'MailNotSent',
      ticketingMetric('MailNotSent', withImap([METRIC_SERVICES.inbound, METRIC_SERVICES.stale]), Duration.minutes(15)),
      'Mail we sent was refused (failed) or may not have gone out (unconfirmed): `ticketing tickets` and the digest list it. ' +
        'In the SES sandbox every mail to an unverified address is refused: request production access.',
    );
    for (const p of this.pollerFunctions) {
      // Once per outage: 5 failed or dropped polls within 10 minutes, not one page per minute.
      const errors = p.fn.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' });
      const dropped = p.fn.metric('AsyncEventsDropped', { period: Duration.minutes(1), statistic: 'Sum' });
      alarm(
        `${p.id}PollFailing`,
        new cloudwatch.MathExpression({ expression: 'FILL(errors, 0) + FILL(dropped, 0)', usingMetrics: { errors, dropped }, label: 'failed or dropped polls', period: Duration.minutes(1) }),
        `The ${p.label} poller has been failing (or its polls dropped) for 5 of the last 10 minutes: ${p.check}; mail waits in the mailbox.`,
        { evaluationPeriods: 10, datapointsToAlarm: 5 },
      );
    }
    if (this.chatFunction && this.chatUndelivered) {
      alarm(
        'ChatUndelivered',
        this.chatUndelivered.metricNumberOfMessagesSent({ period: Duration.minutes(5), statistic: 'Sum' }),
        'A ticket event reached no chat channel after its retries (Slack or Teams kept asking us to wait, or a secret cannot be read): see the ChatUndelivered queue and the Chat function\'s log.',
      );
      alarm(
        'ChatPostsFailed',
        ticketingMetric('ChatFailed', [METRIC_SERVICES.chat], Duration.minutes(15)),
        'Slack or Teams refused a post for good (a removed webhook or workflow, a revoked bot token, the app not in the channel): the Chat function\'s log says which channel and why.',
      );
    }
    // Prod only: every function error pages. In dev they are routine while iterating, and
    // whatever fails for good still reaches the FailedInvocations alarm above.
    if (stage.functionErrorAlarms) {
      alarm('InboundErrors', this.inboundFunction.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), 'The inbound Lambda failed (it will be retried).');
      alarm('StaleErrors', this.staleFunction.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), 'The stale-ticket job failed.');
      if (this.chatFunction) {
        alarm('ChatErrors', this.chatFunction.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), 'The chat Lambda failed (a post to retry later, or a secret it cannot read); Lambda retries it twice.');
      }
      // The web app answers its own failures with 503 and a function that fails or times out
      // becomes a 500/503 of API Gateway: both are server errors of the stage.
      alarm(
        'WebServerErrors',
        webStage.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
        'The web surface (form, status pages, API) answered with a server error (5xx): see the HTTP function\'s log and the HttpAccessLogs log group.',
      );
    }

    // ---------------------------------------------------------------- outputs
    new CfnOutput(this, 'MxRecord', { value: `10 inbound-smtp.${this.region}.amazonaws.com`, description: `MX record for ${settings.domain}` });
    identity.dkimRecords.forEach((record, i) =>
      new CfnOutput(this, `DkimRecord${i + 1}`, { value: `${record.name} CNAME ${record.value}`, description: 'Easy DKIM CNAME record' }),
    );
    new CfnOutput(this, 'InboundLogGroup', { value: this.inboundFunction.logGroup.logGroupName, description: 'aws logs tail <this> --follow' });
    new CfnOutput(this, 'MailBucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    // What `ticketing --stack NAME` reads: the configuration the Lambdas run with (no secrets in it).
    new CfnOutput(this, 'TicketingConfig', { value: configJson, description: 'The TICKETING_CONFIG of the Lambdas, for the ticketing CLI (--stack)' });
    new CfnOutput(this, 'TicketEventsTopicArn', { value: this.eventsTopic.topicArn });
    new CfnOutput(this, 'FailedInvocationsQueueUrl', { value: this.failedInvocations.queueUrl });
    if (this.chatFunction && this.chatUndelivered) {
      new CfnOutput(this, 'ChatLogGroup', { value: this.chatFunction.logGroup.logGroupName, description: 'The chat function\'s log: one line per event and channel (aws logs tail <this> --follow)' });
      new CfnOutput(this, 'ChatUndeliveredQueueUrl', { value: this.chatUndelivered.queueUrl, description: 'Ticket events that reached no chat channel' });
    }
    new CfnOutput(this, 'ReceiptRuleSetName', { value: this.ruleSetName, description: 'The active receipt rule set of this stage' });
    new CfnOutput(this, 'WebUrl', { value: webBaseUrl, description: 'The request form, status pages and REST API (/api/v1); links in our mail point here' });
    new CfnOutput(this, 'HttpApiUrl', { value: this.httpApi.apiEndpoint, description: 'The HTTP API\'s own address (execute-api)' });
    if (webDomainName) {
      new CfnOutput(this, 'WebDomainTarget', {
        value: `${settings.webDomain} CNAME ${webDomainName.regionalDomainName}`,
        description: 'DNS record for the web domain (or a Route 53 alias to the regional domain name)',
      });
    }
    new CfnOutput(this, 'LinkKeysSecretArn', { value: givenSecretArn ?? this.linkKeysSecret!.secretArn, description: 'The link-signing keys (one per line, newest first): rotate as infra/README.md says' });

    this.giveProviderLogsRetention(stage.logRetention);
    this.suppressFindings(settings.stage, pollerSecretArns, linkKeyGrantArns, chatSecretGrants);
  }

  private ticketingFunction(
    id: string,
    o: FunctionShape & { configJson: string; stage: TicketingSettings['stage']; removalPolicy: RemovalPolicy },
  ): NodejsFunction {
    return this.bundledFunction(id, {
      ...o,
      // TICKETING_STAGE: the `stage` dimension of the Lambdas' metrics (src/aws/lambda-metrics.ts).
      environment: { TICKETING_CONFIG: o.configJson, [STAGE_VARIABLE]: o.stage },
      logRemovalPolicy: o.removalPolicy,
      lazyPackages: true, // they parse mail: charset packages beside the bundle, loaded when a mail needs them
    });
  }

  private bundledFunction(
    id: string,
    o: FunctionShape & { environment: Record<string, string>; logRemovalPolicy: RemovalPolicy; lazyPackages?: boolean },
  ): NodejsFunction {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: o.logRetention, removalPolicy: o.logRemovalPolicy });
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
      environment: { ...o.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: lambdaBundling({ lazyPackages: o.lazyPackages ?? false }),
    });
  }

  /**
   * The S3 auto-delete provider (dev buckets) is a CDK singleton Lambda whose log group Lambda
   * would create on first use, with no retention. Point it at one of ours that expires. (The
   * rule-set function has its own from bundledFunction.)
   */
  private giveProviderLogsRetention(retention: logs.RetentionDays) {
    const provider = this.node.tryFindChild(AUTO_DELETE_PROVIDER_ID);
    if (!provider) return;
    const logGroup = new logs.LogGroup(this, 'AutoDeleteObjectsLogs', { retention, removalPolicy: RemovalPolicy.DESTROY });
    (provider.node.findChild('Handler') as CfnResource).addPropertyOverride('LoggingConfig', { LogGroup: logGroup.logGroupName });
  }

  /**
   * cdk-nag 3 and cfn-guard acknowledgements (CDK's Validations API; cdk-nag 3 has no
   * NagSuppressions). Each names the exact finding, `Rule[finding]` for cdk-nag and
   * `cdk-validator-cfnguard::<rule>` for the Control Tower rules, on the narrowest construct, so
   * a new finding elsewhere is a new, failing one. Every one carries its reason; the tests and
   * `cdk synth` fail on anything unacknowledged.
   */
  private suppressFindings(stageName: TicketingSettings['stage'], pollerSecretArns: Map<NodejsFunction, string[]>, linkKeyGrantArns: string[], chatSecretGrants: Map<NodejsFunction, string[]>) {
    const lid = (c: IConstruct) => this.getLogicalId(c.node.defaultChild as CfnElement);
    const guard = (scope: IConstruct, rule: string, reason: string) => Validations.of(scope).acknowledge({ id: `${GUARD_PLUGIN}::${rule}`, reason });
    const basicExecution = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
    const basicExecutionReason =
      'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch Logs streams; it is the AWS-maintained minimum for that.';
    const runtimeReason =
      'Pinned to nodejs22.x on purpose (the code is built and tested for Node 20/22, engines >=20); moving to nodejs24.x is a tested change, not an automatic one.';
    for (const fn of this.ticketingFunctions()) {
      Validations.of(fn).acknowledge(
        { id: basicExecution, reason: basicExecutionReason },
        {
          id: `AwsSolutions-IAM5[Resource::<${lid(this.table)}.Arn>/index/*]`,
          reason: 'grantReadWriteData covers the table\'s three GSIs (byRequester, openByActivity, byActivity) as <table>/index/*; actions are the explicit DynamoDB item actions, no wildcard action.',
        },
        { id: 'AwsSolutions-L1', reason: runtimeReason },
      );
    }
    for (const fn of this.pipelineFunctions()) Validations.of(fn).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${lid(this.bucket)}.Arn>/*]`,
        reason: 'Mail object keys (inbound/<SES message id>, imap/, web/ and api/ mail, quarantine, attachments) are not known in advance; actions are explicit (GetObject, PutObject, AbortMultipartUpload).',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: 'Publishing to the KMS-encrypted ticket-events topic needs a data key; grantPublish scopes it to the one topic key.',
      },
    );
    for (const arn of linkKeyGrantArns.filter((a) => a.endsWith('-??????'))) {
      for (const fn of this.pipelineFunctions()) {
        Validations.of(fn).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${arn}]`,
          reason: 'The link-key secret was given as a partial ARN (no 6-character suffix): IAM matches the secret only as <name>-??????, that is with exactly one random suffix.',
        });
      }
    }
    for (const [fn, arns] of pollerSecretArns) {
      for (const arn of arns.filter((a) => a.endsWith('-??????'))) {
        Validations.of(fn).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${arn}]`,
          reason: 'The mailbox secret was given as a partial ARN (no 6-character suffix): IAM matches the secret only as <name>-??????, that is with exactly one random suffix.',
        });
      }
    }
    for (const [fn, arns] of chatSecretGrants) {
      for (const arn of arns.filter((a) => a.endsWith('-??????'))) {
        Validations.of(fn).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${arn}]`,
          reason: 'The chat secret was given as a partial ARN (no 6-character suffix): IAM matches the secret only as <name>-??????, that is with exactly one random suffix.',
        });
      }
    }
    if (this.chatFunction) {
      Validations.of(this.chatFunction).acknowledge(
        { id: basicExecution, reason: basicExecutionReason },
        { id: 'AwsSolutions-L1', reason: runtimeReason },
      );
    }
    if (this.chatUndelivered) {
      Validations.of(this.chatUndelivered).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself the dead-letter queue of the chat function (its failed invokes) and of its subscription to the ticket-events topic.',
      });
    }
    if (this.linkKeysSecret) {
      Validations.of(this.linkKeysSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The link keys are HMAC keys our own code reads, not a service credential a rotation Lambda could reset: they rotate by hand (only the first key signs, every one is accepted), a new key added last, moved in front a day later and the old one dropped once the links it signed have expired (web.statusLinkDays), as infra/README.md describes.',
      });
    }
    // One $default route hands every request to the Hono app, which authenticates per route:
    // hashed API keys for /api/v1, signed expiring tokens for status pages, none for the form.
    const defaultRoute = this.httpApi.node.findChild('DefaultRoute');
    const appAuthenticates =
      'the app behind the $default route authenticates each request itself: /api/v1 with hashed API keys (Authorization: Bearer), status pages with signed, expiring tokens, and the request form and /healthz are public by design (throttled per stage, and per sender and client in the app). An API Gateway authorizer could not express "public form, keyed API, signed links" on one route.';
    Validations.of(defaultRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: `The route has no API Gateway authorizer on purpose: ${appAuthenticates}` });
    guard(defaultRoute, 'api_gw_v2_authorization_type_configured_check', `CT.APIGATEWAY.PR.5: ${appAuthenticates}`);
    guard(
      defaultRoute.node.findChild('HttpFunction-Permission'),
      'lambda_function_public_access_prohibited_check',
      'CT.LAMBDA.PR.2: the permission lets only API Gateway invoke, with SourceArn naming this HTTP API (arn:…:execute-api:<region>:<account>:<api id>/*/*); the rule cannot evaluate it because the ARN is a CloudFormation intrinsic (Fn::Join), as the plugin documents.',
    );
    Validations.of(this.staleFunction).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: 'The sweep publishes ticket events a delivery planned to the KMS-encrypted topic; grantPublish scopes the data key to the one topic key.',
    });
    Validations.of(this.ruleSetFunction).acknowledge(
      { id: basicExecution, reason: `${basicExecutionReason} (the receipt rule set custom resource)` },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ses:DescribeActiveReceiptRuleSet and ses:SetActiveReceiptRuleSet support no resource-level permissions; "*" is the only valid resource, and they are the only actions granted.',
      },
      { id: 'AwsSolutions-L1', reason: runtimeReason },
    );
    for (const schedulerRole of this.node.children.filter((c) => c.node.id.startsWith('SchedulerRoleForTarget'))) {
      for (const fn of [this.staleFunction, ...this.pollerFunctions.map((p) => p.fn)]) {
        Validations.of(schedulerRole).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${lid(fn)}.Arn>:*]`,
          reason: 'The Scheduler target role may invoke its scheduled function and that function\'s versions/aliases (<arn>:*); it can invoke nothing else.',
        });
      }
    }

    // ---- cfn-guard, AWS Control Tower proactive controls
    const autoDeleteProvider = this.node.tryFindChild(AUTO_DELETE_PROVIDER_ID);
    const allFunctions = [...this.ticketingFunctions(), this.ruleSetFunction, ...(autoDeleteProvider ? [autoDeleteProvider] : [])];
    for (const fn of allFunctions) {
      guard(
        fn,
        'lambda_inside_vpc_check',
        'CT.LAMBDA.PR.3: the functions call only public AWS APIs (S3, DynamoDB, SES, SNS, Secrets Manager) and, for IMAP, a public mail host; a VPC would need NAT gateways (~$32/month each) or five interface endpoints for no reachable private resource.',
      );
    }
    if (this.chatFunction) {
      guard(
        this.chatFunction,
        'lambda_inside_vpc_check',
        'CT.LAMBDA.PR.3: the chat function calls DynamoDB, Secrets Manager and the public Slack and Microsoft Teams endpoints; a VPC would need a NAT gateway (~$32/month) to reach them, for no reachable private resource.',
      );
    }
    for (const logGroup of this.node.findAll().filter((c): c is logs.LogGroup => c instanceof logs.LogGroup)) {
      guard(
        logGroup,
        'cloudwatch_log_group_encrypted_check',
        'CT.CLOUDWATCH.PR.3: CloudWatch Logs encrypts every log group at rest by default; our logs carry outcomes, ticket ids and masked addresses (src/aws/redact.ts), never bodies, so a customer-managed key ($1/month, a key policy for logs.<region>) adds cost, not protection.',
      );
      if (stageName === 'dev') {
        guard(logGroup, 'cloudwatch_log_group_retention_period_check', 'CT.CLOUDWATCH.PR.2: dev keeps logs one month on purpose (debugging aid for a stage that holds test mail); prod keeps them one year.');
      }
    }
    for (const bucket of [this.bucket, this.node.findChild('AccessLogs') as s3.Bucket]) {
      guard(
        bucket,
        's3_bucket_default_encryption_kms_check',
        'CT.S3.PR.10: SSE-S3 encrypts at rest; access is decided by IAM and the TLS-only bucket policy, not by a key. S3 server access logs can only be delivered to an SSE-S3 bucket, and the SES receipt rule would need a key grant to write raw mail.',
      );
      guard(
        bucket,
        's3_bucket_versioning_enabled_check',
        'CT.S3.PR.11: objects are written once under unique keys (SES message id, content hash) and never overwritten or deleted by the pipeline; only the lifecycle expires them, and versioning would keep every expired raw mail as a noncurrent version.',
      );
      guard(
        bucket,
        's3_event_notifications_enabled_check',
        'CT.S3.PR.4: the SES receipt rule invokes the inbound Lambda itself after storing the mail; an S3 event would deliver every mail twice.',
      );
      guard(
        bucket,
        's3_bucket_object_lock_enabled_check',
        'CT.S3.PR.9: the stage retention must be able to expire raw mail and access logs (and a person must be able to erase a requester\'s mail); Object Lock would forbid both.',
      );
    }
    guard(this.node.findChild('AccessLogs'), 's3_bucket_logging_enabled_check', 'CT.S3.PR.2: this is the access-log bucket itself; logging it into itself would loop.');
    guard(this.failedInvocations, 'sqs_dlq_check', 'CT.SQS.PR.1: this queue is the dead-letter destination of the functions and schedules; a dead-letter queue for it would only move the same messages one hop further.');
    if (this.chatUndelivered) {
      guard(this.chatUndelivered, 'sqs_dlq_check', 'CT.SQS.PR.1: this queue is the dead-letter destination of the chat function and its topic subscription; a dead-letter queue for it would only move the same messages one hop further.');
    }
    guard(
      this.inboundFunction.node.findChild('AllowSesInvoke'),
      'lambda_function_public_access_prohibited_check',
      'CT.LAMBDA.PR.2: the permission names SourceAccount (this account) and SourceArn (our receipt rule); the rule cannot evaluate them because both are CloudFormation intrinsics (Ref AWS::AccountId, Fn::Join), as the plugin documents.',
    );
  }

  private ticketingFunctions(): NodejsFunction[] {
    return [this.inboundFunction, this.httpFunction, this.staleFunction, ...this.pollerFunctions.map((p) => p.fn)];
  }

  /** The functions that run the inbound pipeline (received, polled and web mail) and mail status links. */
  private pipelineFunctions(): NodejsFunction[] {
    return [this.inboundFunction, this.httpFunction, ...this.pollerFunctions.map((p) => p.fn)];
  }
}

/** A support mailbox the stack polls, from the config's imap, graph and gmail blocks. */
export interface MailboxPoller {
  kind: 'imap' | 'graph' | 'gmail';
  /** The construct ids' stem: ImapPoller, ImapPollSchedule, ImapPollFailing. */
  id: 'Imap' | 'Graph' | 'Gmail';
  label: string;
  entry: string;
  description: string;
  /** The credentials' secret, the only one the function may read. */
  secretArn: string;
  /** What the outage alarm tells the reader to check. */
  check: string;
}

interface MailboxBlocks {
  imap?: { password?: string; accessToken?: string; passwordSecretArn?: string; oauth2?: { clientSecret?: string; credentialsSecretArn?: string } };
  graph?: { sendMail?: boolean; app?: { clientSecret?: string; credentialsSecretArn?: string } };
  gmail?: { serviceAccountKeyFile?: string; serviceAccountSecretArn?: string };
}

/**
 * The pollers the config asks for. The deployed config is readable by whoever can read the Lambda
 * or the stack's outputs, so every credential must come from Secrets Manager, never inline.
 */
export function mailboxPollers(config: unknown): MailboxPoller[] {
  const { imap, graph, gmail } = (config ?? {}) as MailboxBlocks;
  const pollers: MailboxPoller[] = [];
  if (imap) {
    if (imap.password !== undefined || imap.accessToken !== undefined || imap.oauth2?.clientSecret !== undefined) {
      throw new Error('ticketingConfig.imap: a deployed stack takes the IMAP password from Secrets Manager (imap.passwordSecretArn, or imap.oauth2.credentialsSecretArn for an app), never inline (password, accessToken, oauth2.clientSecret): the configuration is readable in the Lambda and the stack outputs');
    }
    const secretArn = imap.passwordSecretArn ?? imap.oauth2?.credentialsSecretArn;
    if (secretArn) {
      pollers.push({ kind: 'imap', id: 'Imap', label: 'IMAP', entry: 'src/imap/lambda.ts', description: 'Polls the support mailbox over IMAP into the pipeline (every minute)', secretArn, check: 'check the mailbox login and host' });
    }
  }
  if (graph) {
    if (graph.app?.clientSecret !== undefined) {
      throw new Error('ticketingConfig.graph: a deployed stack takes the app\'s credentials from Secrets Manager (graph.app.credentialsSecretArn), never inline (graph.app.clientSecret): the configuration is readable in the Lambda and the stack outputs');
    }
    pollers.push({ kind: 'graph', id: 'Graph', label: 'Microsoft Graph', entry: 'src/graph/lambda.ts', description: 'Polls the Microsoft 365 support mailbox through Microsoft Graph into the pipeline (every minute)', secretArn: graph.app!.credentialsSecretArn!, check: 'check the app registration, its secret or certificate, and its access to the mailbox' });
  }
  if (gmail) {
    if (gmail.serviceAccountKeyFile !== undefined) {
      throw new Error('ticketingConfig.gmail: a deployed stack takes the service account key from Secrets Manager (gmail.serviceAccountSecretArn), never from a file (serviceAccountKeyFile): the Lambda has no such file and the key must not be in the bundle');
    }
    pollers.push({ kind: 'gmail', id: 'Gmail', label: 'Gmail API', entry: 'src/gmail/lambda.ts', description: 'Polls the Google Workspace support mailbox through the Gmail API into the pipeline (every minute)', secretArn: gmail.serviceAccountSecretArn!, check: 'check the service account key and its domain-wide delegation' });
  }
  return pollers;
}

/** The Graph app's secret when our mail goes out through Graph's sendMail (graph.sendMail). */
function graphSendMailSecret(config: unknown): string | null {
  const { graph } = (config ?? {}) as MailboxBlocks;
  return graph?.sendMail ? (graph.app?.credentialsSecretArn ?? null) : null;
}

/** The construct id of CDK's S3 auto-delete-objects provider singleton (dev buckets). */
const AUTO_DELETE_PROVIDER_ID = 'Custom::S3AutoDeleteObjectsCustomResourceProvider';

/**
 * What to grant for a Secrets Manager secret ARN. A complete ARN ends in the 6-character random
 * suffix Secrets Manager adds to the name (`…:secret:imap-support-AbCdEf`); a partial ARN
 * (`…:secret:imap-support`) matches no IAM resource exactly, so it is granted as `name-??????`
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html).
 * A partial ARN whose name itself ends in "-" and six letters or digits cannot be told apart: give
 * the complete ARN.
 */
export function secretGrantArns(arn: string): string[] {
  const name = arn.slice(arn.indexOf(':secret:') + ':secret:'.length);
  return /-[A-Za-z0-9]{6}$/.test(name) ? [arn] : [`${arn}-??????`];
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

/** What every bundled function of the stack is given. */
interface FunctionShape {
  entry: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  reservedConcurrentExecutions?: number;
  logRetention: logs.RetentionDays;
}
