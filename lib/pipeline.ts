import { Duration, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { type Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import {
  Choice,
  Condition,
  type IChainable,
  JsonPath,
  LogLevel,
  Map as MapState,
  Pass,
  type StateMachine,
  StateMachineType,
  Succeed,
} from 'aws-cdk-lib/aws-stepfunctions';
import type { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ARTIFACT_PREFIX, MAX_RECEIVE_COUNT, RAW_PREFIX, STAGES, type StageName } from '../functions/shared/chain';
import { alarmOnAny, retryingInvoke, secureQueue, tracedStateMachine } from './defaults';
import { KhabarFunction } from './khabar-function';

/**
 * The stages as states, from the shared definition (functions/shared/chain.ts): each a Lambda task
 * with the shared retry policy; a stage that runs only after OK is guarded by a Choice that skips to
 * the next stage that always runs. `entry[stage]` enters the chain at that stage (re-processing).
 */
export function buildStageChain(
  scope: Construct,
  prefix: string,
  fns: Record<StageName, IFunction>,
): { start: IChainable; entry: Record<StageName, IChainable> } {
  const tasks = STAGES.map((stage) => retryingInvoke(scope, `${prefix}${stage.name} stage`, fns[stage.name]));
  const entry = {} as Record<StageName, IChainable>;
  let next: IChainable | undefined;
  for (let k = STAGES.length - 1; k >= 0; k--) {
    const stage = STAGES[k] as (typeof STAGES)[number];
    const task = tasks[k] as LambdaInvoke;
    if (next) task.next(next);
    entry[stage.name] = task;
    if (stage.runs === 'ok' && k > 0) {
      const fallback = tasks.slice(k + 1).find((_, j) => STAGES[k + 1 + j]?.runs === 'always');
      next = new Choice(scope, `${prefix}${stage.name}?`)
        .when(Condition.stringEquals('$.status', 'OK'), task)
        .otherwise(fallback ?? new Succeed(scope, `${prefix}no ${stage.name}`));
    } else next = task;
  }
  return { start: next as IChainable, entry };
}

export interface PipelineProps {
  bucket: Bucket;
  table: Table;
  maxRawBytes: number;
  /** Reserved concurrency of the index function, bounding the write rate into the table. */
  indexConcurrency?: number;
}

/**
 * The chain: S3 notifications (raw/ only) → SQS intake queue → EventBridge Pipe → Express state
 * machine, synchronously: for each record, clean → extract (only when clean said OK) → index.
 * A failed execution returns the message to the queue; after MAX_RECEIVE_COUNT receives it moves
 * to the dead-letter queue, which has an alarm. Why this shape: docs/architecture.md.
 */
export class Pipeline extends Construct {
  readonly functions: Record<StageName, KhabarFunction>;
  readonly stateMachine: StateMachine;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly throttleAlarms: Alarm[];

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    const { bucket, table } = props;
    const env = { BUCKET_NAME: bucket.bucketName, MAX_RAW_BYTES: String(props.maxRawBytes) };
    const fns = {} as Record<StageName, KhabarFunction>;
    for (const stage of STAGES) {
      fns[stage.name] = new KhabarFunction(this, `${stage.name[0]?.toUpperCase()}${stage.name.slice(1)}Function`, {
        stage,
        environment: stage.name === 'index' ? { ...env, TABLE_NAME: table.tableName } : env,
        reservedConcurrency: stage.name === 'index' ? props.indexConcurrency : undefined,
      });
    }
    this.functions = fns;
    const cleanArtifacts = bucket.arnForObjects(`${ARTIFACT_PREFIX}clean/*`);
    const extractedArtifacts = bucket.arnForObjects(`${ARTIFACT_PREFIX}extracted/*`);
    const read = (resources: string[]) => new PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources });
    const write = (resources: string[]) => new PolicyStatement({ actions: ['s3:PutObject'], resources });
    // Each stage reads only what the stage before it wrote, and writes only its own artifact prefix.
    fns.clean.addToRolePolicy(read([bucket.arnForObjects(`${RAW_PREFIX}*`)]));
    fns.clean.addToRolePolicy(write([cleanArtifacts]));
    fns.extract.addToRolePolicy(read([cleanArtifacts]));
    fns.extract.addToRolePolicy(write([extractedArtifacts]));
    fns.index.addToRolePolicy(read([extractedArtifacts]));
    fns.index.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'],
        resources: [table.tableArn],
      }),
    );

    // One chain per S3 record, built from the shared stage list.
    const chain = buildStageChain(this, '', fns);
    const perRecord = new MapState(this, 'each S3 record', { itemsPath: '$.notification.Records', maxConcurrency: 1 });
    perRecord.itemProcessor(chain.start);
    // The pipe hands over a batch of one SQS message whose body is the S3 notification.
    const parse = new Pass(this, 'parse notification', { parameters: { 'notification.$': JsonPath.stringToJson(JsonPath.stringAt('$[0].body')) } });
    const definition = parse.next(
      new Choice(this, 'has records?')
        .when(Condition.isPresent('$.notification.Records'), perRecord)
        .otherwise(new Succeed(this, 'test event or empty notification')),
    );
    this.stateMachine = tracedStateMachine(this, 'Chain', {
      type: StateMachineType.EXPRESS,
      definition,
      timeout: Duration.minutes(4),
      logLevel: LogLevel.ERROR,
    });

    this.deadLetterQueue = secureQueue(this, 'DeadLetters');
    this.queue = secureQueue(this, 'Intake', {
      // Longer than the state machine's timeout, so a running chain never sees its message redelivered.
      visibilityTimeout: Duration.minutes(6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    for (const event of [EventType.OBJECT_CREATED, EventType.OBJECT_REMOVED]) {
      bucket.addEventNotification(event, new SqsDestination(this.queue), { prefix: RAW_PREFIX });
    }

    const pipeRole = new Role(this, 'PipeRole', { assumedBy: new ServicePrincipal('pipes.amazonaws.com') });
    pipeRole.addToPolicy(
      new PolicyStatement({ actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], resources: [this.queue.queueArn] }),
    );
    pipeRole.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['states:StartSyncExecution'], resources: [this.stateMachine.stateMachineArn] }));
    const pipe = new CfnPipe(this, 'IntakePipe', {
      roleArn: pipeRole.roleArn,
      source: this.queue.queueArn,
      sourceParameters: { sqsQueueParameters: { batchSize: 1 } },
      target: this.stateMachine.stateMachineArn,
      targetParameters: { stepFunctionStateMachineParameters: { invocationType: 'REQUEST_RESPONSE' } },
      description: 'S3 notifications from the intake queue into the khabar chain, one at a time per poller',
    });
    pipe.node.addDependency(pipeRole);

    this.deadLetterAlarm = alarmOnAny(
      this,
      'DeadLettersAlarm',
      'khabar: uploads that failed the chain after every retry are waiting in the dead-letter queue',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
    );
    Stack.of(this);
    // Throttling is absorbed by retries, but it should not be the normal state: these say it has become so.
    this.throttleAlarms = [
      ...Object.entries(fns).map(([name, fn]) =>
        alarmOnAny(this, `${name}ThrottlesAlarm`, `khabar: the ${name} function is being throttled`, fn.metricThrottles({ period: Duration.minutes(5) })),
      ),
      alarmOnAny(
        this,
        'TableThrottlesAlarm',
        'khabar: writes to the records table are being throttled',
        table.metric('WriteThrottleEvents', { period: Duration.minutes(5), statistic: 'Sum' }),
      ),
    ];
  }
}
