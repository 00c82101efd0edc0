// The CDK app: `npx cdk synth` (offline) or `npx cdk deploy` into the account of your AWS profile.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { KhabarStack } from '../lib/khabar-stack';
import { acknowledgeNagFindings } from '../lib/nag';

const app = new App();
const positive = (name: string, fallback?: number) => {
  const v = app.node.tryGetContext(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`cdk.json context ${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
};
const stack = new KhabarStack(app, 'Khabar', {
  description: 'khabar: raw Arabic news articles in S3 → clean → extract → index → DynamoDB',
  maxRawBytes: positive('khabar:maxRawBytes', 5 * 1024 * 1024) as number,
  indexConcurrency: positive('khabar:indexConcurrency'),
});
acknowledgeNagFindings(stack);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
