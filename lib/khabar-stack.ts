import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Pipeline } from './pipeline';
import { Storage } from './storage';

export interface KhabarStackProps extends StackProps {
  maxRawBytes: number;
  indexConcurrency?: number;
}

export class KhabarStack extends Stack {
  readonly storage: Storage;
  readonly pipeline: Pipeline;

  constructor(scope: Construct, id: string, props: KhabarStackProps) {
    super(scope, id, props);
    this.storage = new Storage(this, 'Storage');
    this.pipeline = new Pipeline(this, 'Pipeline', {
      bucket: this.storage.bucket,
      table: this.storage.table,
      maxRawBytes: props.maxRawBytes,
      indexConcurrency: props.indexConcurrency,
    });
    new CfnOutput(this, 'BucketName', { value: this.storage.bucket.bucketName, description: 'upload articles under raw/' });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName, description: 'records; query with npx khabar query --table' });
    new CfnOutput(this, 'StateMachineArn', { value: this.pipeline.stateMachine.stateMachineArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.pipeline.deadLetterQueue.queueUrl });
  }
}
