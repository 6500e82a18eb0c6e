/**
 * SDK clients for a deployed stack (the CLI's `--aws`): the default credential chain and the
 * region of the configuration, or AWS_ENDPOINT_URL when set (an emulator such as moto). SES and
 * SNS make one attempt per call: those calls are not idempotent, the effect runner retries.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../local/stack.js';

export function createCloudClients(region: string): AwsClients {
  const dynamo = new DynamoDBClient({ region });
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  // An emulator serves buckets by path, as the local stack does.
  const s3 = new S3Client({ region, forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL) });
  const ses = new SESClient({ region, maxAttempts: 1 });
  const sns = new SNSClient({ region, maxAttempts: 1 });
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
