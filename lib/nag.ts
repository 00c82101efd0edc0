import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { KhabarStack } from './khabar-stack';

/**
 * Every cdk-nag finding this stack acknowledges, with why. Reviewed like code: a finding that is
 * not listed here fails `cdk synth` and the test suite (test/infra/nag.test.ts).
 */
export function acknowledgeNagFindings(stack: KhabarStack): void {
  const ack = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });
  const { pipeline, storage } = stack;
  const bucketArn = Stack.of(stack).resolve(storage.bucket.bucketArn) as { 'Fn::GetAtt': [string, string] };
  const bucketRef = `<${bucketArn['Fn::GetAtt'][0]}.Arn>`;
  const prefixes: Record<string, string[]> = {
    clean: ['raw/*', 'artifacts/clean/*'],
    extract: ['artifacts/clean/*', 'artifacts/extracted/*'],
    index: ['artifacts/extracted/*'],
  };
  for (const [name, fn] of Object.entries(pipeline.functions)) {
    ack(
      fn,
      'AwsSolutions-L1',
      'Node.js 22 is pinned on purpose: an LTS runtime supported by Lambda, and the project is tested on Node 20 and 22; moving to 24 is a deliberate upgrade.',
    );
    ack(fn, 'Serverless-LambdaLatestVersion', 'Same as AwsSolutions-L1: Node.js 22 is pinned on purpose.');
    ack(
      fn,
      'Serverless-LambdaDLQ',
      'Invoked synchronously by the state machine, never asynchronously: failures return to the intake queue, whose dead-letter queue has an alarm.',
    );
    ack(
      fn.role as IConstruct,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions.',
    );
    for (const p of prefixes[name] ?? []) {
      ack(
        fn.role as IConstruct,
        `AwsSolutions-IAM5[Resource::${bucketRef}/${p}]`,
        `Objects under the ${p.slice(0, -1)} prefix only: every article and artifact has its own key there.`,
      );
    }
  }
  const chainRole = pipeline.stateMachine.role;
  ack(chainRole, 'AwsSolutions-IAM5[Resource::*]', 'CloudWatch Logs delivery and X-Ray actions of the state machine support no resource-level permissions.');
  for (const fn of Object.values(pipeline.functions)) {
    const arn = Stack.of(stack).resolve(fn.functionArn) as { 'Fn::GetAtt': [string, string] };
    ack(
      chainRole,
      `AwsSolutions-IAM5[Resource::<${arn['Fn::GetAtt'][0]}.Arn>:*]`,
      'Invoking a version or alias of the stage function it runs; granted by LambdaInvoke.',
    );
  }
  ack(
    pipeline.stateMachine,
    'AwsSolutions-SF1',
    'Errors only: logging ALL events of an Express workflow per article costs more than the rest of the chain; failures are logged, and the intake dead-letter queue keeps the event.',
  );
  ack(
    pipeline.deadLetterQueue,
    'Serverless-SQSRedrivePolicy',
    'This is the dead-letter queue; its messages are redriven to the intake queue by hand (docs/operations.md).',
  );
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('BucketNotificationsHandler')) {
      ack(
        child,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'CDK-managed custom resource that sets the bucket notification configuration at deploy time; not part of the data path.',
      );
    }
  }
}
