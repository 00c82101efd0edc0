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
/** "off" (the default) or an EventBridge Scheduler expression: rate(7 days), cron(0 3 ? * SUN *). */
function schedule(v: unknown): string | undefined {
  if (v === undefined || v === 'off') return undefined;
  if (typeof v !== 'string' || !/^(rate|cron)\(.+\)$/.test(v))
    throw new Error(`cdk.json context khabar:reprocessSchedule must be "off", rate(…) or cron(…), got ${JSON.stringify(v)}`);
  return v;
}
const stack = new KhabarStack(app, 'Khabar', {
  description: 'khabar: raw Arabic news articles in S3 → clean → extract → index → DynamoDB',
  maxRawBytes: positive('khabar:maxRawBytes', 5 * 1024 * 1024) as number,
  indexConcurrency: positive('khabar:indexConcurrency'),
  reprocessConcurrency: positive('khabar:reprocessConcurrency', 10),
  reprocessSchedule: schedule(app.node.tryGetContext('khabar:reprocessSchedule')),
});
acknowledgeNagFindings(stack);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
