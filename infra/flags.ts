/**
 * Feature flags the app is written against. Passed as App context by infra/app.ts and by the
 * tests, so `cdk synth` and the assertions see the same behaviour (cdk.json or -c still win).
 */
export const FEATURE_FLAGS: Record<string, unknown> = {
  // Server access logs are delivered through a bucket policy, not the legacy log-delivery ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:enablePartitionLiterals': true,
  // AwsCustomResource uses the SDK in the Lambda runtime: no npm install at deploy time.
  '@aws-cdk/customresources:installLatestAwsSdkDefault': false,
};
