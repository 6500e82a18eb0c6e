/**
 * Runs a bundled Lambda (cdk.out's index.mjs) the way the Node.js runtime would, one child
 * process per invocation (a cold start each time): the code is copied into a directory with no
 * node_modules anywhere above it, the environment is exactly the template's variables (tokens
 * resolved against the emulated stack) plus what the runtime sets and the endpoint of moto, and
 * the handler is called with the event and a Lambda context. Nothing of the test process leaks
 * in: no inherited environment, no NODE_PATH, no AWS profile files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Moto } from './moto.js';
import type { StackOnMoto, SynthesizedStack } from './emulator-stack.js';

/** A line of the function's JSON log (Powertools Logger), e.g. `{ level, message, outcome, … }`. */
export type LogLine = Record<string, unknown> & { message?: string; level?: string };

export interface Invocation<T = unknown> {
  /** What the handler returned (undefined for a void handler), or null when it threw. */
  result: T;
  /** What the handler (or the module's initialisation) threw. */
  error: { name: string; message: string; stack?: string } | null;
  /** The JSON log lines the function wrote (stdout and stderr). */
  logs: LogLine[];
  stdout: string;
  stderr: string;
}

export interface EmulatedFunction {
  logicalId: string;
  name: string;
  arn: string;
  /** The environment the function runs with (template variables resolved, plus runtime and moto). */
  env: Record<string, string>;
  /** The directory the function's code runs from. */
  taskRoot: string;
  invoke<T = unknown>(event: unknown): Promise<Invocation<T>>;
}

// The runtime's side: load the handler module (module init errors are the invocation's error,
// as in Lambda), call it once, write the outcome to a file (stdout is the function's log).
const BOOTSTRAP = `
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [handlerFile, eventFile, outFile, contextFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const ctx = JSON.parse(readFileSync(contextFile, 'utf8'));
const deadline = Date.now() + ctx.timeoutMs;
const context = {
  ...ctx.context,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  done() {}, fail() {}, succeed() {},
};
let outcome;
try {
  const mod = await import(pathToFileURL(handlerFile).href);
  const result = await mod.handler(event, context);
  outcome = { result: result === undefined ? null : result, error: null };
} catch (err) {
  outcome = { result: null, error: { name: err?.name ?? 'Error', message: err?.message ?? String(err), stack: err?.stack } };
}
writeFileSync(outFile, JSON.stringify(outcome));
// Lambda freezes the sandbox here; keep-alive sockets must not keep this process alive.
process.exit(0);
`;

export interface LambdaHost {
  fn(stack: SynthesizedStack, onMoto: StackOnMoto, logicalId: string): EmulatedFunction;
  /** Kills any invocation still running. */
  stop(): Promise<void>;
}

/** Functions run from `workdir` (a temp dir the caller removes) against `moto`. */
export function lambdaHost(workdir: string, moto: Moto): LambdaHost {
  const running = new Set<ChildProcess>();
  const bootstrap = path.join(workdir, 'runtime', 'bootstrap.mjs');
  mkdirSync(path.dirname(bootstrap), { recursive: true });
  writeFileSync(bootstrap, BOOTSTRAP);
  let invocations = 0;

  return {
    fn(stack, onMoto, logicalId) {
      const resource = stack.template.Resources[logicalId];
      if (resource?.Type !== 'AWS::Lambda::Function') throw new Error(`${logicalId} is not a Lambda function`);
      const props = resource.Properties!;
      if (!String(props.Runtime).startsWith('nodejs')) throw new Error(`${logicalId} runs ${props.Runtime}, not Node.js`);
      const [file, exportName] = String(props.Handler).split('.');
      const { name, arn } = onMoto.functionName(logicalId);

      // The code, alone: what the deployment package holds, in a directory of its own.
      const taskRoot = path.join(workdir, `task-${logicalId}-${Math.random().toString(36).slice(2, 8)}`);
      mkdirSync(taskRoot, { recursive: true });
      const assetDir = stack.assetDir(logicalId);
      for (const f of readdirSync(assetDir)) copyFileSync(path.join(assetDir, f), path.join(taskRoot, f));
      const handlerFile = path.join(taskRoot, `${file}.mjs`);
      if (!existsSync(handlerFile)) throw new Error(`${props.Handler}: no ${file}.mjs in the bundle of ${logicalId}`);
      if (exportName !== 'handler') throw new Error(`${logicalId}: the bootstrap calls "handler", the template says ${props.Handler}`);
      for (let dir = taskRoot; ; dir = path.dirname(dir)) {
        if (existsSync(path.join(dir, 'node_modules'))) throw new Error(`${path.join(dir, 'node_modules')} exists: the bundle could resolve packages outside itself`);
        if (path.dirname(dir) === dir) break;
      }

      // The template's variables, every token resolved to what exists in moto.
      const variables = onMoto.resolve(props.Environment?.Variables ?? {}, { createdOnly: true }) as Record<string, string>;
      const memory = Number(props.MemorySize ?? 128);
      const timeoutMs = Number(props.Timeout ?? 3) * 1000;
      const logGroup = props.LoggingConfig?.LogGroup ? String(onMoto.resolve(props.LoggingConfig.LogGroup)) : `/aws/lambda/${name}`;
      const env: Record<string, string> = {
        // What the Node.js runtime sets (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
        PATH: '/usr/local/bin:/usr/bin:/bin',
        LANG: 'en_US.UTF-8',
        TZ: ':UTC',
        LAMBDA_TASK_ROOT: taskRoot,
        _HANDLER: String(props.Handler),
        AWS_EXECUTION_ENV: `AWS_Lambda_${props.Runtime}`,
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_LAMBDA_FUNCTION_NAME: name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memory),
        AWS_LAMBDA_LOG_GROUP_NAME: logGroup,
        AWS_REGION: moto.region,
        AWS_DEFAULT_REGION: moto.region,
        // The role's credentials, here moto's dummies.
        AWS_ACCESS_KEY_ID: 'moto',
        AWS_SECRET_ACCESS_KEY: 'moto',
        AWS_SESSION_TOKEN: 'moto',
        // The emulator: every SDK v3 client of the bundle takes its endpoint from here.
        AWS_ENDPOINT_URL: moto.endpoint,
        // No profile of this machine's user may redirect a client (e.g. an endpoint_url in ~/.aws/config).
        AWS_CONFIG_FILE: path.join(workdir, 'no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(workdir, 'no-aws-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        // The SDK's notice that it will need Node 22 (the runtime is nodejs22.x; this machine has 20).
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...variables,
      };

      return {
        logicalId,
        name,
        arn,
        env,
        taskRoot,
        async invoke<T>(event: unknown): Promise<Invocation<T>> {
          const n = ++invocations;
          const io = path.join(workdir, 'invocations', String(n));
          mkdirSync(io, { recursive: true });
          const files = { event: path.join(io, 'event.json'), out: path.join(io, 'out.json'), context: path.join(io, 'context.json') };
          writeFileSync(files.event, JSON.stringify(event));
          const requestId = randomUUID();
          writeFileSync(
            files.context,
            JSON.stringify({
              timeoutMs,
              context: {
                functionName: name,
                functionVersion: '$LATEST',
                invokedFunctionArn: arn,
                memoryLimitInMB: String(memory),
                awsRequestId: requestId,
                logGroupName: logGroup,
                logStreamName: `2026/01/01/[$LATEST]${requestId.replace(/-/g, '')}`,
              },
            }),
          );
          const child = spawn(process.execPath, [bootstrap, handlerFile, files.event, files.out, files.context], { cwd: taskRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
          running.add(child);
          let stdout = '';
          let stderr = '';
          child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
          child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
          const code = await new Promise<number | null>((resolve, reject) => {
            child.once('error', reject);
            child.once('close', (c) => resolve(c));
          }).finally(() => running.delete(child));
          if (code !== 0 || !existsSync(files.out)) {
            throw new Error(`${logicalId} (${name}) exited with ${code} before answering\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
          }
          const out = JSON.parse(readFileSync(files.out, 'utf8')) as { result: T; error: Invocation['error'] };
          return { ...out, logs: jsonLines(`${stdout}\n${stderr}`), stdout, stderr };
        },
      };
    },
    async stop() {
      await Promise.all(
        [...running].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('close', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}

function jsonLines(text: string): LogLine[] {
  const out: LogLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as LogLine);
    } catch {
      // not a log line
    }
  }
  return out;
}
