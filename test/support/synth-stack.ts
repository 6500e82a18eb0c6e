/**
 * The CDK stack synthesized for template assertions (test/infra/*): Northwind's settings, the
 * repo's feature flags, bundling skipped (`aws:cdk:bundling-stacks: []`; bundle.test.ts bundles
 * for real once).
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readSettings, type ContextKey } from '../../infra/context.js';
import { FEATURE_FLAGS } from '../../infra/flags.js';
import { TicketingStack } from '../../infra/ticketing-stack.js';

export const NORTHWIND_SETTINGS = { domain: 'northwind.example', supportAddress: 'support@northwind.example', staffList: 'it-team@northwind.example', staff: 'alex.kim@northwind.example,it.northwind.example' };

export function synthStack(overrides: Partial<Record<ContextKey, unknown>> = {}, context: Record<string, unknown> = {}, ticketingConfig?: Record<string, unknown>) {
  const app = new App({ context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [], ...context } });
  const settings = readSettings(app.node, { ...NORTHWIND_SETTINGS, ...overrides });
  const stack = new TicketingStack(app, `Ticketing-${settings.stage}`, { settings, env: { region: settings.region }, ...(ticketingConfig ? { ticketingConfig } : {}) });
  return { stack, template: Template.fromStack(stack) };
}

/** Evaluates the Fn::Join/Ref/GetAtt of a value into a plain string with named stand-ins. */
export function flatten(value: unknown): string {
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
