/**
 * One real bundle with the locally installed esbuild (no Docker): the inbound Lambda's asset is
 * ESM, carries the createRequire banner, has the AWS SDK bundled in, and loads in Node; the
 * charset and HTML packages ride beside it and load only for a mail that needs them. The HTTP
 * Lambda's asset (the Hono app) likewise, within a size bound of its own; the chat Lambda's (a
 * stage with a Teams channel) parses no mail, so nothing rides beside it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { build } from 'esbuild';
import { afterAll, expect, it } from 'vitest';
import { readSettings } from '../../infra/context.js';
import { FEATURE_FLAGS } from '../../infra/flags.js';
// @ts-expect-error linkify-it ships no types (mailparser's dependency, used here as the bundle's stand-in is)
import linkifyIt from 'linkify-it';
import { LAZY_PACKAGE_HOOKS, LAZY_PACKAGES, lambdaEsbuildOptions } from '../../infra/lambda-bundling.js';
import { ESM_BANNER, TicketingStack } from '../../infra/ticketing-stack.js';
import { parseMail } from '../../src/mail/parse.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

const outdir = mkdtempSync(path.join(tmpdir(), 'ticketing-bundle-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

it('bundles the Lambdas (and the rule-set provider) as loadable ESM with the SDK inside', { timeout: 180_000 }, () => {
  const app = new App({ outdir, context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': ['Ticketing-dev'] } });
  const settings = readSettings(app.node, { domain: 'northwind.example', supportAddress: 'support@northwind.example', staffList: 'it-team@northwind.example', staff: 'alex.kim@northwind.example' });
  const teamsSecret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ticketing/teams-AbCdEf';
  const stack = new TicketingStack(app, 'Ticketing-dev', { settings, env: { region: settings.region }, ticketingConfig: { chat: { teams: { secretArn: teamsSecret } } } });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, any> };
  const assetOf = (memorySize: number, description = '') => {
    const fn = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.MemorySize === memorySize && String(r.Properties.Description).startsWith(description),
    );
    const file = path.join(outdir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`, 'index.mjs');
    expect(existsSync(file), file).toBe(true);
    return file;
  };
  const file = assetOf(1024, 'Parses received mail'); // inbound
  const httpFile = assetOf(1024, 'The web surface');
  const staleFile = assetOf(512);
  const ruleSetFile = assetOf(256, 'Activates'); // the receipt rule set custom resource (infra/rule-set-activation.ts)
  const chatFile = assetOf(256, 'Posts ticket events');

  const code = readFileSync(file, 'utf8');
  const chatCode = readFileSync(chatFile, 'utf8');
  for (const [f, text] of [[file, code], [httpFile, readFileSync(httpFile, 'utf8')], [chatFile, chatCode]] as const) {
    expect(text.startsWith(ESM_BANNER), f).toBe(true);
    expect(text, f).toMatch(/export\s*\{[^}]*\bhandler\b/);
    // SDK v3 is bundled: no import or require of @aws-sdk/* is left for the runtime's copy to
    // satisfy. (The SDK's own error messages quote `[require("@aws-sdk/signature-v4-crt")]`;
    // those are text, hence the `[` exclusion.) The load below, from a temp dir with no
    // node_modules, would fail on any external left behind.
    const externals = [...text.matchAll(/(?<!\[)(?:\brequire\(|\bfrom\s*|\bimport\s*\(?\s*)["']@aws-sdk\/[\w.-]+(?:\/[\w.-]+)*["']/g)].map((m) => m[0]);
    expect(externals, f).toEqual([]);
    if (f !== chatFile) expect(text, f).toContain('SendRawEmail');
  }
  expect(chatCode).toContain('GetSecretValue'); // the channels' secrets, through the bundled SDK
  // The HTTP bundle is the inbound pipeline (~1.5 MB) plus Hono, @hono/zod-openapi with the
  // OpenAPI generator, and the pages: about 1.9 MB. Past 2.5 MB something new came in: look.
  const httpSize = statSync(httpFile).size;
  expect(httpSize).toBeGreaterThan(statSync(file).size);
  expect(httpSize, `${httpFile}: ${(httpSize / 1e6).toFixed(2)} MB`).toBeLessThan(2_500_000);

  // It loads: module init (config parse, SDK clients) runs without touching the network.
  const config = {
    supportAddresses: ['support@northwind.example'],
    aws: { region: 'eu-west-1', tableName: 'tickets', bucket: 'ticketing-mail', inboundPrefix: 'inbound/' },
  };
  // Everything is in the bundle: nothing ships beside index.mjs for the runtime to resolve.
  expect(existsSync(path.join(path.dirname(file), 'node_modules'))).toBe(false);
  // ... but the charset and HTML packages, in files of their own beside it (not inside it), for the functions that parse mail
  for (const f of [file, httpFile, staleFile]) {
    for (const lazy of Object.values(LAZY_PACKAGES)) expect(existsSync(path.join(path.dirname(f), lazy)), `${lazy} beside ${f}`).toBe(true);
  }
  expect(code).not.toContain('Encoding not recognized'); // iconv-lite's own message
  expect(readFileSync(path.join(path.dirname(file), LAZY_PACKAGES['iconv-lite']!), 'utf8')).toContain('Encoding not recognized');
  for (const f of [ruleSetFile, chatFile]) expect(existsSync(path.join(path.dirname(f), LAZY_PACKAGES['iconv-lite']!)), f).toBe(false);
  // The HTTP app refuses to start without a link key (src/http/deps.ts); the deployed one reads
  // them from Secrets Manager, this load takes one inline and touches no network.
  const httpConfig = { ...config, web: { linkKeys: ['bundle-test-link-key-0123456789abcdef'] } };
  // The chat function's cold start refuses a config without a channel; this one names a secret it reads only when an event comes.
  const chatConfig = { ...config, chat: { teams: { secretArn: teamsSecret } } };
  for (const f of [file, httpFile, staleFile, ruleSetFile, chatFile]) {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(f).href)}); console.log(typeof m.handler);`],
      {
        cwd: tmpdir(),
        env: {
          PATH: process.env.PATH,
          TICKETING_CONFIG: JSON.stringify(f === httpFile ? httpConfig : f === chatFile ? chatConfig : config),
          AWS_REGION: 'eu-west-1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(out.trim(), f).toBe('function');
  }
});

it('a bundled parseMail loads the packages beside it only for a mail that needs them, and reads it as the source does', { timeout: 120_000 }, async () => {
  // Prepare: parseMail bundled as the Lambdas are, with the packages built beside it as the stack's hook builds them
  const dir = mkdtempSync(path.join(outdir, 'parse-'));
  await build({
    ...lambdaEsbuildOptions(true),
    absWorkingDir: REPO_ROOT,
    stdin: { contents: "export { parseMail } from './src/mail/parse.ts'; export { default as linkify } from 'linkify-it';", resolveDir: REPO_ROOT, loader: 'ts' },
    outfile: path.join(dir, 'index.mjs'),
    logLevel: 'error',
  });
  for (const command of LAZY_PACKAGE_HOOKS.afterBundling(REPO_ROOT, dir)) execFileSync('bash', ['-c', command], { cwd: REPO_ROOT });
  const jis = Buffer.from('1b244224332473244b2441244f1b2842', 'hex'); // "こんにちは" in ISO-2022-JP
  const mails = {
    utf8: readFileSync(path.join(REPO_ROOT, 'fixtures/mail/01-outlook-new-vpn-down.eml')),
    latin1: readFileSync(path.join(REPO_ROOT, 'fixtures/mail/26-outlook-iso-8859-1-share-access.eml')),
    iso2022jp: Buffer.concat([
      Buffer.from(`From: a@example.com\r\nSubject: =?ISO-2022-JP?B?${jis.toString('base64')}?=\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n`),
      jis,
    ]),
    htmlOnly: Buffer.from('From: a@example.com\r\nSubject: html\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>The <b>printer</b> is <a href="https://example.com/x">down</a>.</p>'),
  };
  const limits = { maxMessageBytes: 1024 * 1024, maxHeaderLines: 1000 };
  const driver = `
    import { createRequire } from 'node:module';
    const bundle = ${JSON.stringify(pathToFileURL(path.join(dir, 'index.mjs')).href)};
    const { parseMail, linkify } = await import(bundle);
    const loaded = () => Object.keys(createRequire(bundle).cache).filter((f) => f.startsWith(${JSON.stringify(dir)})).map((f) => f.slice(${dir.length + 1})).sort();
    const out = {};
    for (const [name, base64] of Object.entries(${JSON.stringify(Object.fromEntries(Object.entries(mails).map(([k, v]) => [k, v.toString('base64')])))})) {
      const msg = await parseMail(Buffer.from(base64, 'base64'), { limits: ${JSON.stringify(limits)} });
      out[name] = { subject: msg.subject, text: msg.text, parseWarnings: msg.parseWarnings, loaded: loaded() };
    }
    const links = linkify().tlds(['example']).add('ftp:', null);
    out.linkify = { before: loaded(), found: links.match('see www.printers.example or ftp://a.example').map((m) => m.url), after: loaded() };
    console.log(JSON.stringify(out));`;

  // Act: one fresh process, the mails in turn
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', driver], { cwd: tmpdir(), encoding: 'utf8', timeout: 60_000 }));

  // Assess: same text as the source's parseMail; each package loaded by the first mail that needs it, not before
  for (const [name, raw] of Object.entries(mails)) {
    const msg = await parseMail(raw, { limits });
    expect({ subject: out[name].subject, text: out[name].text, parseWarnings: out[name].parseWarnings }, name).toEqual({ subject: msg.subject, text: msg.text, parseWarnings: msg.parseWarnings });
  }
  expect(out.iso2022jp.subject).toBe('こんにちは');
  expect(out.iso2022jp.text).toBe('こんにちは');
  expect(out.htmlOnly.text).toBe('The printer is down [https://example.com/x].');
  const [iconv, japanese, html, links] = [LAZY_PACKAGES['iconv-lite'], LAZY_PACKAGES['encoding-japanese'], LAZY_PACKAGES['html-to-text'], LAZY_PACKAGES['linkify-it']];
  expect([out.utf8.loaded, out.latin1.loaded, out.iso2022jp.loaded, out.htmlOnly.loaded]).toEqual([
    [],
    [iconv],
    [japanese, iconv].sort(),
    [japanese, html, iconv].sort(),
  ]);
  // linkify-it, which no mail loads (parseMail makes no HTML of text), is made with its set-up the first time it is asked
  const real = linkifyIt().tlds(['example']).add('ftp:', null);
  expect(out.linkify).toEqual({
    before: [japanese, html, iconv].sort(),
    found: real.match('see www.printers.example or ftp://a.example').map((m: { url: string }) => m.url),
    after: [japanese, html, iconv, links].sort(),
  });
  expect(out.linkify.found).toEqual(['http://www.printers.example']);
});
