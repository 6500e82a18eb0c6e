/**
 * How the Lambdas are bundled: the options NodejsFunction runs the local esbuild with (ESM for
 * Node 22, everything inside, minified, the source map in a file of its own), and the packages
 * that ride beside index.mjs in files of their own, loaded only by a mail that needs them.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OutputFormat, type BundlingOptions, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

const REPO_ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const { resolve: resolvePackage } = createRequire(path.join(REPO_ROOT, 'package.json'));

/**
 * Lambdas are ESM (`"type": "module"`); mailparser, iconv-lite and friends are CommonJS and call
 * `require`, which does not exist in an ES module. The banner gives the bundle a real one.
 */
export const ESM_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Packages bundled into files of their own beside index.mjs (name → file), each loaded the first
 * time a mail needs it: iconv-lite (~480 KB of charset tables) and encoding-japanese (~225 KB,
 * tables built as it loads) for a charset other than UTF-8 / US-ASCII, html-to-text (with
 * htmlparser2, entities, domutils: ~200 KB) for an HTML-only mail; linkify-it (a pattern of every
 * top-level domain, built as mailparser loads) only for text-to-HTML, which parseMail switches
 * off. In index.mjs each is a stand-in from infra/lazy-packages/. One copy serves mailparser's require and our import alike
 * (html-to-text was bundled twice, as its ES and its CommonJS build).
 */
export const LAZY_PACKAGES: Readonly<Record<string, string>> = {
  'iconv-lite': 'iconv-lite.cjs',
  'encoding-japanese': 'encoding-japanese.cjs',
  'html-to-text': 'html-to-text.cjs',
  'linkify-it': 'linkify-it.cjs',
};

/** esbuild's aliases: with `lazyPackages`, each lazily loaded package becomes its stand-in. */
export function bundleAliases(lazyPackages: boolean): Record<string, string> {
  if (!lazyPackages) return {};
  return Object.fromEntries(Object.keys(LAZY_PACKAGES).map((name) => [name, `./infra/lazy-packages/${name}.cjs`]));
}

function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** After the bundle: each lazily loaded package as one CommonJS file beside index.mjs. */
export const LAZY_PACKAGE_HOOKS: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir, outputDir) =>
    Object.entries(LAZY_PACKAGES).map(([name, file]) =>
      [
        path.join(inputDir, 'node_modules', '.bin', 'esbuild'),
        path.join(inputDir, path.relative(REPO_ROOT, resolvePackage(name))),
        '--bundle',
        '--platform=node',
        '--format=cjs',
        '--target=node22',
        '--minify',
        '--log-level=warning',
        `--outfile=${path.join(outputDir, file)}`,
      ]
        .map(shellQuote)
        .join(' '),
    ),
};

/**
 * The esbuild options of a Lambda bundle, as esbuild's API takes them (the bundle test builds with
 * these; `lambdaBundling` hands the same to NodejsFunction). `lazyPackages`: for the functions that
 * parse mail (the ticketing Lambdas); the rule-set provider imports none of those packages.
 */
export function lambdaEsbuildOptions(lazyPackages: boolean) {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    banner: { js: ESM_BANNER },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    alias: bundleAliases(lazyPackages),
  } satisfies BuildOptions;
}

/** NodejsFunction's bundling: `lambdaEsbuildOptions`, with the lazily loaded packages built beside index.mjs. */
export function lambdaBundling(o: { lazyPackages: boolean }): BundlingOptions {
  const options = lambdaEsbuildOptions(o.lazyPackages);
  return {
    forceDockerBundling: false, // local esbuild; no Docker here or in CI
    format: OutputFormat.ESM,
    target: options.target,
    mainFields: options.mainFields,
    banner: options.banner.js,
    // The AWS SDK v3 is bundled, not taken from the runtime: the versions we tested against
    // (package-lock.json) are the versions that run, the runtime's copy changes under us
    // without a deploy, and tree-shaken ESM clients load faster than the runtime's full ones.
    externalModules: [],
    minify: options.minify,
    sourceMap: options.sourcemap,
    sourcesContent: options.sourcesContent,
    // paths from the project root, where NodejsFunction runs esbuild
    esbuildArgs: { '--alias': Object.entries(options.alias).map(([name, target]) => `${name}=${target}`) },
    ...(o.lazyPackages ? { commandHooks: LAZY_PACKAGE_HOOKS } : {}),
  };
}
