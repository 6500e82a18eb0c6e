#!/usr/bin/env node
// Runs a TypeScript script (eval, bench) through tsx: `node src/bin/run.mjs FILE.ts [args]`.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

// Local runs use Node 20; Lambda runs 22. The SDK's notice about that is not for our users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node src/bin/run.mjs FILE.ts [args]');
  process.exit(2);
}
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(resolve(file)).href);
