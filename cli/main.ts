import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Command, InvalidArgumentError, Option } from 'commander';
import { makeClients } from '../functions/adapters/clients';
import { MaintenanceStore } from '../functions/adapters/maintenance-store';
import { table, truncate } from './format';
import { ensureTable, LOCAL_TABLE, localClients, startDynamo } from './local/stand-ins';
import { processFiles } from './process';
import { formatRows, RecordQueries } from './query';
import { formatSummary, reprocessLocal } from './reprocess';
import { runLocal } from './run';

const program = new Command('khabar').description('Arabic news articles in, structured records out.').showHelpAfterError();

function isoDate(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?$/.test(v))
    throw new InvalidArgumentError('expected an ISO 8601 date, e.g. 2017-01-06T00:24+02:00');
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

program
  .command('run')
  .description('process files end to end on embedded S3 and DynamoDB stand-ins and print their records')
  .argument('[paths...]', 'files or directories', ['seeds'])
  .option('--data-dir <dir>', 'where the stand-ins keep their data', '.khabar')
  .action(async (paths: string[], opts: { dataDir: string }) => {
    const summary = await runLocal(paths, opts.dataDir, process.stdout, process.stderr);
    if (summary.failed) process.exitCode = 1;
  });

program
  .command('reprocess')
  .description('re-run the chain over stored articles on the local stand-ins: outdated records (or all), from a stage')
  .addOption(
    new Option('--stage <stage>', 'where to start: clean (everything), extract (from stored clean text), index (from stored extraction)')
      .choices(['clean', 'extract', 'index'])
      .default('clean'),
  )
  .option('--all', 'every stored article, not only those from an older pipeline version', false)
  .option('--data-dir <dir>', 'where the stand-ins keep their data', '.khabar')
  .action(async (opts: { stage: 'clean' | 'extract' | 'index'; all: boolean; dataDir: string }) => {
    const summary = await reprocessLocal({ mode: opts.all ? 'all' : 'outdated', from: opts.stage, dataDir: opts.dataDir }, process.stdout, process.stderr);
    if (summary?.failed) process.exitCode = 1;
  });

interface QueryOpts {
  table?: string;
  dataDir: string;
  format: 'table' | 'json';
  from?: string;
  to?: string;
}

/** Runs a query against the deployed table (--table) or the local stand-in's data. */
async function withQueries(opts: QueryOpts, fn: (q: RecordQueries, doc: DynamoDBDocumentClient, table: string) => Promise<string>): Promise<void> {
  if (opts.table) {
    const { doc } = makeClients();
    process.stdout.write(`${await fn(new RecordQueries(doc, opts.table), doc, opts.table)}\n`);
    return;
  }
  const dynamo = await startDynamo(opts.dataDir);
  const clients = localClients('http://127.0.0.1:1', dynamo.endpoint);
  try {
    await ensureTable(clients, LOCAL_TABLE);
    process.stdout.write(`${await fn(new RecordQueries(clients.doc, LOCAL_TABLE), clients.doc, LOCAL_TABLE)}\n`);
  } finally {
    clients.doc.destroy();
    clients.s3.destroy();
    await dynamo.close();
  }
}

const query = program.command('query').description('read records: by article, entity, date range or publisher');
const queryOptions = (c: Command) =>
  c
    .option('--table <name>', 'a deployed table (AWS_PROFILE / AWS_REGION as usual); default: the local stand-in')
    .option('--data-dir <dir>', 'local stand-in data', '.khabar')
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json']).default('table'));

queryOptions(query.command('article').description('one article by id or object key (raw/…)').argument('<idOrKey>')).action((idOrKey: string, opts: QueryOpts) =>
  withQueries(opts, async (q) => {
    const item = await q.article(idOrKey);
    if (!item) {
      process.exitCode = 1;
      return `no article ${idOrKey}`;
    }
    return JSON.stringify(item, null, 2);
  }),
);
queryOptions(query.command('entity').description('articles mentioning an entity, by any spelling, newest first').argument('<spelling>'))
  .option('--from <iso>', 'published on or after', isoDate)
  .option('--to <iso>', 'published on or before', isoDate)
  .action((spelling: string, opts: QueryOpts) =>
    withQueries(opts, async (q) => {
      const { entityIds, rows } = await q.byEntity(spelling, opts);
      if (opts.format === 'json') return JSON.stringify({ entityIds, articles: rows }, null, 2);
      return `${entityIds.length ? `entity: ${entityIds.join(', ')}` : `no known entity is spelled ${spelling}`}\n${formatRows(rows, 'table')}`;
    }),
  );
queryOptions(query.command('dates').description('articles published in a date range, newest first'))
  .requiredOption('--from <iso>', 'first day', isoDate)
  .requiredOption('--to <iso>', 'last day', isoDate)
  .action((opts: QueryOpts) => withQueries(opts, async (q) => formatRows(await q.byDate(opts.from as string, opts.to as string), opts.format)));
queryOptions(query.command('publisher').description('articles of a publisher, newest first').argument('<name>'))
  .option('--from <iso>', 'published on or after', isoDate)
  .option('--to <iso>', 'published on or before', isoDate)
  .action((name: string, opts: QueryOpts) => withQueries(opts, async (q) => formatRows(await q.byPublisher(name, opts), opts.format)));

queryOptions(query.command('quotes').description('quotes of a speaker, by any spelling, newest first').argument('<speaker>'))
  .option('--from <iso>', 'published on or after', isoDate)
  .option('--to <iso>', 'published on or before', isoDate)
  .action((speaker: string, opts: QueryOpts) =>
    withQueries(opts, async (q) => {
      const quotes = await q.quotes(speaker, opts);
      if (opts.format === 'json') return JSON.stringify(quotes, null, 2);
      return quotes.length
        ? table(
            ['published', 'speaker', 'quote'],
            quotes.map((x) => [x.publishedAt ?? '', x.speaker, truncate(x.text, 70)]),
          )
        : 'no quotes';
    }),
  );
queryOptions(query.command('related').description('the entities most often mentioned together with an entity').argument('<spelling>')).action(
  (spelling: string, opts: QueryOpts) =>
    withQueries(opts, async (q) => {
      const rows = await q.coMentioned(spelling);
      if (opts.format === 'json') return JSON.stringify(rows, null, 2);
      return rows.length
        ? table(
            ['articles', 'type', 'name', 'entity id'],
            rows.map((r) => [String(r.articles), r.type, r.name, r.entityId]),
          )
        : 'no entities';
    }),
);
queryOptions(query.command('copies').description('copies (same text) and near-duplicates of an article').argument('<idOrKey>')).action(
  (idOrKey: string, opts: QueryOpts) =>
    withQueries(opts, async (q) => {
      const c = await q.copies(idOrKey);
      if (opts.format === 'json') return JSON.stringify(c, null, 2);
      return `copies:\n${formatRows(c.copies, 'table')}\n\nnear-duplicates:\n${formatRows(c.nearDuplicates, 'table')}`;
    }),
);
queryOptions(query.command('registry').description('an entity: type, name, every spelling seen, article count').argument('<spellingOrId>')).action(
  (spellingOrId: string, opts: QueryOpts) =>
    withQueries(opts, async (q) => {
      const entries = await q.registry(spellingOrId);
      if (opts.format === 'json') return JSON.stringify(entries, null, 2);
      return entries.length
        ? table(
            ['entity id', 'type', 'name', 'articles', 'spellings'],
            entries.map((e) => [e.entityId, e.type, e.name, String(e.articles), e.spellings.join('، ')]),
          )
        : `no entity is spelled ${spellingOrId}`;
    }),
);

queryOptions(query.command('runs').description('the latest re-processing runs and their summaries')).action((opts: QueryOpts) =>
  withQueries(opts, async (_q, doc, tableName) => {
    const runs = await new MaintenanceStore(doc, tableName).runs();
    if (opts.format === 'json') return JSON.stringify(runs, null, 2);
    return runs.length ? runs.map((r) => formatSummary(r as never)).join('\n\n') : 'no runs yet';
  }),
);

await program.parseAsync(process.argv);
