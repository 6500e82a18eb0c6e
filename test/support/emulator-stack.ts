/**
 * The synthesized stack, stood up on moto without CloudFormation: moto's CloudFormation skips
 * several types and cannot run custom resources without Docker, so this reads the template and
 * makes each resource the Lambdas touch through the SDK with the template's properties (names as
 * CloudFormation would generate them, where the template gives none). A property it does not
 * know how to create fails the set-up, so the emulated stack never silently differs from the
 * template; resource types the Lambdas cannot reach (IAM, alarms, schedules, …) are listed, not
 * created.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateContinuousBackupsCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { CreateSecretCommand, GetRandomPasswordCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient, VerifyDomainIdentityCommand, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { buildApp } from '../../infra/app.js';
import { FEATURE_FLAGS } from '../../infra/flags.js';
import type { Moto } from './moto.js';

// ------------------------------------------------------------------------------------ synth

export interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  DependsOn?: string | string[];
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

export interface SynthesizedStack {
  stackName: string;
  template: CfnTemplate;
  /** Logical ids of the ticketing Lambdas (a mailbox poller's: null when the config has no block for it). */
  functions: { inbound: string; http: string; stale: string; imap: string | null; graph: string | null; gmail: string | null };
  /** Logical ids of the schedules on the stale function. */
  schedules: { stale: string; sweep: string };
  /** The directory cdk.out bundled a function into (index.mjs and its source map). */
  assetDir(logicalId: string): string;
}

/**
 * Synthesizes the CDK app as `cdk synth -c key=value …` would (infra/app.ts's buildApp, with
 * the context given, cdk-nag included), bundling the Lambdas with the local esbuild into outdir.
 */
export function synthTicketing(outdir: string, context: Record<string, unknown>): SynthesizedStack {
  const { app, stack } = buildApp(new App({ outdir, context: { ...FEATURE_FLAGS, ...context } }));
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const template = artifact.template as CfnTemplate;
  const lid = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  const stale = lid(stack.staleFunction);
  const poller = (kind: 'imap' | 'graph' | 'gmail') => {
    const p = stack.pollerFunctions.find((x) => x.kind === kind);
    return p ? lid(p.fn) : null;
  };
  // The stale function's schedules, told apart by the job their input names.
  const scheduleOf = (job: 'stale' | 'sweep') => {
    const ids = Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule' && JSON.stringify(r.Properties!.Target.Arn) === JSON.stringify({ 'Fn::GetAtt': [stale, 'Arn'] }))
      .filter(([, r]) => ((JSON.parse(String(r.Properties!.Target.Input)) as { detail?: { job?: string } }).detail?.job ?? 'stale') === job)
      .map(([id]) => id);
    if (ids.length !== 1) throw new Error(`expected one schedule of the ${job} job on the stale function, found ${ids.length}`);
    return ids[0]!;
  };
  return {
    stackName: stack.stackName,
    template,
    functions: { inbound: lid(stack.inboundFunction), http: lid(stack.httpFunction), stale, imap: poller('imap'), graph: poller('graph'), gmail: poller('gmail') },
    schedules: { stale: scheduleOf('stale'), sweep: scheduleOf('sweep') },
    assetDir(logicalId: string) {
      const fn = template.Resources[logicalId];
      if (fn?.Type !== 'AWS::Lambda::Function') throw new Error(`${logicalId} is not a Lambda function of ${stack.stackName}`);
      const key = String(fn.Properties!.Code.S3Key);
      const dir = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
      if (!existsSync(path.join(dir, 'index.mjs'))) throw new Error(`no bundled index.mjs for ${logicalId} in ${dir}`);
      return dir;
    },
  };
}

// ----------------------------------------------------------------------- the stack on moto

interface Physical {
  type: string;
  ref: string;
  attrs: Record<string, string>;
  /** Made in moto (false: only named, for ARNs in policies and events). */
  created: boolean;
}

/** Types whose resources the Lambdas cannot reach; they are named (for ARNs) but not created. */
const NAMED_ONLY = new Set(['AWS::IAM::Role', 'AWS::Lambda::Function', 'AWS::Logs::LogGroup', 'AWS::Scheduler::Schedule']);

const PROPERTIES: Record<string, { created: string[]; ignored: Record<string, string> }> = {
  'AWS::KMS::Key': {
    created: ['Description', 'KeyPolicy', 'EnableKeyRotation', 'Enabled', 'KeySpec', 'KeyUsage', 'Tags'],
    ignored: { PendingWindowInDays: 'applies only when the key is deleted' },
  },
  'AWS::SecretsManager::Secret': {
    created: ['Name', 'Description', 'SecretString', 'GenerateSecretString', 'KmsKeyId', 'Tags'],
    ignored: {},
  },
  // The HTTP API itself (its address is the Lambdas' TICKETING_WEB_BASE_URL); its routes,
  // integration and stage are API Gateway's side, which the tests stand in for with events.
  'AWS::ApiGatewayV2::Api': { created: ['Name', 'ProtocolType', 'Description', 'DisableExecuteApiEndpoint', 'Tags'], ignored: {} },
  'AWS::S3::Bucket': {
    created: [
      'BucketName',
      'BucketEncryption',
      'PublicAccessBlockConfiguration',
      'OwnershipControls',
      'LifecycleConfiguration',
      'LoggingConfiguration',
      'VersioningConfiguration',
      'Tags',
    ],
    ignored: {},
  },
  'AWS::S3::BucketPolicy': { created: ['Bucket', 'PolicyDocument'], ignored: {} },
  'AWS::DynamoDB::Table': {
    created: [
      'TableName',
      'AttributeDefinitions',
      'KeySchema',
      'GlobalSecondaryIndexes',
      'LocalSecondaryIndexes',
      'BillingMode',
      'ProvisionedThroughput',
      'StreamSpecification',
      'SSESpecification',
      'TableClass',
      'DeletionProtectionEnabled',
      'Tags',
      'TimeToLiveSpecification',
      'PointInTimeRecoverySpecification',
    ],
    ignored: {},
  },
  'AWS::SNS::Topic': { created: ['TopicName', 'DisplayName', 'KmsMasterKeyId', 'FifoTopic', 'Tags'], ignored: {} },
  'AWS::SNS::TopicPolicy': { created: ['Topics', 'PolicyDocument'], ignored: {} },
  'AWS::SQS::Queue': {
    created: [
      'QueueName',
      'MessageRetentionPeriod',
      'SqsManagedSseEnabled',
      'KmsMasterKeyId',
      'KmsDataKeyReusePeriodSeconds',
      'VisibilityTimeout',
      'DelaySeconds',
      'MaximumMessageSize',
      'ReceiveMessageWaitTimeSeconds',
      'RedrivePolicy',
      'FifoQueue',
      'Tags',
    ],
    ignored: {},
  },
  'AWS::SQS::QueuePolicy': { created: ['Queues', 'PolicyDocument'], ignored: {} },
  'AWS::SES::EmailIdentity': {
    created: ['EmailIdentity'],
    ignored: { Tags: 'SES v1 identities have no tags (the v2 API that has them has no client here)' },
  },
};

/** The order resources are made in: what a later one references comes first. */
const ORDER = Object.keys(PROPERTIES);

export interface StackOnMoto {
  stackName: string;
  /** Logical id → physical id (Ref) of everything created. */
  created: Record<string, { type: string; ref: string; attrs: Record<string, string> }>;
  /** Types in the template that were not created, with their logical ids. */
  notCreated: Record<string, string[]>;
  /** Where the emulated stack differs from the template, and why. */
  deviations: string[];
  /**
   * Evaluates Ref / Fn::GetAtt / Fn::Join / Fn::Sub against what was created. With createdOnly,
   * a reference to something that exists only as a name (a role, a function) throws.
   */
  resolve(value: unknown, opts?: { createdOnly?: boolean }): any;
  /** The physical name and ARN the stack gives a Lambda function (not created in moto). */
  functionName(logicalId: string): { name: string; arn: string };
  /**
   * Takes a variant of the same stack (another context, e.g. with an imap block) onto what was
   * created: every created resource must be defined identically in the variant, and the variant
   * must not add one that would need creating. Its functions, roles, … are named.
   */
  adopt(variant: CfnTemplate): void;
}

/** Creates the template's storage, messaging and identity resources in moto, in dependency order. */
export async function createStackOnMoto(synth: Pick<SynthesizedStack, 'stackName' | 'template'>, moto: Moto): Promise<StackOnMoto> {
  const { stackName, template } = synth;
  const { region, account } = moto;
  const clientOpts = { region, endpoint: moto.endpoint, credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' } };
  const dynamo = new DynamoDBClient(clientOpts);
  const s3 = new S3Client({ ...clientOpts, forcePathStyle: true });
  const sns = new SNSClient(clientOpts);
  const ses = new SESClient(clientOpts);
  const secrets = new SecretsManagerClient(clientOpts);
  const physical = new Map<string, Physical>();
  const notCreated: Record<string, string[]> = {};
  const deviations: string[] = [];
  // Logging names another bucket, whose policy must let the logging service write: set after the policies.
  const pendingLogging: { Bucket: string; logging: { DestinationBucketName: string; LogFilePrefix?: string } }[] = [];

  const pseudo: Record<string, string> = {
    'AWS::Region': region,
    'AWS::AccountId': account,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': stackName,
  };

  const resolve = (value: unknown, opts: { createdOnly?: boolean } = {}): any => {
    const lookup = (id: string): Physical => {
      const p = physical.get(id);
      if (!p) {
        const type = template.Resources[id]?.Type ?? 'not in the template';
        throw new Error(`the template references ${id} (${type}), which the emulated stack does not create (test/support/emulator-stack.ts)`);
      }
      if (opts.createdOnly && !p.created) throw new Error(`${id} (${p.type}) is only named in the emulated stack, not created in moto`);
      return p;
    };
    const attr = (id: string, name: string): string => {
      const p = lookup(id);
      const v = p.attrs[name];
      if (v === undefined) throw new Error(`Fn::GetAtt ${id}.${name} (${p.type}) is not known to the emulated stack`);
      return v;
    };
    if (Array.isArray(value)) return value.map((v) => resolve(v, opts));
    if (!value || typeof value !== 'object') return value;
    const v = value as Record<string, any>;
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'Ref') {
      if (v.Ref in pseudo) return pseudo[v.Ref];
      return lookup(v.Ref).ref;
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const [id, name] = Array.isArray(v['Fn::GetAtt']) ? v['Fn::GetAtt'] : String(v['Fn::GetAtt']).split('.');
      return attr(id, name);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return (resolve(parts, opts) as unknown[]).map(String).join(sep);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Sub') {
      const [text, vars] = typeof v['Fn::Sub'] === 'string' ? [v['Fn::Sub'] as string, {}] : (v['Fn::Sub'] as [string, Record<string, unknown>]);
      return text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
        if (name in vars) return String(resolve((vars as Record<string, unknown>)[name], opts));
        if (name in pseudo) return pseudo[name]!;
        const [id, a] = name.split('.');
        return a ? attr(id!, a) : lookup(id!).ref;
      });
    }
    const fn = keys.find((k) => k.startsWith('Fn::'));
    if (fn) throw new Error(`the emulated stack cannot evaluate ${fn}: ${JSON.stringify(v).slice(0, 200)}`);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, opts)]));
  };

  // CloudFormation's generated names: <stack>-<logical id>-<random>, within the service's limit.
  const generatedName = (id: string, max: number, lower = false) => {
    const suffix = createHash('sha256').update(`${stackName}/${id}`).digest('hex').slice(0, 12).toUpperCase();
    const name = `${`${stackName}-${id}`.slice(0, max - suffix.length - 1)}-${suffix}`;
    return lower ? name.toLowerCase() : name;
  };
  const tags = (p: Record<string, any>) => (p.Tags ?? []) as { Key: string; Value: string }[];

  // Names first (Ref of roles and functions appears in policies before they are "created").
  const nameAll = (resources: CfnTemplate['Resources']) => {
    for (const [id, r] of Object.entries(resources)) {
      if (!NAMED_ONLY.has(r.Type) || physical.has(id)) continue;
      if (r.Type === 'AWS::IAM::Role') {
        const name = r.Properties?.RoleName ?? generatedName(id, 64);
        physical.set(id, { type: r.Type, ref: name, attrs: { Arn: `arn:aws:iam::${account}:role/${name}`, RoleId: `AROA${id.slice(0, 17).toUpperCase()}` }, created: false });
      } else if (r.Type === 'AWS::Lambda::Function') {
        const name = r.Properties?.FunctionName ?? generatedName(id, 64);
        physical.set(id, { type: r.Type, ref: name, attrs: { Arn: `arn:aws:lambda:${region}:${account}:function:${name}` }, created: false });
      } else if (r.Type === 'AWS::Scheduler::Schedule') {
        const name = r.Properties?.Name ?? generatedName(id, 64);
        const group = r.Properties?.GroupName ?? 'default';
        physical.set(id, { type: r.Type, ref: name, attrs: { Arn: `arn:aws:scheduler:${region}:${account}:schedule/${group}/${name}` }, created: false });
      } else {
        const name = r.Properties?.LogGroupName ?? generatedName(id, 512);
        physical.set(id, { type: r.Type, ref: name, attrs: { Arn: `arn:aws:logs:${region}:${account}:log-group:${name}:*` }, created: false });
      }
    }
  };
  nameAll(template.Resources);

  for (const type of ORDER) {
    for (const [id, r] of Object.entries(template.Resources)) {
      if (r.Type !== type) continue;
      const p = (r.Properties ?? {}) as Record<string, any>;
      const known = PROPERTIES[type]!;
      const unknown = Object.keys(p).filter((k) => !known.created.includes(k) && !(k in known.ignored));
      if (unknown.length) {
        throw new Error(`${id} (${type}) has ${unknown.join(', ')}, which test/support/emulator-stack.ts does not create in moto: teach it, so the emulated stack stays the template's`);
      }
      await create(id, type, resolve(p) as Record<string, any>);
    }
    if (type === 'AWS::S3::BucketPolicy') {
      // moto checks that the target bucket's policy lets the logging service write, as S3 does.
      for (const { Bucket, logging } of pendingLogging.splice(0)) {
        await s3.send(new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: logging.DestinationBucketName, TargetPrefix: logging.LogFilePrefix ?? '' } } }));
      }
      // Then the policies go again: moto 5.2 evaluates only StringEquals conditions and takes
      // every other operator (Bool, ArnLike, …) as met, without a request context
      // (moto/iam/policy_conditions.py, CONDITION_OPERATIONS). The enforceSSL statement
      // (Deny s3:* when Bool aws:SecureTransport is "false") would then deny every object
      // request, over HTTPS too. Real S3 evaluates it; the Lambdas' SDK clients use HTTPS there.
      for (const [id, r] of Object.entries(template.Resources)) {
        if (r.Type !== 'AWS::S3::BucketPolicy') continue;
        const Bucket = resolve(r.Properties!.Bucket) as string;
        await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
        deviations.push(`${id}: applied (moto accepted it and the access-log target check passed), then removed: moto 5.2 takes its Bool aws:SecureTransport condition as met and would deny every object request`);
      }
    }
  }
  for (const [id, r] of Object.entries(template.Resources)) {
    if (!physical.get(id)?.created) (notCreated[r.Type] ??= []).push(id);
  }

  async function create(id: string, type: string, p: Record<string, any>): Promise<void> {
    switch (type) {
      case 'AWS::KMS::Key': {
        const out = await moto.json<{ KeyMetadata: { KeyId: string; Arn: string } }>('kms', 'TrentService.CreateKey', {
          ...(p.Description ? { Description: p.Description } : {}),
          ...(p.KeyPolicy ? { Policy: JSON.stringify(p.KeyPolicy) } : {}),
          ...(p.KeySpec ? { KeySpec: p.KeySpec } : {}),
          ...(p.KeyUsage ? { KeyUsage: p.KeyUsage } : {}),
          Tags: tags(p).map((t) => ({ TagKey: t.Key, TagValue: t.Value })),
        });
        const keyId = out.KeyMetadata.KeyId;
        if (p.EnableKeyRotation) await moto.json('kms', 'TrentService.EnableKeyRotation', { KeyId: keyId });
        if (p.Enabled === false) await moto.json('kms', 'TrentService.DisableKey', { KeyId: keyId });
        physical.set(id, { type, ref: keyId, attrs: { Arn: out.KeyMetadata.Arn, KeyId: keyId }, created: true });
        return;
      }
      case 'AWS::S3::Bucket': {
        const Bucket = p.BucketName ?? generatedName(id, 63, true);
        await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: region as never } }));
        if (p.BucketEncryption) {
          const Rules = (p.BucketEncryption.ServerSideEncryptionConfiguration as Record<string, any>[]).map(({ ServerSideEncryptionByDefault, ...rest }) => ({
            ...rest,
            ...(ServerSideEncryptionByDefault ? { ApplyServerSideEncryptionByDefault: ServerSideEncryptionByDefault } : {}),
          }));
          await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules } }));
        }
        if (p.PublicAccessBlockConfiguration) await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: p.PublicAccessBlockConfiguration }));
        if (p.OwnershipControls) await s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: p.OwnershipControls }));
        if (p.VersioningConfiguration) await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: p.VersioningConfiguration }));
        if (p.LifecycleConfiguration) {
          await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: p.LifecycleConfiguration.Rules.map(lifecycleRule) } }));
        }
        if (p.Tags) await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: tags(p) } }));
        physical.set(id, {
          type,
          ref: Bucket,
          attrs: { Arn: `arn:aws:s3:::${Bucket}`, DomainName: `${Bucket}.s3.amazonaws.com`, RegionalDomainName: `${Bucket}.s3.${region}.amazonaws.com` },
          created: true,
        });
        if (p.LoggingConfiguration) pendingLogging.push({ Bucket, logging: p.LoggingConfiguration });
        return;
      }
      case 'AWS::SecretsManager::Secret': {
        const Name = p.Name ?? generatedName(id, 512);
        let SecretString = p.SecretString as string | undefined;
        if (p.GenerateSecretString) {
          // As CloudFormation does: a random string of the template's kind, inside the template's JSON when it names one.
          const { SecretStringTemplate, GenerateStringKey, ...kind } = p.GenerateSecretString as Record<string, any>;
          const known = ['PasswordLength', 'ExcludeCharacters', 'ExcludeLowercase', 'ExcludeNumbers', 'ExcludePunctuation', 'ExcludeUppercase', 'IncludeSpace', 'RequireEachIncludedType'];
          const unknown = Object.keys(kind).filter((k) => !known.includes(k));
          if (unknown.length) throw new Error(`${id}: GenerateSecretString.${unknown.join(', ')} is not translated by test/support/emulator-stack.ts`);
          const { RandomPassword } = await secrets.send(new GetRandomPasswordCommand(kind));
          SecretString = SecretStringTemplate ? JSON.stringify({ ...JSON.parse(SecretStringTemplate), [GenerateStringKey]: RandomPassword }) : RandomPassword!;
        }
        const out = await secrets.send(
          new CreateSecretCommand({
            Name,
            ...(p.Description ? { Description: p.Description } : {}),
            ...(SecretString !== undefined ? { SecretString } : {}),
            ...(p.KmsKeyId ? { KmsKeyId: p.KmsKeyId } : {}),
            ...(p.Tags ? { Tags: tags(p) } : {}),
          }),
        );
        // Ref of a secret is its ARN.
        physical.set(id, { type, ref: out.ARN!, attrs: { Id: out.ARN! }, created: true });
        return;
      }
      case 'AWS::ApiGatewayV2::Api': {
        // moto's API Gateway v2 (REST JSON, no SDK client here): routed on the credential scope's service.
        const res = await fetch(`${moto.endpoint}/v2/apis`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `AWS4-HMAC-SHA256 Credential=moto/20260101/${region}/apigateway/aws4_request, SignedHeaders=host, Signature=0` },
          body: JSON.stringify({
            name: p.Name ?? generatedName(id, 128),
            protocolType: p.ProtocolType,
            ...(p.Description ? { description: p.Description } : {}),
            ...(p.DisableExecuteApiEndpoint !== undefined ? { disableExecuteApiEndpoint: p.DisableExecuteApiEndpoint } : {}),
            ...(p.Tags ? { tags: p.Tags } : {}),
          }),
        });
        const text = await res.text();
        if (!res.ok) throw new Error(`moto CreateApi: HTTP ${res.status}: ${text.slice(0, 500)}`);
        const api = JSON.parse(text) as { apiId: string; apiEndpoint: string };
        physical.set(id, { type, ref: api.apiId, attrs: { ApiId: api.apiId, ApiEndpoint: api.apiEndpoint }, created: true });
        return;
      }
      case 'AWS::S3::BucketPolicy': {
        await s3.send(new PutBucketPolicyCommand({ Bucket: p.Bucket, Policy: JSON.stringify(p.PolicyDocument) }));
        physical.set(id, { type, ref: p.Bucket, attrs: {}, created: true });
        return;
      }
      case 'AWS::DynamoDB::Table': {
        const TableName = p.TableName ?? generatedName(id, 255);
        const input: CreateTableCommandInput = {
          TableName,
          AttributeDefinitions: p.AttributeDefinitions,
          KeySchema: p.KeySchema,
          BillingMode: p.BillingMode ?? 'PROVISIONED',
          ...(p.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: p.GlobalSecondaryIndexes } : {}),
          ...(p.LocalSecondaryIndexes ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes } : {}),
          ...(p.ProvisionedThroughput ? { ProvisionedThroughput: p.ProvisionedThroughput } : {}),
          ...(p.StreamSpecification ? { StreamSpecification: { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType } } : {}),
          ...(p.SSESpecification ? { SSESpecification: { Enabled: p.SSESpecification.SSEEnabled, SSEType: p.SSESpecification.SSEType, KMSMasterKeyId: p.SSESpecification.KMSMasterKeyId } } : {}),
          ...(p.TableClass ? { TableClass: p.TableClass } : {}),
          ...(p.DeletionProtectionEnabled !== undefined ? { DeletionProtectionEnabled: p.DeletionProtectionEnabled } : {}),
          ...(p.Tags ? { Tags: tags(p) } : {}),
        };
        const out = await dynamo.send(new CreateTableCommand(input));
        if (p.TimeToLiveSpecification) await dynamo.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: p.TimeToLiveSpecification }));
        if (p.PointInTimeRecoverySpecification) {
          await dynamo.send(new UpdateContinuousBackupsCommand({ TableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: p.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled } }));
        }
        physical.set(id, { type, ref: TableName, attrs: { Arn: out.TableDescription!.TableArn! }, created: true });
        return;
      }
      case 'AWS::SNS::Topic': {
        const Name = p.TopicName ?? generatedName(id, 256);
        const Attributes: Record<string, string> = {};
        if (p.DisplayName) Attributes.DisplayName = p.DisplayName;
        if (p.KmsMasterKeyId) Attributes.KmsMasterKeyId = p.KmsMasterKeyId;
        if (p.FifoTopic) Attributes.FifoTopic = String(p.FifoTopic);
        const out = await sns.send(new CreateTopicCommand({ Name, Attributes, ...(p.Tags ? { Tags: tags(p) } : {}) }));
        physical.set(id, { type, ref: out.TopicArn!, attrs: { TopicArn: out.TopicArn!, TopicName: Name }, created: true });
        return;
      }
      case 'AWS::SNS::TopicPolicy': {
        for (const TopicArn of p.Topics as string[]) {
          await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify(p.PolicyDocument) }));
        }
        physical.set(id, { type, ref: id, attrs: {}, created: true });
        return;
      }
      case 'AWS::SQS::Queue': {
        const QueueName = p.QueueName ?? generatedName(id, 80);
        const { QueueName: _n, Tags: _t, RedrivePolicy, ...rest } = p;
        const Attributes = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)]));
        if (RedrivePolicy) Attributes.RedrivePolicy = JSON.stringify(RedrivePolicy);
        const { QueueUrl } = await moto.json<{ QueueUrl: string }>('sqs', 'AmazonSQS.CreateQueue', {
          QueueName,
          Attributes,
          tags: Object.fromEntries(tags(p).map((t) => [t.Key, t.Value])),
        });
        const arn = `arn:aws:sqs:${region}:${account}:${QueueName}`;
        physical.set(id, { type, ref: QueueUrl, attrs: { Arn: arn, QueueName, QueueUrl }, created: true });
        return;
      }
      case 'AWS::SQS::QueuePolicy': {
        for (const QueueUrl of p.Queues as string[]) {
          await moto.json('sqs', 'AmazonSQS.SetQueueAttributes', { QueueUrl, Attributes: { Policy: JSON.stringify(p.PolicyDocument) } });
        }
        physical.set(id, { type, ref: id, attrs: {}, created: true });
        return;
      }
      case 'AWS::SES::EmailIdentity': {
        const identity = String(p.EmailIdentity);
        // moto verifies at once (real SES waits for the DKIM records the stack outputs).
        if (identity.includes('@')) await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: identity }));
        else await ses.send(new VerifyDomainIdentityCommand({ Domain: identity }));
        physical.set(id, { type, ref: identity, attrs: {}, created: true });
        return;
      }
      default:
        throw new Error(`no creator for ${type}`);
    }
  }

  dynamo.destroy();
  s3.destroy();
  sns.destroy();
  ses.destroy();
  secrets.destroy();

  const created: StackOnMoto['created'] = {};
  for (const [id, p] of physical) if (p.created) created[id] = { type: p.type, ref: p.ref, attrs: p.attrs };
  return {
    stackName,
    created,
    notCreated,
    deviations,
    resolve,
    adopt(variant) {
      for (const [id, p] of Object.entries(created)) {
        const theirs = variant.Resources[id];
        const ours = template.Resources[id]!;
        if (JSON.stringify(theirs) !== JSON.stringify(ours)) {
          throw new Error(`${id} (${p.type}) is defined differently in the variant template: the emulated stack was made from the first one`);
        }
      }
      const added = Object.entries(variant.Resources).filter(([id, r]) => r.Type in PROPERTIES && !(id in created));
      if (added.length) throw new Error(`the variant template adds ${added.map(([id, r]) => `${id} (${r.Type})`).join(', ')}, which would need creating`);
      nameAll(variant.Resources);
    },
    functionName(logicalId) {
      const p = physical.get(logicalId);
      if (p?.type !== 'AWS::Lambda::Function') throw new Error(`${logicalId} is not a Lambda function of ${stackName}`);
      return { name: p.ref, arn: p.attrs.Arn! };
    },
  };
}
/** A CloudFormation lifecycle rule (AWS::S3::Bucket Rule) as the S3 API's LifecycleRule. */
function lifecycleRule(r: Record<string, any>): LifecycleRule {
  const known = ['Id', 'Status', 'Prefix', 'ExpirationInDays', 'Transitions', 'AbortIncompleteMultipartUpload', 'NoncurrentVersionExpiration'];
  const unknown = Object.keys(r).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`lifecycle rule ${r.Id}: ${unknown.join(', ')} is not translated by test/support/emulator-stack.ts`);
  return {
    ...(r.Id ? { ID: r.Id } : {}),
    Status: r.Status,
    Filter: { Prefix: r.Prefix ?? '' },
    ...(r.ExpirationInDays !== undefined ? { Expiration: { Days: r.ExpirationInDays } } : {}),
    ...(r.Transitions ? { Transitions: r.Transitions.map((t: any) => ({ Days: t.TransitionInDays, StorageClass: t.StorageClass })) } : {}),
    ...(r.AbortIncompleteMultipartUpload ? { AbortIncompleteMultipartUpload: r.AbortIncompleteMultipartUpload } : {}),
    ...(r.NoncurrentVersionExpiration ? { NoncurrentVersionExpiration: { NoncurrentDays: r.NoncurrentVersionExpiration.NoncurrentDays } } : {}),
  };
}
