/**
 * A throwaway moto server on 127.0.0.1 (the image's Python 3.11 has moto 5.2): the AWS APIs a
 * deployed stack uses (DynamoDB, S3, SES, SNS, SQS, KMS, Secrets Manager), for what the CLI does
 * against one (`--aws`) and for the bundled Lambdas (test/infra/emulator.test.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort, waitForPort } from './net.js';

/** What moto's SES kept of one SendRawEmail (its `RawMessage` model). */
export interface MotoSentMail {
  /** The MessageId SES answered with. */
  id: string;
  /** The Source (envelope sender) of the call. */
  source: string;
  /** The Destinations of the call, followed by moto's reading of the To/Cc/Bcc headers. */
  destinations: string[];
  /** The raw mail as sent. */
  raw: string;
}

export interface Moto {
  endpoint: string;
  region: string;
  /** The account moto puts everything in. */
  account: string;
  /** Environment for a process that should reach this moto as its AWS. */
  env: Record<string, string>;
  /**
   * One call of an AWS JSON-protocol API (SQS, KMS, …) for which no SDK client is installed:
   * `json('sqs', 'AmazonSQS.CreateQueue', {...})`. moto routes on the service named in the
   * credential scope and does not check signatures, so the Authorization header only names it.
   */
  json<T = Record<string, unknown>>(service: string, target: string, body: Record<string, unknown>): Promise<T>;
  /** Every mail moto's SES accepted, oldest first (from moto's model state, `/moto-api/data.json`). */
  sentMail(): Promise<MotoSentMail[]>;
  stop(): Promise<void>;
}

/** moto's default account. */
export const MOTO_ACCOUNT = '123456789012';

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
    region,
    account: MOTO_ACCOUNT,
    env: { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'moto', AWS_SECRET_ACCESS_KEY: 'moto', AWS_REGION: region, AWS_DEFAULT_REGION: region },
    async json<T>(service: string, target: string, body: Record<string, unknown>): Promise<T> {
      const res = await fetch(`${endpoint}/`, {
        method: 'POST',
        headers: {
          'Content-Type': service === 'sqs' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1',
          'X-Amz-Target': target,
          Authorization: `AWS4-HMAC-SHA256 Credential=moto/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
        },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`moto ${target}: HTTP ${res.status}: ${text.slice(0, 500)}`);
      return (text ? JSON.parse(text) : {}) as T;
    },
    async sentMail(): Promise<MotoSentMail[]> {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (!res.ok) throw new Error(`moto /moto-api/data.json: HTTP ${res.status}`);
      const data = (await res.json()) as { ses?: { RawMessage?: { id: string; source: string; destinations: string[]; raw_data: string }[] } };
      return (data.ses?.RawMessage ?? []).map((m) => ({ id: m.id, source: m.source, destinations: m.destinations, raw: m.raw_data }));
    },
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
