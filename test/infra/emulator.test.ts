/**
 * End to end against an emulator: the CDK app is synthesized (Lambdas bundled by the local
 * esbuild, as `cdk synth` does), the template's table, buckets, key, topics, queue and SES
 * identity are created in moto as the template defines them, and the **bundled** Lambdas from
 * cdk.out run in child processes from a directory with no node_modules, with the environment
 * the template gives them plus AWS_ENDPOINT_URL. Nothing tells the code it is not on AWS.
 *
 * That every SDK client of the bundles honours AWS_ENDPOINT_URL is shown by what only moto
 * holds: the raw mail (S3), the ticket (DynamoDB), the sent mail (SES), the ticket events (SNS,
 * read through an SQS queue subscribed to the topic), the mailbox pollers' credentials and the
 * link keys (Secrets Manager). The HTTP Lambda is invoked with API Gateway HTTP API events
 * (payload 2.0), as its $default route delivers them; API Gateway itself is not emulated. The
 * mailbox pollers (one variant of the stack with an imap, a graph and a gmail block) read a real
 * Dovecot and the local stand-ins for Microsoft's identity platform, Microsoft Graph and Google.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeContinuousBackupsCommand, DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../support/dovecot.js';
import { startFakeGoogle, type FakeGoogle } from '../support/fake-gmail.js';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph.js';
import { startFakeMicrosoftIdentity, type FakeMicrosoftIdentity } from '../support/fake-microsoft-identity.js';
import { lambdaHost, type EmulatedFunction, type Invocation, type LambdaHost, type LogLine } from '../support/emulator-lambda.js';
import { createStackOnMoto, synthTicketing, type StackOnMoto, type SynthesizedStack } from '../support/emulator-stack.js';
import { startMoto, type Moto, type MotoSentMail } from '../support/moto.js';
import { TABLE_KEYS } from '../../src/aws/table.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONTEXT = { domain: 'northwind.example', supportAddress: 'support@northwind.example', staffList: 'it-team@northwind.example', staff: 'alex.kim@northwind.example,it.northwind.example' };
const DAY = 24 * 3600_000;
// The Microsoft 365 and Google Workspace support mailboxes, and the Entra app that reads the former.
const MAILBOX = 'support@northwind.example';
const TENANT = 'northwind.onmicrosoft.com';
const CLIENT_ID = '6731de76-14a6-49ae-97bc-6eba6914391e';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const GRAPH_CLIENT_SECRET = 'Gph8Q~emulator-client-secret';
const WRONG_CLIENT_SECRET = 'Gph8Q~an-expired-client-secret';

let moto: Moto;
let dovecot: Dovecot;
let idp: FakeMicrosoftIdentity;
let graph: FakeGraph;
let google: FakeGoogle;
let host: LambdaHost;
let outdir: string;
let workdir: string;
let base: SynthesizedStack;
let variant: SynthesizedStack;
let onMoto: StackOnMoto;
let inbound: EmulatedFunction;
let http: EmulatedFunction;
let stale: EmulatedFunction;
let imap: EmulatedFunction;
let graphPoller: EmulatedFunction;
let gmailPoller: EmulatedFunction;
let secretArn: string;
let graphSecretArn: string;
let gmailSecretArn: string;
/** A service account key file whose private key Google does not know (a deleted key's). */
let staleGmailKey: string;
let probeQueueUrl: string;
const clients: { destroy(): void }[] = [];

const awsClient = <T extends { destroy(): void }>(make: (o: { region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } }) => T): T => {
  const c = make({ region: moto.region, endpoint: moto.endpoint, credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' } });
  clients.push(c);
  return c;
};

/** Why the set-up failed (moto or Dovecot missing, a synth refused): every test fails with it, none is skipped. */
let setupFailure: unknown;
beforeEach(() => {
  if (setupFailure) throw setupFailure;
});

beforeAll(async () => {
  try {
    await setUp();
  } catch (err) {
    setupFailure = err;
  }
}, 300_000);

async function setUp(): Promise<void> {
  outdir = mkdtempSync(path.join(tmpdir(), 'ticketing-emulator-cdk-'));
  workdir = mkdtempSync(path.join(tmpdir(), 'ticketing-emulator-run-'));
  [moto, dovecot, idp, google] = await Promise.all([startMoto('eu-west-1'), startDovecot(), startFakeMicrosoftIdentity(), startFakeGoogle({ mailbox: MAILBOX, now: () => new Date() })]);
  idp.registerApp({ tenantId: TENANT, clientId: CLIENT_ID, clientSecret: GRAPH_CLIENT_SECRET });
  graph = await startFakeGraph({ mailbox: MAILBOX, acceptToken: (t) => idp.validToken(t, GRAPH_SCOPE) });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  staleGmailKey = JSON.stringify({ ...google.key, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }, null, 2);

  // Each mailbox's credentials live in Secrets Manager (not the right ones yet); the stack is given the secrets' ARNs.
  const secrets = awsClient((o) => new SecretsManagerClient(o));
  const secret = async (Name: string, SecretString: string) => (await secrets.send(new CreateSecretCommand({ Name, SecretString }))).ARN!;
  secretArn = await secret('ticketing/imap-password', 'not-the-password');
  graphSecretArn = await secret('ticketing/graph-app', JSON.stringify({ clientSecret: WRONG_CLIENT_SECRET }));
  gmailSecretArn = await secret('ticketing/gmail-service-account', staleGmailKey);

  base = synthTicketing(path.join(outdir, 'base'), CONTEXT);
  // One variant with all three mailbox blocks: one synth and bundle for the three pollers.
  variant = synthTicketing(path.join(outdir, 'pollers'), {
    ...CONTEXT,
    ticketingConfig: {
      imap: { host: '127.0.0.1', port: dovecot.port, secure: false, allowPlainOnLoopback: true, user: dovecot.user, passwordSecretArn: secretArn },
      graph: { app: { tenantId: TENANT, clientId: CLIENT_ID, credentialsSecretArn: graphSecretArn, loginEndpoint: idp.loginEndpoint }, mailbox: MAILBOX, graphEndpoint: graph.url },
      gmail: { mailbox: MAILBOX, serviceAccountSecretArn: gmailSecretArn, tokenEndpoint: google.tokenEndpoint, gmailEndpoint: google.gmailEndpoint },
    },
  });
  onMoto = await createStackOnMoto(base, moto);
  onMoto.adopt(variant.template);

  host = lambdaHost(workdir, moto);
  inbound = host.fn(base, onMoto, base.functions.inbound);
  http = host.fn(base, onMoto, base.functions.http);
  stale = host.fn(base, onMoto, base.functions.stale);
  imap = host.fn(variant, onMoto, variant.functions.imap!);
  graphPoller = host.fn(variant, onMoto, variant.functions.graph!);
  gmailPoller = host.fn(variant, onMoto, variant.functions.gmail!);

  // What the ticket-events topic publishes lands in a queue of the test's own.
  const { QueueUrl } = await moto.json<{ QueueUrl: string }>('sqs', 'AmazonSQS.CreateQueue', { QueueName: 'ticket-events-probe' });
  probeQueueUrl = QueueUrl;
  const sns = awsClient((o) => new SNSClient(o));
  await sns.send(new SubscribeCommand({ TopicArn: eventsTopicArn(), Protocol: 'sqs', Endpoint: `arn:aws:sqs:${moto.region}:${moto.account}:ticket-events-probe` }));
}

afterAll(async () => {
  for (const c of clients) c.destroy();
  await host?.stop();
  await dovecot?.stop();
  await graph?.close();
  await idp?.close();
  await google?.close();
  await moto?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

/** The ticket-events topic, as the Lambdas' config names it. */
function eventsTopicArn(): string {
  return JSON.parse(inbound.env.TICKETING_CONFIG!).events.snsTopicArn as string;
}

/** The ticket events published since the last call (SNS → the probe queue), oldest first. */
async function takeEvents(): Promise<{ subject: string; type: string; attributes: Record<string, string>; message: Record<string, unknown> }[]> {
  const out: { subject: string; type: string; attributes: Record<string, string>; message: Record<string, unknown> }[] = [];
  for (;;) {
    const { Messages = [] } = await moto.json<{ Messages?: { Body: string; ReceiptHandle: string }[] }>('sqs', 'AmazonSQS.ReceiveMessage', {
      QueueUrl: probeQueueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
    });
    if (!Messages.length) return out;
    for (const m of Messages) {
      const body = JSON.parse(m.Body) as { Subject: string; Message: string; MessageAttributes: Record<string, { Value: string }> };
      out.push({
        subject: body.Subject,
        type: body.MessageAttributes.type!.Value,
        attributes: Object.fromEntries(Object.entries(body.MessageAttributes).map(([k, v]) => [k, v.Value])),
        message: JSON.parse(body.Message) as Record<string, unknown>,
      });
      await moto.json('sqs', 'AmazonSQS.DeleteMessage', { QueueUrl: probeQueueUrl, ReceiptHandle: m.ReceiptHandle });
    }
  }
}

type SentMail = MotoSentMail & { subject: string; from: string; to: string };
let mailSeen = 0;
/** The mail SES sent since the last call, by recipient. */
async function takeMail(): Promise<SentMail[]> {
  const all = await moto.sentMail();
  const fresh = all.slice(mailSeen);
  mailSeen = all.length;
  const header = (raw: string, name: string) => {
    const head = raw.slice(0, raw.search(/\r?\n\r?\n/));
    const m = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
    return m ? m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() : '';
  };
  // By recipient: the order of one delivery's sends is not part of the contract.
  return fresh.map((m) => ({ ...m, subject: header(m.raw, 'Subject'), from: header(m.raw, 'From'), to: header(m.raw, 'To') })).sort((a, b) => a.to.localeCompare(b.to));
}

/** Recipient and subject of each sent mail, the subject decoded (non-ASCII subjects go out as encoded words). */
async function decodedSubjects(mail: SentMail[]): Promise<{ to: string; subject: string }[]> {
  return Promise.all(mail.map(async (m) => ({ to: m.to, subject: (await simpleParser(m.raw)).subject ?? '' })));
}

const logged = (run: Invocation, message: string): LogLine[] => run.logs.filter((l) => l.message === message);

/** The handler answered, and logged no error and no warning but the ones expected. */
function expectNoError(run: Invocation, warnings: unknown[] = []) {
  const output = `--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
  expect(run.error, `${run.error?.stack}\n${output}`).toBeNull();
  expect(run.logs.filter((l) => l.level === 'ERROR' || l.level === 'WARN'), output).toEqual(warnings);
}

/** The SES receipt rule's S3 action, as the template defines it: the bucket and key prefix SES writes raw mail to. */
function receiptS3Action(): { bucket: string; prefix: string } {
  const rule = Object.values(base.template.Resources).find((r) => r.Type === 'AWS::SES::ReceiptRule')!;
  const action = (rule.Properties!.Rule.Actions as { S3Action?: { BucketName: unknown; ObjectKeyPrefix: string } }[]).find((a) => a.S3Action)!.S3Action!;
  return { bucket: onMoto.resolve(action.BucketName, { createdOnly: true }) as string, prefix: action.ObjectKeyPrefix };
}

/** The input a schedule of the template hands the stale function, with Scheduler's context attributes filled in. */
function scheduleInput(logicalId: string, scheduledTime: Date): unknown {
  const target = base.template.Resources[logicalId]!.Properties!.Target as { Arn: unknown; Input: string };
  expect(onMoto.resolve(target.Arn)).toBe(stale.arn);
  const arn = onMoto.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }) as string;
  return JSON.parse(target.Input.replaceAll('<aws.scheduler.scheduled-time>', scheduledTime.toISOString().replace(/\.\d{3}Z$/, 'Z')).replaceAll('<aws.scheduler.schedule-arn>', arn));
}

interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string[]>>;
}

/** The statements of the policies on the function's role (moto does not enforce IAM, so tests read them). */
function roleStatements(stack: SynthesizedStack, fnLogicalId: string): PolicyStatement[] {
  const role = (stack.template.Resources[fnLogicalId]!.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(stack.template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties!.Roles as { Ref: string }[]).some((x) => x.Ref === role))
    .flatMap((r) => r.Properties!.PolicyDocument.Statement as PolicyStatement[]);
}

/**
 * The From addresses the function's role may send as (its ses:SendRawEmail statement's
 * ses:FromAddress condition). moto does not enforce IAM, so the test holds every sent mail to it.
 */
function sendAsPatterns(stack: SynthesizedStack, fnLogicalId: string): RegExp[] {
  const statements = roleStatements(stack, fnLogicalId).filter((st) => [st.Action].flat().includes('ses:SendRawEmail'));
  expect(statements).toHaveLength(1);
  const globs = [statements[0]!.Condition!.StringLike!['ses:FromAddress']!].flat();
  return globs.map((g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i'));
}

function expectSentAs(mail: SentMail[], patterns: RegExp[]) {
  for (const m of mail) {
    const address = (text: string) => /<([^>]+)>/.exec(text)?.[1] ?? text;
    expect(patterns.some((p) => p.test(address(m.source))), `Source ${m.source}`).toBe(true);
    expect(patterns.some((p) => p.test(address(m.from))), `From ${m.from}`).toBe(true);
  }
}

function fixture(name: string): Buffer {
  return readFileSync(path.join(ROOT, 'fixtures', name));
}

interface HttpApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
  cookies?: string[];
}

/**
 * What the HTTP API's $default route hands the function for `GET <path>` (payload format 2.0):
 * fixtures/events/apigw-v2-get-form.json, at the host of the stack's API.
 */
function httpApiGet(path: string): unknown {
  const event = JSON.parse(fixture('events/apigw-v2-get-form.json').toString('utf8'));
  const host = new URL(http.env.TICKETING_WEB_BASE_URL!).host;
  const [apiId] = host.split('.');
  event.rawPath = path;
  event.headers.host = host;
  event.requestContext = { ...event.requestContext, apiId, domainName: host, domainPrefix: apiId, http: { ...event.requestContext.http, path } };
  return event;
}

describe('the bundled Lambdas on moto', () => {
  const sesMessageId = 'emu8gq4b2vk3ad0n5pe1r7s9t0u2v4w6x8y0z2a4';
  let sesEvent: unknown;
  /** The acknowledgement the inbound Lambda sent for TKT-1 (with its status link). */
  let acknowledgement: string;
  let ticketCreatedAt: Date;

  it('the stack on moto is the template: table keys, indexes and TTL, buckets, topics, queue, SES identity, link-key secret, HTTP API', async () => {
    const config = JSON.parse(inbound.env.TICKETING_CONFIG!) as { aws: { tableName: string; bucket: string; region: string } };
    const table = base.template.Resources[Object.keys(onMoto.created).find((id) => onMoto.created[id]!.type === 'AWS::DynamoDB::Table')!]!.Properties!;
    const dynamo = awsClient((o) => new DynamoDBClient(o));
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: config.aws.tableName }));
    expect(Table!.KeySchema).toEqual(table.KeySchema);
    expect(Table!.AttributeDefinitions).toEqual(expect.arrayContaining(table.AttributeDefinitions));
    expect(Table!.GlobalSecondaryIndexes!.map((g) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection }))).toEqual(table.GlobalSecondaryIndexes);
    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: config.aws.tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: table.TimeToLiveSpecification.AttributeName, TimeToLiveStatus: 'ENABLED' });
    const backups = await dynamo.send(new DescribeContinuousBackupsCommand({ TableName: config.aws.tableName }));
    expect(backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe('ENABLED');

    expect(config.aws.region).toBe(moto.region);
    expect(receiptS3Action().bucket).toBe(config.aws.bucket);
    expect(eventsTopicArn()).toMatch(new RegExp(`^arn:aws:sns:${moto.region}:${moto.account}:Ticketing-dev-TicketEvents`));
    const types = (t: string) => Object.values(onMoto.created).filter((c) => c.type === t).length;
    expect({
      tables: types('AWS::DynamoDB::Table'),
      buckets: types('AWS::S3::Bucket'),
      topics: types('AWS::SNS::Topic'),
      queues: types('AWS::SQS::Queue'),
      identities: types('AWS::SES::EmailIdentity'),
      secrets: types('AWS::SecretsManager::Secret'),
      apis: types('AWS::ApiGatewayV2::Api'),
    }).toEqual({
      tables: 1,
      buckets: 2,
      topics: 2,
      queues: 1,
      identities: 1,
      secrets: 1, // the link keys
      apis: 1,
    });
    // Links in mail point at the HTTP API, from each function that signs them.
    const apiId = Object.values(onMoto.created).find((c) => c.type === 'AWS::ApiGatewayV2::Api')!.ref;
    for (const fn of [inbound, http]) expect(fn.env.TICKETING_WEB_BASE_URL).toBe(`https://${apiId}.execute-api.${moto.region}.amazonaws.com`);
    expect(JSON.parse(http.env.TICKETING_CONFIG!).web.linkKeysSecretArn).toMatch(new RegExp(`^arn:aws:secretsmanager:${moto.region}:${moto.account}:secret:`));
  });

  it('each mailbox poller\'s role may read its own credentials secret and the link keys, and no other secret', () => {
    const linkKeys = JSON.parse(http.env.TICKETING_CONFIG!).web.linkKeysSecretArn as string;
    const secretsReadable = (fnLogicalId: string) =>
      roleStatements(variant, fnLogicalId)
        .filter((st) => [st.Action].flat().some((a) => a === '*' || a.startsWith('secretsmanager:')))
        .map((st) => ({ effect: st.Effect, actions: [st.Action].flat(), resources: [onMoto.resolve(st.Resource)].flat().sort() }));
    const pollers: [string, string][] = [
      [variant.functions.imap!, secretArn],
      [variant.functions.graph!, graphSecretArn],
      [variant.functions.gmail!, gmailSecretArn],
    ];
    for (const [fn, own] of pollers) {
      const readable = secretsReadable(fn);
      expect(readable, fn).toEqual(
        expect.arrayContaining([
          { effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: [own] },
          { effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: [linkKeys] },
        ]),
      );
      expect(readable, fn).toHaveLength(2);
    }
  });

  it('an SES event → ticket TKT-1, the acknowledgement and the staff notice through SES, ticket.created on SNS', async () => {
    const { bucket, prefix } = receiptS3Action();
    const raw = fixture('mail/01-outlook-new-vpn-down.eml');
    // SES's receipt rule: the S3 action stores the raw mail, then the Lambda action invokes.
    const s3 = awsClient((o) => new S3Client({ ...o, forcePathStyle: true }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${sesMessageId}`, Body: raw }));
    const event = JSON.parse(fixture('events/ses-receipt.json').toString('utf8'));
    const record = event.Records[0].ses;
    const now = new Date().toISOString();
    record.mail.messageId = sesMessageId;
    record.mail.timestamp = now;
    record.receipt.timestamp = now;
    record.receipt.action.functionArn = inbound.arn;
    // SES's summary of the headers, from the stored mail.
    const subject = /^Subject: (.*)$/m.exec(raw.toString('latin1'))![1]!;
    record.mail.commonHeaders.subject = subject;
    record.mail.headers = record.mail.headers.map((h: { name: string; value: string }) => (h.name === 'Subject' ? { ...h, value: subject } : h));
    sesEvent = event;

    const run = await inbound.invoke(sesEvent);
    expectNoError(run);
    ticketCreatedAt = new Date();
    expect(run.result).toBeNull(); // SES invokes asynchronously: the handler answers nothing
    expect(logged(run, 'inbound mail')).toEqual([expect.objectContaining({ outcome: 'created', ticket: 'TKT-1', level: 'INFO' })]);

    const mail = await takeMail();
    expect(mail.map((m) => ({ to: m.to, subject: m.subject }))).toEqual([
      { to: 'it-team@northwind.example', subject: "[TKT-1] [P2 network] VPN down - can't connect from home office" },
      { to: 'maria.garcia@northwind.example', subject: "Re: [TKT-1] VPN down - can't connect from home office" },
    ]);
    expect(mail.map((m) => m.destinations[0])).toEqual(['it-team@northwind.example', 'maria.garcia@northwind.example']);
    expectSentAs(mail, sendAsPatterns(base, base.functions.inbound));
    expect(mail[1]!.source).toMatch(/^support\+b-[^@]+@northwind\.example$/); // bounces come back to a per-mail address
    acknowledgement = mail[1]!.raw;

    expect(await takeEvents()).toEqual([
      {
        subject: "[TKT-1] ticket.created: VPN down - can't connect from home office",
        type: 'ticket.created',
        attributes: { type: 'ticket.created', priority: 'P2', category: 'network' },
        message: expect.objectContaining({ type: 'ticket.created', ticketId: 'TKT-1', requester: 'maria.garcia@northwind.example', priority: 'P2', category: 'network', status: 'open' }),
      },
    ]);
    // The ticket is in the table, on the open-tickets index the stale job reads.
    const { aws } = JSON.parse(inbound.env.TICKETING_CONFIG!) as { aws: { tableName: string } };
    const dynamo = awsClient((o) => new DynamoDBClient(o));
    const open = await dynamo.send(
      new QueryCommand({
        TableName: aws.tableName,
        IndexName: TABLE_KEYS.openByActivity.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': TABLE_KEYS.openByActivity.pk },
        ExpressionAttributeValues: { ':p': { S: 'OPEN#P2' } },
      }),
    );
    expect(open.Items?.map((i) => [i.id?.S, i.requester?.S])).toEqual([['TKT-1', 'maria.garcia@northwind.example']]);
    // The raw mail is still where SES put it.
    const kept = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}${sesMessageId}` }));
    expect(Buffer.from(await kept.Body!.transformToByteArray()).equals(raw)).toBe(true);
  });

  it('the same SES event again → redelivered, nothing sent or published again', async () => {
    const run = await inbound.invoke(sesEvent);
    expectNoError(run);
    expect(logged(run, 'inbound mail')).toEqual([expect.objectContaining({ outcome: 'redelivered', ticket: 'TKT-1' })]);
    expect(await takeMail()).toEqual([]);
    expect(await takeEvents()).toEqual([]);
  });

  it('the HTTP Lambda (API Gateway v2 events): /healthz, the request form, and the status link the inbound Lambda mailed opens TKT-1', async () => {
    // Prepare: the link in the acknowledgement, signed with the key the inbound Lambda read from the secret
    const text = (await simpleParser(acknowledgement)).text ?? '';
    const link = new RegExp(`${http.env.TICKETING_WEB_BASE_URL!.replace(/[.]/g, '\\.')}(/s/[\\w.~-]+)`).exec(text);
    expect(link, text).not.toBeNull();

    // Act: three cold starts, each reading the link keys from Secrets Manager
    const health = await http.invoke<HttpApiResponse>(httpApiGet('/healthz'));
    const form = await http.invoke<HttpApiResponse>(httpApiGet('/'));
    const status = await http.invoke<HttpApiResponse>(httpApiGet(link![1]!));

    // Assess
    for (const run of [health, form, status]) expectNoError(run);
    expect(health.result).toMatchObject({ statusCode: 200, body: JSON.stringify({ ok: true }) });
    expect(form.result.statusCode).toBe(200);
    expect(form.result.headers['content-type']).toMatch(/^text\/html/);
    expect(form.result.body).toContain('<form method="post" action="/"');
    expect(form.result.cookies).toEqual([expect.stringMatching(/^__Host-tkt_form=[\w-]{22}; .*HttpOnly; Secure; SameSite=Strict/)]);
    expect(status.result.statusCode, status.result.body.slice(0, 500)).toBe(200);
    expect(status.result.body).toContain('TKT-1');
    expect(status.result.body).toContain('VPN down');
    // Reading pages sends and publishes nothing.
    expect(await takeMail()).toEqual([]);
    expect(await takeEvents()).toEqual([]);
  });

  it('the stale schedule ten days later → one digest to the staff list; the same input again → alreadyRan, nothing sent', async () => {
    const input = scheduleInput(base.schedules.stale, new Date(ticketCreatedAt.getTime() + 10 * DAY));
    const run = await stale.invoke<{ slot: string; digest: { subject: string } }>(input);
    expectNoError(run);
    expect(run.result).toMatchObject({
      alreadyRan: false,
      flagged: ['TKT-1'],
      digest: { to: 'it-team@northwind.example', tickets: ['TKT-1'], subject: expect.stringContaining('1 stale ticket') },
      nudged: [],
      closed: [],
      problems: [],
    });
    expect(logged(run, 'stale job')).toEqual([expect.objectContaining({ slot: run.result.slot, alreadyRan: false, digestTickets: 1 })]);
    const digest = await takeMail();
    expect(digest.map((m) => ({ to: m.to, subject: m.subject }))).toEqual([{ to: 'it-team@northwind.example', subject: run.result.digest.subject }]);
    expectSentAs(digest, sendAsPatterns(base, base.functions.stale));
    // For chat: the ticket going stale, and the digest's summary. The schedule's time has whole
    // seconds and the ticket's milliseconds: ten days idle is 239 or 240 whole hours.
    const events = (await takeEvents()).map((e) => ({ type: e.type, message: e.message })).sort((a, b) => a.type.localeCompare(b.type));
    expect(events).toEqual([
      { type: 'digest.sent', message: expect.objectContaining({ subject: run.result.digest.subject, stale: 1, top: [expect.objectContaining({ ticketId: 'TKT-1' })] }) },
      { type: 'ticket.stale', message: expect.objectContaining({ ticketId: 'TKT-1', why: expect.stringMatching(/^no activity for 2(39|40) hours$/) }) },
    ]);
    const idle = events[1]!.message.idleHours as number;
    expect([239, 240]).toContain(idle);
    expect((events[0]!.message.top as { idleHours: number }[])[0]!.idleHours).toBe(idle);

    // Scheduler's retry of the same run carries the same time: the same slot, done already.
    const again = await stale.invoke(input);
    const ranAlready = expect.stringContaining(`the ${run.result.slot} slot already ran`);
    expectNoError(again, [expect.objectContaining({ level: 'WARN', message: 'stale job problem', problem: ranAlready })]);
    expect(again.result).toMatchObject({ slot: run.result.slot, alreadyRan: true, flagged: [], digest: null, problems: [ranAlready] });
    expect(await takeMail()).toEqual([]);
    expect(await takeEvents()).toEqual([]);
  });

  it('the sweep schedule → runs and reports', async () => {
    const input = scheduleInput(base.schedules.sweep, new Date(ticketCreatedAt.getTime() + 10 * DAY + 10 * 60_000));
    const run = await stale.invoke(input);
    expectNoError(run);
    // Every delivery finished its plan: nothing left to sweep.
    expect(run.result).toEqual({ plans: 0, completed: 0, waiting: 0, problems: [] });
    expect(logged(run, 'sweep')).toEqual([expect.objectContaining({ plans: 0, completed: 0, waiting: 0, problems: 0 })]);
    expect(await takeMail()).toEqual([]);
    expect(await takeEvents()).toEqual([]);
  });

  it('the IMAP Lambda reads its password from Secrets Manager, turns the INBOX mail into a ticket and moves it to Processed', async () => {
    await dovecot.append('INBOX', fixture('mail/05-thunderbird-new-wifi-log.eml'));
    // The secret does not hold the password yet: the login fails, and the mail stays.
    const refused = await imap.invoke(null);
    expect(refused.error).toMatchObject({ name: 'ImapLoginError' });
    expect(JSON.stringify(refused)).not.toContain('not-the-password');
    expect(await dovecot.list('INBOX')).toHaveLength(1);

    const secrets = awsClient((o) => new SecretsManagerClient(o));
    await secrets.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: dovecot.password }));
    const run = await imap.invoke(null);
    expectNoError(run);
    expect(run.result).toEqual({ polled: 1, failed: 0 });
    expect(logged(run, 'imap message')).toEqual([expect.objectContaining({ uid: 1, outcome: 'created', ticket: 'TKT-2' })]);
    expect(await dovecot.list('INBOX')).toEqual([]);
    expect(await dovecot.list('Processed')).toEqual([expect.objectContaining({ messageId: '<79e06262-3e38-431b-bd15-8f3312176b3a@northwind.example>', seen: true })]);
    const mail = await takeMail();
    expect(mail.map((m) => ({ to: m.to, subject: m.subject }))).toEqual([
      { to: 'it-team@northwind.example', subject: '[TKT-2] [P3 network] Wi-Fi drops every few minutes on NW-LT-0301 (log attached)' },
      { to: 'lars.nilsson@northwind.example', subject: 'Re: [TKT-2] Wi-Fi drops every few minutes on NW-LT-0301 (log attached)' },
    ]);
    expectSentAs(mail, sendAsPatterns(variant, variant.functions.imap!));
    expect(await takeEvents()).toEqual([
      expect.objectContaining({ type: 'ticket.created', message: expect.objectContaining({ ticketId: 'TKT-2', requester: 'lars.nilsson@northwind.example', priority: 'P3' }) }),
    ]);
  });

  it('the Graph Lambda reads the app\'s client secret from Secrets Manager, signs in as the app, turns the inbox mail into a ticket and moves it to Processed', async () => {
    const raw = fixture('mail/24-outlook-ios-new-emoji-laptop-fan.eml');
    const { subject } = await simpleParser(raw);
    const id = graph.deliver('inbox', raw);
    // The secret holds an expired client secret: the identity platform refuses the app, and the mail stays.
    const refused = await graphPoller.invoke(null);
    expect(refused.error).toMatchObject({ name: 'MicrosoftIdentityError', message: expect.stringContaining(`app ${CLIENT_ID} in tenant ${TENANT}: the client secret is wrong`) });
    expect(JSON.stringify(refused)).not.toContain(WRONG_CLIENT_SECRET);
    expect(idp.issued()).toEqual([]);
    expect(graph.list('inbox')).toEqual([id]);
    expect(await takeMail()).toEqual([]);
    expect(await takeEvents()).toEqual([]);

    const secrets = awsClient((o) => new SecretsManagerClient(o));
    await secrets.send(new PutSecretValueCommand({ SecretId: graphSecretArn, SecretString: JSON.stringify({ clientSecret: GRAPH_CLIENT_SECRET }) }));
    const run = await graphPoller.invoke(null);
    expectNoError(run);
    expect(run.result).toEqual({ polled: 1, failed: 0 });
    expect(logged(run, 'graph message')).toEqual([expect.objectContaining({ id, outcome: 'created', ticket: 'TKT-3' })]);
    expect(graph.list('inbox')).toEqual([]);
    expect(graph.list('Processed')).toEqual([id]);
    const mail = await takeMail();
    expect(await decodedSubjects(mail)).toEqual([
      { to: 'it-team@northwind.example', subject: '[TKT-3] [P3 hardware] Laptop fan is super loud 🔥 and it gets really hot' },
      { to: 'yuki.tanaka@northwind.example', subject: 'Re: [TKT-3] Laptop fan is super loud 🔥 and it gets really hot' },
    ]);
    expectSentAs(mail, sendAsPatterns(variant, variant.functions.graph!));
    expect(await takeEvents()).toEqual([expect.objectContaining({ type: 'ticket.created', message: expect.objectContaining({ ticketId: 'TKT-3', requester: 'yuki.tanaka@northwind.example' }) })]);
    // The log names ids and outcomes: no secret, no token, no subject, no address.
    const tokens = graph.requests.map((r) => r.token).filter((t): t is string => !!t);
    expect(tokens.length).toBeGreaterThan(0);
    const output = JSON.stringify(run);
    for (const text of [GRAPH_CLIENT_SECRET, ...tokens, subject!, 'yuki.tanaka@northwind.example']) expect(output).not.toContain(text);
  });

  it('the Gmail Lambda reads the service account key from Secrets Manager, gets a delegated token, turns the INBOX mail into a ticket and labels it Processed', async () => {
    const raw = fixture('mail/28-gmail-android-new-guest-wifi.eml');
    const { subject } = await simpleParser(raw);
    const id = google.deliver(raw);
    // The secret holds a key Google no longer knows: the token endpoint refuses the assertion, and the mail stays.
    const refused = await gmailPoller.invoke(null);
    expect(refused.error).toMatchObject({ name: 'GoogleTokenError', message: expect.stringContaining(`Google rejected the signature of service account ${google.key.client_email}`) });
    expect(JSON.stringify(refused)).not.toContain('PRIVATE KEY');
    expect(google.tokensIssued()).toBe(0);
    expect(google.withLabel('INBOX')).toEqual([id]);
    expect(await takeMail()).toEqual([]);
    expect(await takeEvents()).toEqual([]);

    const secrets = awsClient((o) => new SecretsManagerClient(o));
    await secrets.send(new PutSecretValueCommand({ SecretId: gmailSecretArn, SecretString: google.keyFile }));
    const run = await gmailPoller.invoke(null);
    expectNoError(run);
    expect(run.result).toEqual({ polled: 1, failed: 0 });
    expect(logged(run, 'gmail sync')).toEqual([expect.objectContaining({ kind: 'full', reason: 'first poll', found: 1 })]);
    expect(logged(run, 'gmail message')).toEqual([expect.objectContaining({ id, outcome: 'created', ticket: 'TKT-4' })]);
    expect(google.withLabel('INBOX')).toEqual([]);
    expect(google.labelsOf(id)).toEqual([google.labelId('Processed')]);
    const mail = await takeMail();
    expect(await decodedSubjects(mail)).toEqual([
      { to: 'it-team@northwind.example', subject: expect.stringMatching(/^\[TKT-4\] \[P\d [\w-]+\] Guest Wi-Fi voucher at reception doesn't work$/) },
      { to: 'j.doe@contoso.example', subject: "Re: [TKT-4] Guest Wi-Fi voucher at reception doesn't work" },
    ]);
    expectSentAs(mail, sendAsPatterns(variant, variant.functions.gmail!));
    expect(await takeEvents()).toEqual([expect.objectContaining({ type: 'ticket.created', message: expect.objectContaining({ ticketId: 'TKT-4', requester: 'j.doe@contoso.example' }) })]);
    // The log names ids and outcomes: no key, no token, no subject, no address.
    expect(google.tokensIssued()).toBe(1);
    const output = JSON.stringify(run);
    for (const text of ['PRIVATE KEY', 'ya29.', subject!, 'j.doe@contoso.example']) expect(output).not.toContain(text);
  });
});
