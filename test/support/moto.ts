/**
 * A throwaway moto server on 127.0.0.1 (the image's Python 3.11 has moto 5.2): the AWS APIs a
 * deployed stack uses (DynamoDB, S3, SES, SNS), for what the CLI does against one (`--aws`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort, waitForPort } from './net.js';

export interface Moto {
  endpoint: string;
  /** Environment for a process that should reach this moto as its AWS. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startMoto(region = 'eu-west-1'): Promise<Moto> {
  if (spawnSync('sh', ['-c', 'command -v moto_server']).status !== 0) {
    throw new Error('moto_server is not on PATH: install it with `pip install "moto[server]==5.2.*"` (the machine image has it).');
  }
  const port = await freePort();
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  await waitForPort(port, 30_000);
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    env: { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'moto', AWS_SECRET_ACCESS_KEY: 'moto', AWS_REGION: region, AWS_DEFAULT_REGION: region },
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
