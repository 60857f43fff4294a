import type { CommandSpec } from '../command.js';

/** Storing subunit streams, into a database or through a server. */
export const ingestCommands: readonly CommandSpec[] = [
  {
    name: 'ingest',
    summary: 'store subunit streams (v1/v2, gzip or not, - for stdin) as runs, here or on a server',
    arguments: [{ name: 'FILE', description: 'subunit streams, - for stdin', variadic: true }],
    options: [
      {
        flag: 'meta',
        valueName: 'key=value',
        description: 'run metadata: build_name (the job), project, build_change… (repeatable)',
        repeatable: true,
      },
      { flag: 'dstat', valueName: 'FILE', description: "the run's dstat CSV (a single input)" },
      { flag: 'artifacts', valueName: 'URL', description: "where the job's logs live" },
      { flag: 'json', description: 'one JSON line per run on stdout' },
      {
        flag: 'server',
        valueName: 'URL',
        description: 'upload to a gatewatch server (POST /api/runs) instead of a database',
      },
      {
        flag: 'token',
        valueName: 'TOKEN',
        description: 'the upload token (env: GATEWATCH_TOKEN)',
      },
    ],
    details:
      'With --server the streams are uploaded one at a time; --db and --server exclude each\n' +
      'other, and a dstat file can only be attached by a local ingest.',
    run: async (invocation) => (await import('../cli/ingest.js')).ingest(invocation),
  },
];
