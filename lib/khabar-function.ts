import path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, RecursiveLoop, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StageDefinition } from '../functions/shared/chain';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface KhabarFunctionProps {
  stage: Pick<StageDefinition, 'entry' | 'description' | 'memoryMb' | 'timeoutSeconds' | 'assets'> & { name: string };
  environment: Record<string, string>;
  reservedConcurrency?: number;
}

/**
 * A chain stage as a Lambda function with the house defaults: Node.js 22 on arm64, ESM bundle
 * minified with source maps by the local esbuild (never Docker), X-Ray tracing, a log group with
 * retention, recursion stopped. The AWS SDK v3 is left out of the bundle and taken from the
 * runtime, which ships it: bundles stay small and cold starts short.
 */
export class KhabarFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: KhabarFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    // Its own role, writing only to its own log group (instead of the AWS managed basic execution role).
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `khabar ${props.stage.name} stage`,
      inlinePolicies: {
        logs: new PolicyDocument({
          statements: [new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
        }),
      },
    });
    super(scope, id, {
      role,
      entry: path.join(ROOT, props.stage.entry),
      projectRoot: ROOT,
      depsLockFilePath: path.join(ROOT, 'package-lock.json'),
      description: `khabar ${props.stage.name}: ${props.stage.description}`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.stage.memoryMb,
      timeout: Duration.seconds(props.stage.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      logGroup,
      recursiveLoop: RecursiveLoop.TERMINATE,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        externalModules: ['@aws-sdk/*'],
        mainFields: ['module', 'main'],
        // Some CommonJS dependencies call require(); give the ESM bundle one.
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
        // Model files travel beside the bundle, read once per container (see functions/core/extract/tagger/tagger.ts).
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) =>
            (props.stage.assets ?? []).map((a) => `cp "${path.join(inputDir, a)}" "${path.join(outputDir, path.basename(a))}"`),
        },
      },
    });
  }
}
