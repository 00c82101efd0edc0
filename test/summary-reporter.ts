import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';

/**
 * Ends the run with one plain line, "N passed, N failed, N skipped", for logs that are read by
 * machines. Each test is counted when its result is reported (a result read at the end of the run
 * can still be pending, and was once counted as skipped); a test file that could not be loaded
 * and an error outside any test count as failed.
 */
export default class SummaryReporter implements Reporter {
  private count = { passed: 0, failed: 0, skipped: 0 };

  onTestRunStart(): void {
    this.count = { passed: 0, failed: 0, skipped: 0 };
  }

  onTestCaseResult(test: TestCase): void {
    const state = test.result().state;
    if (state === 'passed') this.count.passed++;
    else if (state === 'failed') this.count.failed++;
    else this.count.skipped++;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const broken = modules.filter((m) => m.errors().length > 0).length;
    const { passed, failed, skipped } = this.count;
    process.stdout.write(`\n${passed} passed, ${failed + broken + unhandledErrors.length} failed, ${skipped} skipped\n`);
  }
}
