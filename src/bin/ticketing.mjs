#!/usr/bin/env node
// Registers tsx so the TypeScript sources run as they are, with no build step after `npm ci`.
import { register } from 'tsx/esm/api';

// Local runs use Node 20; Lambda runs 22. The SDK's notice about that is not for our users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../cli.ts');
process.exitCode = await main(process.argv.slice(2));
