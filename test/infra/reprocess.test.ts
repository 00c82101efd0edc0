import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPROCESS_BATCH } from '../../functions/shared/chain';
import { KhabarStack } from '../../lib/khabar-stack';

let template: Template;
let stack: KhabarStack;
let definition: { StartAt: string; States: Record<string, Record<string, unknown>> };

function definitionOf(s: KhabarStack, t: Template) {
  const id = s.getLogicalId(s.reprocess.stateMachine.node.defaultChild as never);
  const raw = t.toJSON().Resources[id].Properties.DefinitionString;
  // Intrinsics (ARNs, names) sit inside JSON strings of the Fn::Join: stand them in by a word.
  const text = typeof raw === 'string' ? raw : (raw['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'REF')).join('');
  return JSON.parse(text);
}

beforeAll(() => {
  stack = new KhabarStack(new App(), 'Test', { maxRawBytes: 1_000_000, reprocessConcurrency: 7 });
  template = Template.fromStack(stack);
  definition = definitionOf(stack, template);
});

describe('re-processing runs', () => {
  it('are a Standard state machine that takes the single-flight lease before anything else', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD' });
    expect(definition.StartAt).toBe('run');
    expect(definition.States.run?.Next).toBe('acquire');
    const choice = definition.States['lease taken?'] as { Choices: Array<{ Variable: string; BooleanEquals: boolean; Next: string }>; Default: string };
    expect(choice.Choices[0]).toMatchObject({ Variable: '$.lease.acquired', BooleanEquals: true, Next: 'each stored article' });
    expect(definition.States[choice.Default]?.Type).toBe('Succeed');
  });

  it('fan out over the raw/ listing with a Distributed Map of Express children taking batches, at the configured concurrency', () => {
    const map = definition.States['each stored article'] as Record<string, never>;
    expect(map).toMatchObject({
      Type: 'Map',
      MaxConcurrency: 7,
      ToleratedFailurePercentage: 100,
      ItemReader: { Resource: 'arn:REF:states:::s3:listObjectsV2', Parameters: { Prefix: 'raw/' } },
      ItemBatcher: { MaxItemsPerBatch: REPROCESS_BATCH, BatchInput: { 'mode.$': '$.mode', 'from.$': '$.from' } },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'each article of the batch' },
      ResultWriter: { Resource: 'arn:REF:states:::s3:putObject', Parameters: { Prefix: 'reprocess-runs/' } },
    });
    expect(REPROCESS_BATCH).toBeGreaterThan(1);
    type States = Record<string, Record<string, unknown>>;
    // Each child goes through its batch one object at a time; an object's failure is caught and becomes its result.
    const batch = (map.ItemProcessor as unknown as { States: States }).States['each article of the batch'] as Record<string, unknown>;
    expect(batch).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.Items',
      MaxConcurrency: 1,
      ItemSelector: { 'key.$': '$$.Map.Item.Value.Key', 'mode.$': '$.BatchInput.mode', 'from.$': '$.BatchInput.from', 'bucket.$': '$.BatchInput.bucket' },
    });
    const perObject = (batch.ItemProcessor as { StartAt: string; States: States }).States;
    const one = perObject['one stored article'] as { Type: string; Catch: unknown[]; Branches: Array<{ StartAt: string; States: States }> };
    expect(one.Type).toBe('Parallel');
    expect(one.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'article failed' }]);
    expect(perObject['article failed']).toMatchObject({ Type: 'Pass', Parameters: { failed: true, 'key.$': '$.key' } });
    const child = one.Branches[0]?.States as States;
    expect(one.Branches[0]?.StartAt).toBe('decide');
    expect(child['start at extract']?.Next).toBe('reprocess extract stage');
    expect(child['start at index']?.Next).toBe('reprocess index stage');
  });

  it('release the lease and fail visibly when a step fails, with an alarm on failed runs', () => {
    for (const step of ['each stored article', 'sweep', 'summarize']) {
      expect(definition.States[step]?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'release after a failure' }]);
    }
    expect(definition.States['release after a failure']?.Next).toBe('run failed');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsFailed', Threshold: 0 });
  });

  it('sweep for orphan records page by page, then summarize and release', () => {
    expect((definition.States['more records?'] as { Choices: Array<{ Next: string }> }).Choices[0]?.Next).toBe('sweep');
    expect(definition.States.summarize?.Next).toBe('release');
  });

  it('are scheduled by EventBridge Scheduler, off by default, with a retry policy and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      State: 'DISABLED',
      ScheduleExpression: 'rate(7 days)',
      Target: Match.objectLike({
        Input: JSON.stringify({ mode: 'outdated', from: 'clean' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
    const on = Template.fromStack(new KhabarStack(new App(), 'On', { maxRawBytes: 1, reprocessSchedule: 'cron(0 3 ? * SUN *)' }));
    on.hasResourceProperties('AWS::Scheduler::Schedule', { State: 'ENABLED', ScheduleExpression: 'cron(0 3 ? * SUN *)' });
  });
});
