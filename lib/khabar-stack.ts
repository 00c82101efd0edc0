import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Pipeline } from './pipeline';
import { Reprocess } from './reprocess';
import { Storage } from './storage';

export interface KhabarStackProps extends StackProps {
  maxRawBytes: number;
  indexConcurrency?: number;
  /** Child workflows of a re-processing run at once (default 10). */
  reprocessConcurrency?: number;
  /** EventBridge Scheduler expression for re-processing; undefined: the schedule exists but is off. */
  reprocessSchedule?: string;
}

export class KhabarStack extends Stack {
  readonly storage: Storage;
  readonly pipeline: Pipeline;
  readonly reprocess: Reprocess;

  constructor(scope: Construct, id: string, props: KhabarStackProps) {
    super(scope, id, props);
    // Distributed Map results through ResultWriterV2 (the current rendering of ResultWriter).
    this.node.setContext('@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2', true);
    this.storage = new Storage(this, 'Storage');
    this.pipeline = new Pipeline(this, 'Pipeline', {
      bucket: this.storage.bucket,
      table: this.storage.table,
      maxRawBytes: props.maxRawBytes,
      indexConcurrency: props.indexConcurrency,
    });
    this.reprocess = new Reprocess(this, 'Reprocess', {
      bucket: this.storage.bucket,
      table: this.storage.table,
      stageFunctions: this.pipeline.functions,
      maxConcurrency: props.reprocessConcurrency ?? 10,
      schedule: props.reprocessSchedule,
    });
    new CfnOutput(this, 'ReprocessStateMachineArn', {
      value: this.reprocess.stateMachine.stateMachineArn,
      description: 'start a re-processing run (docs/operations.md)',
    });
    new CfnOutput(this, 'BucketName', { value: this.storage.bucket.bucketName, description: 'upload articles under raw/' });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName, description: 'records; query with npx khabar query --table' });
    new CfnOutput(this, 'StateMachineArn', { value: this.pipeline.stateMachine.stateMachineArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.pipeline.deadLetterQueue.queueUrl });
  }
}
