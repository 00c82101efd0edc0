import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { KhabarStack } from './khabar-stack';

/**
 * Every cdk-nag finding this stack acknowledges, with why. Reviewed like code: a finding that is
 * not listed here fails `cdk synth` and the test suite (test/infra/nag.test.ts).
 */
export function acknowledgeNagFindings(stack: KhabarStack): void {
  const ack = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });
  const { pipeline, storage, reprocess } = stack;
  const logicalId = (c: IConstruct) => Stack.of(stack).getLogicalId(c.node.defaultChild as never);
  const bucketId = logicalId(storage.bucket);
  const prefixes: Record<string, string[]> = {
    clean: ['raw/*', 'artifacts/clean/*'],
    extract: ['artifacts/clean/*', 'artifacts/extracted/*'],
    index: ['artifacts/extracted/*'],
    reprocess: ['raw/*', 'artifacts/*', 'reprocess-runs/*'],
  };
  const functions = { ...pipeline.functions, reprocess: reprocess.function };
  for (const [name, fn] of Object.entries(functions)) {
    const role = fn.role as IConstruct;
    ack(
      fn,
      'AwsSolutions-L1',
      'Node.js 22 is pinned on purpose: an LTS runtime Lambda supports, and the code is tested on Node 20 and 22; 24 is a deliberate upgrade.',
    );
    ack(fn, 'Serverless-LambdaLatestVersion', 'Same as AwsSolutions-L1: Node.js 22 is pinned on purpose.');
    ack(
      fn,
      'Serverless-LambdaDLQ',
      'Invoked synchronously by a state machine, never asynchronously: failures go back to the intake queue (and its dead-letter queue) or fail the run.',
    );
    ack(role, 'AwsSolutions-IAM5[Resource::*]', 'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions.');
    for (const p of prefixes[name] ?? []) {
      ack(
        role,
        `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${p}]`,
        `Objects under the ${p.slice(0, -1)} prefix only: every article, artifact and run result has its own key there.`,
      );
    }
  }
  for (const [machine, fns] of [
    [pipeline.stateMachine, Object.values(pipeline.functions)],
    [reprocess.stateMachine, Object.values(functions)],
  ] as const) {
    ack(machine.role, 'AwsSolutions-IAM5[Resource::*]', 'CloudWatch Logs delivery and X-Ray actions of a state machine support no resource-level permissions.');
    for (const fn of fns)
      ack(
        machine.role,
        `AwsSolutions-IAM5[Resource::<${logicalId(fn)}.Arn>:*]`,
        'Invoking a version or alias of the function it runs; granted by LambdaInvoke.',
      );
  }
  ack(
    pipeline.stateMachine,
    'AwsSolutions-SF1',
    'Errors only: logging ALL events of an Express execution per article costs more than the rest of the chain; failures are logged, and the intake dead-letter queue keeps the event.',
  );
  ack(
    pipeline.deadLetterQueue,
    'Serverless-SQSRedrivePolicy',
    'This is the dead-letter queue; its messages are redriven to the intake queue by hand (docs/operations.md).',
  );

  const runs = reprocess.stateMachine;
  const runsName = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId(runs)}"}]}]}`;
  const mapPolicy = runs.node.tryFindChild('DistributedMapPolicy');
  if (mapPolicy) {
    for (const suffix of ['/*:*', ':*']) {
      ack(
        mapPolicy,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${runsName}${suffix}]`,
        "The Distributed Map starts, describes and stops its own child executions, whose names it generates; granted by CDK's DistributedMap.",
      );
    }
  }
  ack(
    runs.role,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${bucketId}>/*]`,
    "GetObject for the raw/ listing it fans out over and PutObject for its result files under reprocess-runs/; CDK's S3ObjectsItemReader and ResultWriterV2 grant them on the bucket's objects.",
  );
  ack(
    reprocess.scheduleDeadLetters,
    'AwsSolutions-SQS3',
    "This queue is the dead-letter queue of the re-processing schedule (EventBridge Scheduler's DeadLetterConfig).",
  );
  ack(
    reprocess.scheduleDeadLetters,
    'Serverless-SQSRedrivePolicy',
    'A dead-letter queue itself; a missed schedule firing is made up by starting a run by hand.',
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
