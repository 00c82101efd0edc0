import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { STAGES } from '../../functions/shared/chain';

/** The AWS SDK packages a function's bundle imports (the SDK is left out of bundles and taken from the runtime, as in Lambda). */
async function sdkImports(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    external: ['@aws-sdk/*'],
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  return [...new Set(imports.filter((p) => p.startsWith('@aws-sdk/')))].sort();
}

describe('function bundles', () => {
  it('load only the SDK clients their stage uses at cold start: S3 alone for clean and extract', async () => {
    const entry = (name: string) => STAGES.find((s) => s.name === name)?.entry as string;
    expect(await sdkImports(entry('clean'))).toEqual(['@aws-sdk/client-s3']);
    expect(await sdkImports(entry('extract'))).toEqual(['@aws-sdk/client-s3']);
    expect(await sdkImports(entry('index'))).toEqual(['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/lib-dynamodb']);
  });
});
