import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { KhabarStack } from '../../lib/khabar-stack';
import { acknowledgeNagFindings } from '../../lib/nag';

function findings(acknowledge: boolean): string[] {
  const outdir = mkdtempSync(path.join(tmpdir(), 'khabar-nag-'));
  const app = new App({ outdir });
  const stack = new KhabarStack(app, 'Nag', { maxRawBytes: 1_000_000 });
  if (acknowledge) acknowledgeNagFindings(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  try {
    app.synth();
  } catch {
    // A failed validation is reported in the report file read below.
  }
  const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  return JSON.stringify(report).match(/(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[[^\]"]*\])?/g) ?? [];
}

describe('cdk-nag (AwsSolutions + Serverless)', () => {
  it('has no unacknowledged finding', () => {
    const report = findings(true);
    const failing = report.filter((f) => !/acknowledged/i.test(f));
    expect(failing).toEqual([]);
  });

  it('would report findings without the acknowledgements (the check is live)', () => {
    expect(findings(false).length).toBeGreaterThan(0);
  });
});
