/**
 * The chat part of the CDK stack, asserted on its template: with chat.slack or chat.teams in
 * ticketingConfig, a function subscribed to the ticket-events topic, its dead-letter queue and
 * alarms, reading exactly the channels' secrets; without, none of it. Bundling is skipped
 * (test/infra/bundle.test.ts bundles for real).
 */
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { flatten, synthStack } from '../support/synth-stack.js';

/** Slack's secret by partial ARN (granted as name-??????), Teams' by complete ARN. */
const SLACK_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/slack';
const TEAMS_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/teams-AbCdEf';
const SLACK_AND_TEAMS = { chat: { slack: { channel: 'C0123ABCDEF', secretArn: SLACK_SECRET }, teams: { secretArn: TEAMS_SECRET, events: ['incident', 'digest'] } } };

const synth = (stage: 'dev' | 'prod', ticketingConfig?: Record<string, unknown>) => synthStack({ stage }, {}, ticketingConfig);

/** The one function whose description starts so: its logical id and properties. */
function fnNamed(template: Template, description: string) {
  const found = Object.entries(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(`^${description}`) } }));
  expect(found, description).toHaveLength(1);
  const [id, fn] = found[0]!;
  return { id, props: fn.Properties as Record<string, any>, role: fn.Properties.Role['Fn::GetAtt'][0] as string };
}

function logicalId(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, props));
  expect(ids, type).toHaveLength(1);
  return ids[0]!;
}

/** Every statement of the policies on one role. */
function statementsOf(template: Template, role: string): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
}

/** The roles whose policies allow `action` on exactly `resource`. */
function rolesAllowed(template: Template, action: string, resource: string): string[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.PolicyDocument.Statement as any[]).some((st) => [st.Action].flat().includes(action) && [st.Resource].flat().some((r: unknown) => flatten(r) === resource)))
    .flatMap((p) => (p.Properties.Roles as Array<{ Ref: string }>).map((r) => r.Ref))
    .sort();
}

const CHAT = 'Posts ticket events';
const HTTP = 'The web surface';

describe('TicketingStack with Slack and Teams', () => {
  let template: Template;
  let chat: ReturnType<typeof fnNamed>;
  let topicId: string;
  let queueId: string;
  beforeAll(() => {
    const synthesized = synth('dev', SLACK_AND_TEAMS);
    template = synthesized.template;
    chat = fnNamed(template, CHAT);
    topicId = logicalId(template, 'AWS::SNS::Topic', { Properties: { DisplayName: 'Ticket events' } });
    const { stack } = synthesized;
    queueId = stack.getLogicalId(stack.chatUndelivered!.node.defaultChild as CfnElement);
  });

  it('adds the chat function (Node 22 arm64), subscribed to the ticket-events topic, which alone may invoke it', () => {
    // Assess
    expect(chat.props).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 256, Handler: 'index.handler' });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', TopicArn: { Ref: topicId }, Endpoint: { 'Fn::GetAtt': [chat.id, 'Arn'] } });
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'sns.amazonaws.com' } }));
    expect(permissions.map((p) => p.Properties)).toEqual([{ Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [chat.id, 'Arn'] }, Principal: 'sns.amazonaws.com', SourceArn: { Ref: topicId } }]);
  });

  it('gives it the Lambdas\' config with the chat block, its stage, and the web address its links point at', () => {
    // Prepare
    const variables = chat.props.Environment.Variables as Record<string, unknown>;
    const apiId = logicalId(template, 'AWS::ApiGatewayV2::Api');

    // Act
    const raw = JSON.parse(flatten(variables.TICKETING_CONFIG));
    const config = parseConfig({ ...raw, events: { snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:events' }, web: {} });

    // Assess
    expect(raw.chat).toEqual(SLACK_AND_TEAMS.chat);
    expect(config.chat.slack).toMatchObject({ secretArn: SLACK_SECRET, channel: 'C0123ABCDEF' });
    expect(config.chat.teams).toMatchObject({ secretArn: TEAMS_SECRET, events: ['incident', 'digest'] });
    expect(variables.TICKETING_STAGE).toBe('dev');
    expect(variables.TICKETING_WEB_BASE_URL).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
    // Every other function gets the same config.
    expect(variables.TICKETING_CONFIG).toEqual(fnNamed(template, HTTP).props.Environment.Variables.TICKETING_CONFIG);
  });

  it('retries a failed invoke twice within an hour, then keeps the event in an encrypted, TLS-only queue, as SNS does with one it could not hand over', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: chat.id },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: { 'Fn::GetAtt': [chat.id, 'Arn'] }, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
    template.hasResource('AWS::SQS::Queue', { Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 }, DeletionPolicy: 'Delete' });
    const [policy] = Object.values(template.findResources('AWS::SQS::QueuePolicy', { Properties: { Queues: [{ Ref: queueId }] } }));
    const statements = policy!.Properties.PolicyDocument.Statement as any[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    // Only our topic's SNS may put events in it.
    expect(statements.find((s) => s.Effect === 'Allow')).toMatchObject({ Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId } } } });
    expect(Object.values(template.findOutputs('ChatUndeliveredQueueUrl'))[0]!.Value).toEqual({ Ref: queueId });
    expect(Object.values(template.findOutputs('ChatLogGroup'))[0]!.Value).toEqual({ Ref: chat.props.LoggingConfig.LogGroup.Ref });
  });

  it('lets it read exactly the two chat secrets (a partial ARN as name-??????) and the HTTP function the Slack one', () => {
    // Prepare
    const http = fnNamed(template, HTTP);
    const secretReads = (role: string) =>
      statementsOf(template, role)
        .filter((st) => [st.Action].flat().some((a: string) => a === '*' || a.startsWith('secretsmanager:')))
        .map((st) => ({ actions: [st.Action].flat(), resources: [st.Resource].flat().map(flatten).sort() }));

    // Assess
    expect(secretReads(chat.role)).toEqual([{ actions: ['secretsmanager:GetSecretValue'], resources: [`${SLACK_SECRET}-??????`, TEAMS_SECRET] }]);
    expect(rolesAllowed(template, 'secretsmanager:GetSecretValue', `${SLACK_SECRET}-??????`)).toEqual([chat.role, http.role].sort());
    expect(rolesAllowed(template, 'secretsmanager:GetSecretValue', TEAMS_SECRET)).toEqual([chat.role]);
    expect(statementsOf(template, http.role).find((st) => st.Sid === 'ReadSlackSecret')).toMatchObject({ Action: 'secretsmanager:GetSecretValue', Resource: `${SLACK_SECRET}-??????` });
  });

  it('lets it get and put only the chat items of the table, and nothing else: no mail, no sending, no publishing', () => {
    // Prepare
    const tableId = logicalId(template, 'AWS::DynamoDB::Table');

    // Act
    const statements = statementsOf(template, chat.role);
    const actions = statements.flatMap((st) => [st.Action].flat() as string[]).sort();

    // Assess
    expect(statements.find((st) => st.Sid === 'ReadWriteChatPosts')).toEqual({
      Sid: 'ReadWriteChatPosts',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
      // src/aws/dynamo-keys.ts: chat posts and threads are H#… partitions.
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['H#*'] } },
    });
    expect(actions).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'secretsmanager:GetSecretValue', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
  });

  it('gives the function time to use every channel\'s retry budget, within Lambda\'s 15 minutes', () => {
    // Two channels, chat.retrySeconds 60: (60 + 90) each, and 30 to spare.
    expect(chat.props.Timeout).toBe(330);
    const teamsOnly = (retrySeconds: number) => fnNamed(synth('dev', { chat: { teams: { secretArn: TEAMS_SECRET }, retrySeconds } }).template, CHAT).props.Timeout;
    expect(teamsOnly(0)).toBe(120);
    expect(fnNamed(synth('dev', { chat: { ...SLACK_AND_TEAMS.chat, retrySeconds: 600 } }).template, CHAT).props.Timeout).toBe(900);
  });

  it('dev alarms when an event reached no channel and when a channel refused a post for good', () => {
    // Prepare
    const alarmTopic = logicalId(template, 'AWS::SNS::Topic', { Properties: { DisplayName: 'Ticketing alarms (dev)' } });

    // Assess: the three of every stage, and these two
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Ticketing-dev-ChatUndelivered',
      Namespace: 'AWS/SQS',
      MetricName: 'NumberOfMessagesSent',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: alarmTopic }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Ticketing-dev-ChatPostsFailed',
      Namespace: 'Ticketing',
      MetricName: 'ChatFailed',
      Dimensions: [{ Name: 'service', Value: 'ticketing-chat' }, { Name: 'stage', Value: 'dev' }],
      Period: 900,
      Threshold: 1,
      AlarmActions: [{ Ref: alarmTopic }],
    });
  });

  it('prod also alarms on the function\'s errors', () => {
    // Act
    const { template: prod } = synth('prod', SLACK_AND_TEAMS);

    // Assess
    const fn = fnNamed(prod, CHAT);
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Ticketing-prod-ChatErrors',
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn.id } }],
      Period: 300,
      Threshold: 1,
    });
    for (const name of ['Ticketing-prod-ChatUndelivered', 'Ticketing-prod-ChatPostsFailed']) {
      expect(Object.keys(prod.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } })), name).toHaveLength(1);
    }
    prod.hasResource('AWS::SQS::Queue', { Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 }, DeletionPolicy: 'Retain' });
  });
});

describe('TicketingStack chat: when not configured, and what is refused', () => {
  it('adds no chat function, queue, subscription or alarm without chat.slack or chat.teams', () => {
    // Act
    const { stack, template } = synth('prod');

    // Assess
    expect(stack.chatFunction).toBeNull();
    expect(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(`^${CHAT}`) } })).toEqual({});
    template.resourceCountIs('AWS::SQS::Queue', 1); // FailedInvocations
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    expect(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: Match.stringLikeRegexp('Chat') } })).toEqual({});
    expect(template.findOutputs('ChatUndeliveredQueueUrl')).toEqual({});
    expect(template.findOutputs('ChatLogGroup')).toEqual({});
  });

  it('with Teams only, the HTTP function reads no chat secret', () => {
    // Act
    const { template } = synth('dev', { chat: { teams: { secretArn: TEAMS_SECRET } } });

    // Assess
    const [chat, http] = [fnNamed(template, CHAT), fnNamed(template, HTTP)];
    expect(rolesAllowed(template, 'secretsmanager:GetSecretValue', TEAMS_SECRET)).toEqual([chat.role]);
    expect(statementsOf(template, http.role).find((st) => st.Sid === 'ReadSlackSecret')).toBeUndefined();
  });

  it.each([
    ['a Slack webhook URL', { slack: { webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX' } }, 'chat.slack.webhookUrl'],
    ['a Slack bot token', { slack: { botToken: 'xoxb-1234-5678-abcdef', channel: 'C0123ABCDEF' } }, 'chat.slack.botToken'],
    ['a Slack signing secret beside the secret', { slack: { secretArn: SLACK_SECRET, channel: 'C0123ABCDEF', signingSecret: '8f742231b10e8888abcd99yyyzzz85a5' } }, 'chat.slack.signingSecret'],
    ['a Teams webhook URL', { teams: { webhookUrl: 'https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=xyz' } }, 'chat.teams.webhookUrl'],
  ])('refuses %s inline at synth, pointing at secretArn', (_label, chat, field) => {
    expect(() => synth('dev', { chat })).toThrow(
      new RegExp(`^ticketingConfig\\.chat: a deployed stack takes the chat secrets from Secrets Manager \\(chat\\.slack\\.secretArn, chat\\.teams\\.secretArn: .*\\), never inline \\(${field.replaceAll('.', '\\.')}\\)`),
    );
  });

  it("refuses a loopback Slack API address, which is for local use only", () => {
    const chat = { slack: { secretArn: SLACK_SECRET, channel: 'C0123ABCDEF', apiUrl: 'http://127.0.0.1:9999/api' } };
    expect(() => synth('dev', { chat })).toThrow('ticketingConfig.chat.slack.apiUrl: http://127.0.0.1:9999/api is a loopback address, for local use only; a deployed stack talks to https://slack.com/api (leave apiUrl out)');
  });

  it('names every inline secret at once', () => {
    const chat = { slack: { botToken: 'xoxb-1234-5678-abcdef', channel: 'C0123ABCDEF', signingSecret: '8f742231b10e8888abcd99yyyzzz85a5' }, teams: { webhookUrl: 'https://example.org/hook' } };
    expect(() => synth('dev', { chat })).toThrow(/never inline \(chat\.slack\.botToken, chat\.slack\.signingSecret, chat\.teams\.webhookUrl\)/);
  });
});
