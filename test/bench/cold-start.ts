/**
 * Cold start of each Lambda: its bundle as `cdk synth` makes it (infra/ticketing-stack.ts, the
 * local esbuild), against a floor: a bundle of just the packages that function's own modules
 * import (the same bindings), built with the function's own esbuild options
 * (infra/lambda-bundling.ts), and an empty module. Import time is measured in fresh `node`
 * processes, alternating the three, median of several.
 *
 * The synth and the floor bundles are made in a child process (`--synth DIR`): CDK is heavy to
 * import, and its bundling prints as it goes.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MB, REPO_ROOT, median, runChild, runTsChild } from './measure.js';

export interface LambdaBundle {
  /** The function's construct id: Inbound, Stale, ImapPoller, RuleSetActivation. */
  name: string;
  /** index.mjs: what Lambda loads at init. */
  file: string;
  bytes: number;
  /** Every file the function ships (index.mjs and what it loads later), source map left out. */
  assetBytes: number;
  floorFile: string;
  floorBytes: number;
  /** Packages the function's own modules import (what the floor bundles). */
  packages: string[];
}

export interface ColdStart extends LambdaBundle {
  importMs: number;
  floorImportMs: number;
  importCpuMs: number;
  floorImportCpuMs: number;
}

export interface ColdStartResults {
  functions: ColdStart[];
  emptyImportMs: number;
  emptyImportCpuMs: number;
  samples: number;
}

const FUNCTIONS = ['Inbound', 'Stale', 'ImapPoller', 'RuleSetActivation'];

/** In the child: synthesize the stack with its bundles, and bundle each function's floor. */
async function synthesize(outdir: string): Promise<{ functions: LambdaBundle[]; empty: string }> {
  const [{ App }, esbuild, { readSettings }, { FEATURE_FLAGS }, { TicketingStack }, { lambdaBundling }] = await Promise.all([
    import('aws-cdk-lib'),
    import('esbuild'),
    import('../../infra/context.js'),
    import('../../infra/flags.js'),
    import('../../infra/ticketing-stack.js'),
    import('../../infra/lambda-bundling.js'),
  ]);
  const app = new App({ outdir, context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': ['Ticketing-bench'] } });
  const settings = readSettings(app.node, { domain: 'northwind.example', supportAddress: 'support@northwind.example', staffList: 'it-team@northwind.example', staff: 'alex.kim@northwind.example' });
  // An IMAP block, so the stack has its poller too.
  const imap = { host: 'imap.northwind.example', user: 'support@northwind.example', passwordSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:imap-AbCdEf' };
  const stack = new TicketingStack(app, 'Ticketing-bench', { settings, env: { region: settings.region }, ticketingConfig: { imap } });
  const template = app.synth().getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }> };

  /** The esbuild options of a function's bundling (NodejsFunction runs esbuild in the project root). */
  const optionsOf = (lazyPackages: boolean): import('esbuild').BuildOptions => {
    const b = lambdaBundling({ lazyPackages });
    const aliases = ([] as string[]).concat((b.esbuildArgs?.['--alias'] as string | string[] | undefined) ?? []);
    return {
      bundle: true,
      platform: 'node',
      format: b.format === 'cjs' ? 'cjs' : 'esm',
      target: b.target ?? 'node22',
      mainFields: b.mainFields ?? ['module', 'main'],
      ...(b.banner ? { banner: { js: b.banner } } : {}),
      minify: b.minify ?? false,
      alias: Object.fromEntries(aliases.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)])),
      absWorkingDir: REPO_ROOT,
      logLevel: 'silent',
    };
  };
  const functions: LambdaBundle[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const name = FUNCTIONS.find((f) => id.startsWith(f));
    if (resource.Type !== 'AWS::Lambda::Function' || !name) continue;
    const assetDir = path.join(outdir, `asset.${String(resource.Properties.Code?.S3Key).replace(/\.zip$/, '')}`);
    const file = path.join(assetDir, 'index.mjs');
    const sources: string[] = JSON.parse(readFileSync(`${file}.map`, 'utf8')).sources;
    const ours = sources.map((s) => path.resolve(assetDir, s)).filter((f) => f.startsWith(REPO_ROOT) && !f.includes(`${path.sep}node_modules${path.sep}`));
    const { contents, packages } = floorEntry(ours.map((f) => esbuild.transformSync(readFileSync(f, 'utf8'), { loader: 'ts', format: 'esm' }).code));
    const floorFile = path.join(outdir, `floor-${name}`, 'index.mjs');
    const shipped = readdirSync(assetDir).filter((f) => !f.endsWith('.map'));
    // A function whose charset packages ride beside index.mjs was bundled with them lazy: its floor too.
    await esbuild.build({ ...optionsOf(shipped.length > 1), stdin: { contents, resolveDir: REPO_ROOT, loader: 'js' }, outfile: floorFile });
    const assetBytes = shipped.reduce((n, f) => n + statSync(path.join(assetDir, f)).size, 0);
    functions.push({ name, file, bytes: statSync(file).size, assetBytes, floorFile, floorBytes: statSync(floorFile).size, packages });
  }
  const empty = path.join(outdir, 'empty', 'index.mjs');
  await esbuild.build({ ...optionsOf(false), stdin: { contents: '', resolveDir: REPO_ROOT, loader: 'js' }, outfile: empty });
  return { functions: FUNCTIONS.flatMap((n) => functions.filter((f) => f.name === n)), empty };
}

/**
 * An entry importing exactly what our modules import from packages (named bindings, defaults,
 * namespaces, bare imports), each kept alive so the bundler cannot drop it.
 */
function floorEntry(modules: string[]): { contents: string; packages: string[] } {
  const wanted = new Map<string, { names: Set<string>; def: boolean; ns: boolean }>();
  const want = (spec: string) => {
    if (spec.startsWith('.') || spec.startsWith('node:') || spec.startsWith('/')) return null;
    if (!wanted.has(spec)) wanted.set(spec, { names: new Set(), def: false, ns: false });
    return wanted.get(spec)!;
  };
  for (const code of modules) {
    for (const m of code.matchAll(/^(?:import|export)\s+([^;]*?)\s*from\s*"([^"]+)";?$/gm)) {
      const w = want(m[2]!);
      if (!w) continue;
      const clause = m[1]!;
      if (/\*\s+as\s+\w+|^\*$/.test(clause)) w.ns = true;
      const named = /\{([^}]*)\}/.exec(clause)?.[1];
      for (const part of named?.split(',') ?? []) {
        const name = part.trim().split(/\s+as\s+/)[0]!;
        if (name === 'default') w.def = true;
        else if (name) w.names.add(name);
      }
      if (/^[\w$]+\s*(,|$)/.test(clause)) w.def = true;
    }
    for (const m of code.matchAll(/^import\s+"([^"]+)";?$/gm)) want(m[1]!);
    for (const m of code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) {
      const w = want(m[1]!);
      if (w) w.ns = true;
    }
  }
  const lines: string[] = [];
  const kept: string[] = [];
  [...wanted.entries()].forEach(([spec, w], i) => {
    const id = `p${i}`;
    if (w.ns) lines.push(`import * as ${id}ns from ${JSON.stringify(spec)};`), kept.push(`${id}ns`);
    if (w.def) lines.push(`import ${id}d from ${JSON.stringify(spec)};`), kept.push(`${id}d`);
    const names = [...w.names];
    if (names.length) lines.push(`import { ${names.map((n, j) => `${n} as ${id}_${j}`).join(', ')} } from ${JSON.stringify(spec)};`), kept.push(...names.map((_, j) => `${id}_${j}`));
    if (!w.ns && !w.def && !names.length) lines.push(`import ${JSON.stringify(spec)};`);
  });
  lines.push(`globalThis.__floor = [${kept.join(', ')}];`);
  return { contents: lines.join('\n'), packages: [...wanted.keys()].sort() };
}

/** A fresh node importing one module: milliseconds (wall and CPU) of the import alone. */
async function importOnce(file: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; cpuMs: number }> {
  const driver = `const t = performance.now(); const c = process.cpuUsage(); await import(${JSON.stringify(pathToFileURL(file).href)}); const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ ms: performance.now() - t, cpuMs: (u.user + u.system) / 1000 }));`;
  const r = await runChild(process.execPath, ['--input-type=module', '-e', driver], { cwd: tmpdir(), env, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`importing ${file} failed (exit ${r.code}): ${r.stderr.slice(-1000)}`);
  return JSON.parse(r.stdout) as { ms: number; cpuMs: number };
}

export async function measureColdStart(samples: number, log: (line: string) => void): Promise<ColdStartResults> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bench-cold-start-'));
  try {
    const started = performance.now();
    const built = await runTsChild<{ functions: LambdaBundle[]; empty: string }>(fileURLToPath(import.meta.url), ['--synth', outdir], { timeoutMs: 10 * 60_000 });
    log(`  cdk synth with ${built.functions.length} bundles and their floors in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const config = {
      supportAddresses: ['support@northwind.example'],
      aws: { region: 'eu-west-1', tableName: 'tickets', bucket: 'ticketing-mail', inboundPrefix: 'inbound/' },
      imap: { host: 'imap.northwind.example', user: 'support@northwind.example', passwordSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:imap-AbCdEf' },
    };
    // What Lambda's environment holds for them; nothing of this machine's.
    const env = { PATH: process.env.PATH, TICKETING_CONFIG: JSON.stringify(config), TICKETING_STAGE: 'bench', AWS_REGION: 'eu-west-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const times = new Map<string, { ms: number[]; cpuMs: number[] }>();
    const take = async (file: string) => {
      const t = await importOnce(file, env);
      const seen = times.get(file) ?? { ms: [], cpuMs: [] };
      seen.ms.push(t.ms);
      seen.cpuMs.push(t.cpuMs);
      times.set(file, seen);
    };
    for (let s = 0; s < samples; s++) {
      for (const f of built.functions) {
        await take(f.file);
        await take(f.floorFile);
      }
      await take(built.empty);
    }
    const med = (file: string, what: 'ms' | 'cpuMs') => median(times.get(file)![what]);
    return {
      functions: built.functions.map((f) => ({ ...f, importMs: med(f.file, 'ms'), floorImportMs: med(f.floorFile, 'ms'), importCpuMs: med(f.file, 'cpuMs'), floorImportCpuMs: med(f.floorFile, 'cpuMs') })),
      emptyImportMs: med(built.empty, 'ms'),
      emptyImportCpuMs: med(built.empty, 'cpuMs'),
      samples,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--synth') {
  const outdir = process.argv[3]!;
  mkdirSync(outdir, { recursive: true });
  process.stdout.write(`\n${JSON.stringify(await synthesize(outdir))}\n`);
}
