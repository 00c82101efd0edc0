import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import {
  Choice,
  Condition,
  DistributedMap,
  Fail,
  ItemBatcher,
  LogLevel,
  Map as MapState,
  Parallel,
  Pass,
  Result,
  ResultWriterV2,
  S3ObjectsItemReader,
  type StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ARTIFACT_PREFIX, RAW_PREFIX, REPROCESS_BATCH, REPROCESS_FUNCTION, RUNS_PREFIX, type StageName } from '../functions/shared/chain';
import { alarmOnAny, retryingInvoke, secureQueue, tracedStateMachine } from './defaults';
import { KhabarFunction } from './khabar-function';
import { buildStageChain } from './pipeline';

export interface ReprocessProps {
  bucket: Bucket;
  table: Table;
  stageFunctions: Record<StageName, IFunction>;
  /** Child workflows running at once, each on one object at a time: bounds the load on the stage functions and the table. */
  maxConcurrency: number;
  /** An EventBridge Scheduler expression (rate(7 days), cron(…)), or undefined for a schedule that is off. */
  schedule?: string;
}

/**
 * Re-processing every stored article on AWS's own engines: a Standard state machine takes a lease
 * (single flight), fans out over the bucket listing of raw/ with a Distributed Map of Express child
 * workflows (bounded concurrency), each taking a batch of objects and deciding for each whether it
 * needs the chain and from which stage, then sweeps records whose object is gone, writes a run summary and releases the lease.
 * Started by EventBridge Scheduler (off unless cdk.json says otherwise) or by hand (docs/operations.md).
 */
export class Reprocess extends Construct {
  readonly stateMachine: StateMachine;
  readonly function: KhabarFunction;
  readonly schedule: CfnSchedule;
  readonly scheduleDeadLetters: Queue;
  readonly failedRunAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ReprocessProps) {
    super(scope, id);
    const { bucket, table } = props;
    const fn = new KhabarFunction(this, 'ReprocessFunction', {
      stage: REPROCESS_FUNCTION,
      environment: { BUCKET_NAME: bucket.bucketName, TABLE_NAME: table.tableName },
    });
    this.function = fn;
    // HeadObject on raw objects and artifacts (does it still exist?), the run results it summarizes.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${RAW_PREFIX}*`), bucket.arnForObjects(`${ARTIFACT_PREFIX}*`), bucket.arnForObjects(`${RUNS_PREFIX}*`)],
      }),
    );
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${RUNS_PREFIX}*`)] }));
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:DeleteItem',
          'dynamodb:UpdateItem',
          'dynamodb:BatchGetItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:Query',
          'dynamodb:Scan',
        ],
        resources: [table.tableArn],
      }),
    );

    const op = (name: string, payload: Record<string, unknown>, resultPath?: string) =>
      retryingInvoke(this, name, fn, { payload: TaskInput.fromObject(payload), resultPath });

    // Per object: decide, then enter the shared stage chain where asked.
    const chain = buildStageChain(this, 'reprocess ', props.stageFunctions);
    const decide = op('decide', { op: 'decide', 'bucket.$': '$.bucket', 'key.$': '$.key', 'size.$': '$.size', 'mode.$': '$.mode', 'from.$': '$.from' });
    const route = new Choice(this, 'run or skip?').when(Condition.stringEquals('$.action', 'skip'), new Succeed(this, 'record is current'));
    for (const stage of ['clean', 'extract', 'index'] as const) {
      route.when(Condition.stringEquals('$.startAt', stage), new Pass(this, `start at ${stage}`, { inputPath: '$.payload' }).next(chain.entry[stage]));
    }
    route.otherwise(new Fail(this, 'unknown decision', { error: 'ContractViolation', cause: 'decide returned no known stage' }));
    // One object's failure (after the stages' own retries) is its result, counted in the summary; the rest of its batch goes on.
    const oneObject = new Parallel(this, 'one stored article', { resultSelector: { 'result.$': '$[0]' }, outputPath: '$.result' });
    oneObject.branch(decide.next(route));
    oneObject.addCatch(new Pass(this, 'article failed', { parameters: { failed: true, 'key.$': '$.key', 'error.$': '$.error.Error' } }), {
      resultPath: '$.error',
    });
    // Each Express child takes a batch of objects, one after another: the map's per-item state transition
    // ($25 per million) is paid once per batch.
    const eachInBatch = new MapState(this, 'each article of the batch', {
      itemsPath: '$.Items',
      itemSelector: {
        'bucket.$': '$.BatchInput.bucket',
        'key.$': '$$.Map.Item.Value.Key',
        'size.$': '$$.Map.Item.Value.Size',
        'mode.$': '$.BatchInput.mode',
        'from.$': '$.BatchInput.from',
      },
      maxConcurrency: 1,
    });
    eachInBatch.itemProcessor(oneObject);

    const map = new DistributedMap(this, 'each stored article', {
      itemReader: new S3ObjectsItemReader({ bucket, prefix: RAW_PREFIX }),
      // A child's input: { BatchInput: what the run asks, Items: the listed objects }.
      itemBatcher: new ItemBatcher({ maxItemsPerBatch: REPROCESS_BATCH, batchInput: { bucket: bucket.bucketName, 'mode.$': '$.mode', 'from.$': '$.from' } }),
      maxConcurrency: props.maxConcurrency,
      mapExecutionType: StateMachineType.EXPRESS,
      // A failed batch (an Express child past its 5 minutes) is counted in the run's summary; the run goes on.
      toleratedFailurePercentage: 100,
      resultWriterV2: new ResultWriterV2({ bucket, prefix: RUNS_PREFIX }),
      resultPath: '$.map',
    });
    map.itemProcessor(eachInBatch);

    const release = op('release', { op: 'release', 'runId.$': '$.runId' }, '$.released');
    const releaseAfterFailure = op('release after a failure', { op: 'release', 'runId.$': '$.runId' }, '$.released').next(
      new Fail(this, 'run failed', { error: 'ReprocessFailed', cause: 'a step of the run failed after its retries; see the execution history' }),
    );
    const sweep = op('sweep', { op: 'sweep', 'next.$': '$.sweep.next', 'removed.$': '$.sweep.removed' }, '$.sweep');
    const summarize = op(
      'summarize',
      {
        op: 'summarize',
        'runId.$': '$.runId',
        'startedAt.$': '$.startedAt',
        'mode.$': '$.mode',
        'from.$': '$.from',
        'removed.$': '$.sweep.removed',
        manifest: { 'Bucket.$': '$.map.ResultWriterDetails.Bucket', 'Key.$': '$.map.ResultWriterDetails.Key' },
      },
      '$.summary',
    );
    for (const step of [map, sweep, summarize]) step.addCatch(releaseAfterFailure, { resultPath: '$.error' });

    const definition = new Pass(this, 'run', {
      parameters: { 'runId.$': '$$.Execution.Name', 'startedAt.$': '$$.Execution.StartTime', 'mode.$': '$.mode', 'from.$': '$.from' },
    })
      .next(op('acquire', { op: 'acquire', 'runId.$': '$.runId' }, '$.lease'))
      .next(
        new Choice(this, 'lease taken?')
          .when(
            Condition.booleanEquals('$.lease.acquired', true),
            map
              .next(new Pass(this, 'start sweep', { result: Result.fromObject({ next: null, removed: 0 }), resultPath: '$.sweep' }))
              .next(sweep)
              .next(
                new Choice(this, 'more records?')
                  .when(Condition.booleanEquals('$.sweep.more', true), sweep)
                  .otherwise(summarize.next(release).next(new Succeed(this, 'run done'))),
              ),
          )
          .otherwise(new Succeed(this, 'another run holds the lease')),
      );

    this.stateMachine = tracedStateMachine(this, 'Runs', { type: StateMachineType.STANDARD, definition, timeout: Duration.hours(24), logLevel: LogLevel.ALL });

    this.failedRunAlarm = alarmOnAny(
      this,
      'FailedRunsAlarm',
      'khabar: a re-processing run failed',
      this.stateMachine.metricFailed({ period: Duration.minutes(5) }),
    );

    this.scheduleDeadLetters = secureQueue(this, 'ScheduleDeadLetters');
    const schedulerRole = new Role(this, 'SchedulerRole', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') });
    this.stateMachine.grantStartExecution(schedulerRole);
    this.scheduleDeadLetters.grantSendMessages(schedulerRole);
    this.schedule = new CfnSchedule(this, 'Schedule', {
      description: 'khabar: re-process the articles whose records come from an older pipeline version',
      scheduleExpression: props.schedule ?? 'rate(7 days)',
      state: props.schedule ? 'ENABLED' : 'DISABLED',
      flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 60 },
      target: {
        arn: this.stateMachine.stateMachineArn,
        roleArn: schedulerRole.roleArn,
        input: JSON.stringify({ mode: 'outdated', from: 'clean' }),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: this.scheduleDeadLetters.queueArn },
      },
    });
  }
}
