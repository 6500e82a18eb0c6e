/**
 * The CDK app: `npx cdk deploy -c domain=… -c supportAddress=… -c staffList=… -c staff=…` (see
 * infra/README.md). Synthesizes offline: the stack needs no account lookup (region from context,
 * account only if given).
 */
import { pathToFileURL } from 'node:url';
import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { isPlaceholderDomain, readSettings } from './context.js';
import { ControlTowerChecks } from './control-tower-checks.js';
import { FEATURE_FLAGS } from './flags.js';
import { TicketingStack } from './ticketing-stack.js';

export function buildApp(app = new App({ context: FEATURE_FLAGS })) {
  const settings = readSettings(app.node);
  const extra = app.node.tryGetContext('ticketingConfig');
  const ticketingConfig = typeof extra === 'string' ? (JSON.parse(extra) as Record<string, unknown>) : (extra as Record<string, unknown> | undefined);
  const stack = new TicketingStack(app, `Ticketing-${settings.stage}`, {
    settings,
    ...(ticketingConfig ? { ticketingConfig } : {}),
    env: { region: settings.region, ...(settings.account ? { account: settings.account } : {}) },
    description: `Email-in ticketing (${settings.stage}): SES inbound for ${settings.domain}`,
  });
  if (isPlaceholderDomain(settings.domain)) {
    Annotations.of(stack).addWarningV2(
      'ticketing:placeholder-domain',
      `"${settings.domain}" is a placeholder (cdk.json): deploy with -c domain=… -c supportAddress=… -c staffList=… -c staff=… (see infra/README.md).`,
    );
  }
  // Policy-validation plugins: any unacknowledged finding fails `cdk synth` / `cdk deploy` with a
  // report. cdk-nag 3 (AwsSolutions) replaced the v2 Aspect; cfn-guard runs the AWS Control Tower
  // proactive controls over the synthesized templates (infra/control-tower-checks.ts says why it
  // is wrapped). Acknowledgements (with reasons) are in TicketingStack.suppressFindings().
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ControlTowerChecks());
  return { app, stack };
}

// Synthesize when run as the CDK app (cdk.json), not when a test imports buildApp.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildApp().app.synth();
}
