/**
 * One real bundle with the locally installed esbuild (no Docker): the inbound Lambda's asset is
 * ESM, carries the createRequire banner, has the AWS SDK bundled in, and loads in Node.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { afterAll, expect, it } from 'vitest';
import { readSettings } from '../../infra/context.js';
import { FEATURE_FLAGS } from '../../infra/flags.js';
import { ESM_BANNER, TicketingStack } from '../../infra/ticketing-stack.js';

const outdir = mkdtempSync(path.join(tmpdir(), 'ticketing-bundle-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

it('bundles the Lambdas (and the rule-set provider) as loadable ESM with the SDK inside', { timeout: 180_000 }, () => {
  const app = new App({ outdir, context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': ['Ticketing-dev'] } });
  const settings = readSettings(app.node, { domain: 'northwind.example', supportAddress: 'support@northwind.example', staffList: 'it-team@northwind.example', staff: 'alex.kim@northwind.example' });
  const stack = new TicketingStack(app, 'Ticketing-dev', { settings, env: { region: settings.region } });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, any> };
  const assetOf = (memorySize: number) => {
    const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.MemorySize === memorySize);
    const file = path.join(outdir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`, 'index.mjs');
    expect(existsSync(file), file).toBe(true);
    return file;
  };
  const file = assetOf(1024); // inbound
  const staleFile = assetOf(512);
  const ruleSetFile = assetOf(256); // the receipt rule set custom resource (infra/rule-set-activation.ts)

  const code = readFileSync(file, 'utf8');
  expect(code.startsWith(ESM_BANNER)).toBe(true);
  expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
  // SDK v3 is bundled: no import or require of @aws-sdk/* is left for the runtime's copy to
  // satisfy. (The SDK's own error messages quote `[require("@aws-sdk/signature-v4-crt")]`;
  // those are text, hence the `[` exclusion.) The load below, from a temp dir with no
  // node_modules, would fail on any external left behind.
  const externals = [...code.matchAll(/(?<!\[)(?:\brequire\(|\bfrom\s*|\bimport\s*\(?\s*)["']@aws-sdk\/[\w.-]+(?:\/[\w.-]+)*["']/g)].map((m) => m[0]);
  expect(externals).toEqual([]);
  expect(code).toContain('SendRawEmail');

  // It loads: module init (config parse, SDK clients) runs without touching the network.
  const config = {
    supportAddresses: ['support@northwind.example'],
    aws: { region: 'eu-west-1', tableName: 'tickets', bucket: 'ticketing-mail', inboundPrefix: 'inbound/' },
  };
  // Everything is in the bundle: nothing ships beside index.mjs for the runtime to resolve.
  expect(existsSync(path.join(path.dirname(file), 'node_modules'))).toBe(false);
  for (const f of [file, staleFile, ruleSetFile]) {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(f).href)}); console.log(typeof m.handler);`],
      {
        cwd: tmpdir(),
        env: { PATH: process.env.PATH, TICKETING_CONFIG: JSON.stringify(config), AWS_REGION: 'eu-west-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(out.trim(), f).toBe('function');
  }
});
