import { Command, InvalidArgumentError, Option } from 'commander';
import { processFiles } from './process';

const program = new Command('khabar').description('Arabic news articles in, structured records out.').showHelpAfterError();

function isoDate(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?$/.test(v)) throw new InvalidArgumentError('expected an ISO 8601 date, e.g. 2017-01-06T00:24+02:00');
  return v;
}

program
  .command('process')
  .description('clean and extract files without storage; prints one record per input')
  .argument('<paths...>', 'files or directories')
  .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'json']).default('jsonl'))
  .addOption(new Option('--from <stage>', 'raw: the input is a page; clean: the input is article text as is').choices(['raw', 'clean']).default('raw'))
  .option('--published-at <iso>', 'reference publication date for relative dates', isoDate)
  .action((paths: string[], opts: { format: 'jsonl' | 'json'; from: 'raw' | 'clean'; publishedAt?: string }) => {
    processFiles(paths, opts, (s) => process.stdout.write(s));
  });

await program.parseAsync(process.argv);
