import type { CommandSpec } from '../command.js';

/** Storing subunit streams, into a database or through a server. */
export const ingestCommands: readonly CommandSpec[] = [
  {
    name: 'ingest',
    summary: 'store subunit streams (v1/v2, gzip or not, - for stdin) as runs, here or on a server',
    arguments: [
      { name: 'FILE', description: 'subunit streams: files, pipes, - for stdin', variadic: true },
    ],
    options: [
      {
        flag: 'meta',
        valueName: 'key=value',
        description: 'run metadata: build_name (the job), project, build_change… (repeatable)',
        repeatable: true,
      },
      { flag: 'dstat', valueName: 'FILE', description: "the run's dstat CSV (a single input)" },
      { flag: 'artifacts', valueName: 'URL', description: "where the job's logs live" },
      {
        flag: 'json',
        description: 'one JSON line per input on stdout: its run, or its error',
      },
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
      'Exit status: 0 when every input was stored, 1 when any was not (the others are), 2 for\n' +
      'a bad argument. With --server the streams are uploaded one at a time (with --dstat, as a\n' +
      'multipart form of both); --db and --server exclude each other.',
    run: async (invocation) => (await import('../cli/ingest.js')).ingest(invocation),
  },
];
