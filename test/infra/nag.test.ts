/**
 * cdk-nag (AwsSolutions) over both stages. cdk-nag 3 is a CDK policy-validation plugin, not an
 * Aspect: findings are not Annotations any more, so we run the pack on the tree directly
 * (`validateScope`, the entry point cdk-nag documents for tests) and also synthesize through
 * infra/app.ts, where an unacknowledged finding fails `cdk synth` itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, type PolicyViolation } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { readSettings } from '../../infra/context.js';
import { FEATURE_FLAGS } from '../../infra/flags.js';
import { TicketingStack } from '../../infra/ticketing-stack.js';

const BASE = { domain: 'northwind.example', supportAddress: 'support@northwind.example', staffList: 'it-team@northwind.example', staff: 'alex.kim@northwind.example,it.northwind.example' };
const outdirs: string[] = [];
afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** An IMAP mailbox in the config adds the poller function, its schedule and its secret. */
const IMAP_CONFIG = {
  imap: { host: 'outlook.office365.com', user: 'support@northwind.example', passwordSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:imap-support-AbCdEf' },
};

/** The same, with the secret given as a partial ARN (granted as name-??????). */
const IMAP_PARTIAL_ARN = { imap: { ...IMAP_CONFIG.imap, passwordSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:imap-support' } };

/** The link keys in a secret of the deployment's own, given as a partial ARN (granted as name-??????). */
const OWN_LINK_KEYS_PARTIAL_ARN = { ...IMAP_PARTIAL_ARN, web: { linkKeysSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/link-keys' } };

/** Microsoft 365 through Graph (sending through it too) and Google Workspace through the Gmail API, secrets by partial ARN. */
const GRAPH_AND_GMAIL = {
  graph: {
    app: { tenantId: 'northwind.onmicrosoft.com', clientId: '00000000-0000-4000-8000-000000000001', credentialsSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:graph-app' },
    mailbox: 'support@northwind.example',
    sendMail: true,
  },
  gmail: { mailbox: 'helpdesk@northwind.example', serviceAccountSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gmail-key' },
};

/** Slack (its secret by partial ARN, also read by the HTTP function) and Teams (by complete ARN): the chat function, its queue and subscription. */
const SLACK_AND_TEAMS = {
  chat: {
    slack: { channel: 'C0123ABCDEF', secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/slack' },
    teams: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/teams-AbCdEf' },
  },
};

/** The web surface on a custom domain. */
const WEB_DOMAIN = { webDomain: 'help.northwind.example', webCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab' };

function stackFor(stage: 'dev' | 'prod', ticketingConfig?: Record<string, unknown>, context: Record<string, string> = {}) {
  const app = new App({ context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] } });
  const settings = readSettings(app.node, { ...BASE, stage, alarmEmail: 'oncall@northwind.example', ...context });
  const stack = new TicketingStack(app, `Ticketing-${stage}`, { settings, env: { region: settings.region }, ...(ticketingConfig ? { ticketingConfig } : {}) });
  return { app, stack };
}

const describeViolations = (violations: PolicyViolation[]) =>
  violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => (r as { constructPath?: string }).constructPath ?? r.resourceLogicalId).join(', ')}`);

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['dev', 'as it comes', undefined, {}],
    ['prod', 'as it comes', undefined, {}],
    ['prod', 'IMAP, a web domain', IMAP_CONFIG, WEB_DOMAIN],
    ['dev', 'IMAP secret by partial ARN', IMAP_PARTIAL_ARN, {}],
    ['dev', 'IMAP and link-key secrets by partial ARN, a web domain', OWN_LINK_KEYS_PARTIAL_ARN, WEB_DOMAIN],
    ['prod', 'Graph with sendMail and Gmail, secrets by partial ARN', GRAPH_AND_GMAIL, {}],
    ['dev', 'Slack and Teams, a secret by partial ARN', SLACK_AND_TEAMS, {}],
    ['prod', 'Slack and Teams with IMAP, a secret by partial ARN', { ...SLACK_AND_TEAMS, ...IMAP_PARTIAL_ARN }, {}],
  ] as const)('%s (%s): no unacknowledged errors or warnings', (stage, _label, extra, context) => {
    const { app, stack } = stackFor(stage, extra, context);
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(stack);
    const errors = report.violations.filter((v) => v.severity === 'error');
    const warnings = report.violations.filter((v) => v.severity !== 'error');
    expect(describeViolations(errors)).toEqual([]);
    expect(describeViolations(warnings)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('every acknowledgement carries a reason', () => {
    const { stack } = stackFor('prod');
    const acks = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data as Record<string, unknown>));
    const entries = acks.flatMap((a) => Object.entries(a));
    expect(entries.length).toBeGreaterThan(5);
    for (const [id, value] of entries) {
      const reason = typeof value === 'string' ? value : (value as { reason?: string }).reason;
      expect(reason, id).toMatch(/\S{3,}.*\S{3,}/);
    }
  });

  it('still catches a new finding (the check is live)', () => {
    const { app, stack } = stackFor('dev');
    new s3.Bucket(stack, 'Careless');
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  it('the app as `cdk synth` runs it (plugin registered) synthesizes clean', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'ticketing-nag-'));
    outdirs.push(outdir);
    const app = new App({ outdir, context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [], ...BASE, stage: 'prod' } });
    const { stack } = buildApp(app);
    expect(() => app.synth()).not.toThrow();
    // …and fails it when something is not acknowledged.
    const failing = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'ticketing-nag-')), context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [], ...BASE } });
    outdirs.push(failing.outdir);
    new s3.Bucket(buildApp(failing).stack, 'Careless');
    expect(() => failing.synth()).toThrow(/AwsSolutions-S1/);
    expect(stack.stackName).toBe('Ticketing-prod');
  });
});
