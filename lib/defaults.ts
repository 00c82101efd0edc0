import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, type IChainable, JitterType, type LogLevel, StateMachine, type StateMachineType, type TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { RETRY } from '../functions/shared/chain';

/** A queue with the house defaults: SSE, TLS only, 14 days' retention. */
export const secureQueue = (scope: Construct, id: string, props: QueueProps = {}) =>
  new Queue(scope, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14), ...props });

/** An alarm that fires on the first occurrence of what the metric counts. */
export const alarmOnAny = (scope: Construct, id: string, description: string, metric: IMetric) =>
  new Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });

/** A state machine with X-Ray tracing and a log group with retention. */
export function tracedStateMachine(
  scope: Construct,
  id: string,
  o: { type: StateMachineType; definition: IChainable; timeout: Duration; logLevel: LogLevel },
): StateMachine {
  return new StateMachine(scope, id, {
    stateMachineType: o.type,
    definitionBody: DefinitionBody.fromChainable(o.definition),
    timeout: o.timeout,
    tracingEnabled: true,
    logs: {
      destination: new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
      level: o.logLevel,
      includeExecutionData: false,
    },
  });
}

/**
 * A Lambda task with the chain's retry policy (functions/shared/chain.ts): contract violations are
 * never retried; anything else is, with exponential backoff and full jitter.
 */
export function retryingInvoke(scope: Construct, id: string, lambdaFunction: IFunction, o: { payload?: TaskInput; resultPath?: string } = {}): LambdaInvoke {
  const task = new LambdaInvoke(scope, id, {
    lambdaFunction,
    payload: o.payload,
    resultPath: o.resultPath,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
  });
  task.addRetry({ errors: [...RETRY.nonRetryable], maxAttempts: 0 });
  task.addRetry({
    errors: ['States.ALL'],
    maxAttempts: RETRY.maxAttempts - 1,
    interval: Duration.seconds(RETRY.intervalSeconds),
    backoffRate: RETRY.backoffRate,
    maxDelay: Duration.seconds(RETRY.maxDelaySeconds),
    jitterStrategy: JitterType.FULL,
  });
  return task;
}
