import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_RECEIVE_COUNT, RETRY, STAGES } from '../../functions/shared/chain';
import { KhabarStack } from '../../lib/khabar-stack';

let template: Template;
let stack: KhabarStack;

beforeAll(() => {
  stack = new KhabarStack(new App(), 'Test', { maxRawBytes: 1_000_000 });
  template = Template.fromStack(stack);
});

/** The IAM statements of the role of a stage function. */
function statementsOf(stage: string): Array<{ Action: string | string[]; Resource: unknown }> {
  const fn = stack.pipeline.functions[stage as 'clean'];
  const roleId = stack.getLogicalId(fn.role?.node.defaultChild as never);
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: never[] } } }).Properties.PolicyDocument.Statement);
}
const actions = (stage: string) => statementsOf(stage).flatMap((s) => [s.Action].flat());
const resourcesFor = (stage: string, action: string) =>
  statementsOf(stage)
    .filter((s) => [s.Action].flat().includes(action))
    .map((s) => JSON.stringify(s.Resource));

describe('storage', () => {
  it('keeps the bucket versioned, encrypted, private and TLS-only', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: Match.objectLike({
        ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } })],
      }),
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('makes the table on-demand, with point-in-time recovery and deletion protection, and no index to pay for twice', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: Match.absent(),
    });
  });
});

describe('chain wiring', () => {
  it('notifies the intake queue only for keys under raw/, for creates and deletes', () => {
    const notifications = template.findResources('Custom::S3BucketNotifications');
    const config = Object.values(notifications)[0] as {
      Properties: { NotificationConfiguration: { QueueConfigurations: Array<{ Events: string[]; Filter: unknown }> } };
    };
    const queues = config.Properties.NotificationConfiguration.QueueConfigurations;
    expect(queues.flatMap((q) => q.Events).sort()).toEqual(['s3:ObjectCreated:*', 's3:ObjectRemoved:*']);
    for (const q of queues) expect(q.Filter).toEqual({ Key: { FilterRules: [{ Name: 'prefix', Value: 'raw/' }] } });
  });

  it('moves a message that keeps failing to the dead-letter queue, and alarms on it', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: MAX_RECEIVE_COUNT },
      VisibilityTimeout: 360,
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('alarms when any stage function or the table is throttled', () => {
    for (const name of ['clean', 'extract', 'index'])
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmDescription: `khabar: the ${name} function is being throttled`,
        MetricName: 'Throttles',
      });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'WriteThrottleEvents', Namespace: 'AWS/DynamoDB', Threshold: 0 });
  });

  it('feeds the queue into the Express state machine synchronously, one message at a time', () => {
    template.hasResourceProperties('AWS::Pipes::Pipe', {
      SourceParameters: { SqsQueueParameters: { BatchSize: 1 } },
      TargetParameters: { StepFunctionStateMachineParameters: { InvocationType: 'REQUEST_RESPONSE' } },
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS' });
  });

  it('runs the stages in the shared order, extract only after an OK, each with the shared retry policy', () => {
    const sm = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0] as { Properties: { DefinitionString: unknown } };
    const definition = JSON.parse(JSON.stringify(stack.resolve(sm.Properties.DefinitionString)).replace(/\{"Fn::GetAtt":\["[^"]+","Arn"\]\}/g, '"ARN"'));
    const text =
      typeof definition === 'string' ? definition : (definition['Fn::Join'] as [string, unknown[]])[1].map((p) => (typeof p === 'string' ? p : 'ARN')).join('');
    const def = JSON.parse(text);
    const states = def.States['each S3 record'].ItemProcessor.States;
    expect(def.States['each S3 record'].ItemProcessor.StartAt).toBe('clean stage');
    expect(states['clean stage'].Next).toBe('extract?');
    expect(states['extract?'].Choices[0]).toMatchObject({ Variable: '$.status', StringEquals: 'OK', Next: 'extract stage' });
    expect(states['extract?'].Default).toBe('index stage');
    expect(states['extract stage'].Next).toBe('index stage');
    for (const s of STAGES) {
      expect(states[`${s.name} stage`].Retry).toEqual([
        { ErrorEquals: [...RETRY.nonRetryable], MaxAttempts: 0 },
        expect.objectContaining({
          ErrorEquals: ['States.ALL'],
          MaxAttempts: RETRY.maxAttempts - 1,
          IntervalSeconds: RETRY.intervalSeconds,
          BackoffRate: RETRY.backoffRate,
        }),
      ]);
    }
  });
});

describe('functions', () => {
  it('run on Node.js 22, arm64, with tracing and recursion stopped (the three stages and the re-processing function)', () => {
    const fns = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^khabar ') } });
    expect(Object.keys(fns)).toHaveLength(4);
    for (const f of Object.values(fns) as Array<{ Properties: Record<string, unknown> }>) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' }, RecursiveLoop: 'Terminate' });
      expect(f.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('grant each stage only what it reads and writes', () => {
    expect(resourcesFor('clean', 's3:GetObject').join()).toMatch(/\/raw\/\*/);
    expect(resourcesFor('clean', 's3:PutObject').join()).toMatch(/artifacts\/clean\/\*/);
    expect(resourcesFor('clean', 's3:PutObject').join()).not.toMatch(/raw/);
    expect(resourcesFor('extract', 's3:GetObject').join()).toMatch(/artifacts\/clean\/\*/);
    expect(resourcesFor('extract', 's3:PutObject').join()).toMatch(/artifacts\/extracted\/\*/);
    expect(resourcesFor('index', 's3:GetObject').join()).toMatch(/artifacts\/extracted\/\*/);
    for (const stage of ['clean', 'extract']) expect(actions(stage).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    expect(
      actions('index')
        .filter((a) => a.startsWith('dynamodb:'))
        .sort(),
    ).toEqual(['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(actions('index')).not.toContain('dynamodb:DeleteTable');
    expect(actions('index')).not.toContain('s3:PutObject');
    for (const stage of ['clean', 'extract', 'index']) expect(actions(stage).some((a) => a.includes('*') && a !== 'xray:*')).toBe(false);
  });

  it('give the index function its table name and the others none', () => {
    const env = (stage: string) =>
      template.toJSON().Resources[stack.getLogicalId(stack.pipeline.functions[stage as 'clean'].node.defaultChild as never)].Properties.Environment.Variables;
    expect(env('index')).toHaveProperty('TABLE_NAME');
    expect(env('clean')).not.toHaveProperty('TABLE_NAME');
    expect(env('clean')).toMatchObject({ MAX_RAW_BYTES: '1000000', NODE_OPTIONS: '--enable-source-maps' });
  });
});
