/**
 * The SDK clients every entry point uses, made in one place: for AWS (the default credential
 * chain, or AWS_ENDPOINT_URL when set, e.g. moto) or for the embedded stack's endpoints. SES and
 * SNS make one attempt per call: those calls are not idempotent, the effect runner retries.
 * Connections are kept alive without an agent of ours: the SDK's NodeHttpHandler gives http and
 * https endpoints alike a keep-alive agent (50 sockets), so sequential calls share one socket.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface AwsClients {
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  ses: SESClient;
  sns: SNSClient;
  /** Closes the clients' sockets. */
  destroy(): void;
}

export interface ClientOptions {
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Per-service endpoints (the embedded stack); absent: AWS's, or AWS_ENDPOINT_URL. */
  endpoints?: { dynamodb: string; s3: string; ses: string; sns: string };
}

export function createClients(options: ClientOptions): AwsClients {
  const base = { region: options.region, ...(options.credentials ? { credentials: options.credentials } : {}) };
  const at = (service: keyof NonNullable<ClientOptions['endpoints']>) => (options.endpoints ? { endpoint: options.endpoints[service] } : {});
  const dynamo = new DynamoDBClient({ ...base, ...at('dynamodb') });
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  // Local servers and emulators serve buckets by path.
  const s3 = new S3Client({ ...base, ...at('s3'), forcePathStyle: Boolean(options.endpoints || process.env.AWS_ENDPOINT_URL) });
  const ses = new SESClient({ ...base, ...at('ses'), maxAttempts: 1 });
  const sns = new SNSClient({ ...base, ...at('sns'), maxAttempts: 1 });
  return {
    dynamo,
    doc,
    s3,
    ses,
    sns,
    destroy() {
      dynamo.destroy();
      s3.destroy();
      ses.destroy();
      sns.destroy();
    },
  };
}
