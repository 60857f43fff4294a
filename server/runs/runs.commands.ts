import type { CommandSpec } from '../command.js';

const RUN = { name: 'RUN', description: 'a run: its uuid, its first 4+ characters, or last' };
const JOB = {
  flag: 'job',
  valueName: 'JOB',
  description: 'with last: the newest run of this job (build_name)',
};

/** Finding stored runs and reading them back. */
export const runsCommands: readonly CommandSpec[] = [
  {
    name: 'runs',
    summary: 'list stored runs, newest first: id, time (UTC), job, change, counts, status',
    readOnly: true,
    options: [
      { flag: 'job', valueName: 'JOB', description: 'only the runs of this job (build_name)' },
      { flag: 'failed', description: 'only the failed runs' },
      {
        flag: 'since',
        valueName: 'WHEN',
        description:
          'only runs at or after a UTC date or time (2026-12-01, 2026-12-01T08:00) or an age (12h, 7d)',
      },
      {
        flag: 'limit',
        short: 'n',
        valueName: 'N',
        description: 'at most N runs (default 20, at most 500)',
      },
      { flag: 'json', description: 'the runs as JSON' },
    ],
    run: async (invocation) => (await import('../cli/runs.js')).runs(invocation),
  },
  {
    name: 'show',
    summary: "print a run's summary: metadata, counts, slowest tests, failures, dstat",
    arguments: [RUN],
    readOnly: true,
    options: [JOB, { flag: 'json', description: 'the summary as JSON' }],
    run: async (invocation) => (await import('../cli/show.js')).show(invocation),
  },
  {
    name: 'failing',
    summary: "print a run's failed tests with the tail of their tracebacks (default: last)",
    arguments: [{ ...RUN, optional: true }],
    readOnly: true,
    options: [
      JOB,
      {
        flag: 'lines',
        valueName: 'N',
        description: 'traceback lines per test, from its end (default 10)',
      },
      { flag: 'json', description: 'the failed tests as JSON' },
    ],
    run: async (invocation) => (await import('../cli/failing.js')).failing(invocation),
  },
  {
    name: 'expire',
    summary: 'remove old runs (or named ones) with all they own; the aggregates follow exactly',
    options: [
      {
        flag: 'older-than',
        valueName: 'AGE',
        description: "the runs that ran longer ago than this: 186d (subunit2sql's), 26w, 12h",
      },
      {
        flag: 'run',
        valueName: 'ID',
        description: 'this run instead: a uuid or its first 4+ characters (repeatable, or a,b)',
        repeatable: true,
      },
      { flag: 'dry-run', description: 'print the runs that would go; remove nothing' },
      { flag: 'json', description: 'what was (or would be) removed, as JSON' },
    ],
    details:
      'Each run goes in a transaction of its own, GATEWATCH_EXPIRE_BATCH (50) between pauses of\n' +
      'GATEWATCH_EXPIRE_PAUSE (1s), so that a server on the same database keeps answering.\n' +
      'serve --expire AGE does the same every day. Exit status: 0 when done, 2 for a bad\n' +
      'argument or an unknown run (nothing is removed then).',
    run: async (invocation) => (await import('../cli/expire.js')).expire(invocation),
  },
  {
    name: 'export',
    summary: 'write a run back as a subunit v2 stream on stdout',
    arguments: [RUN],
    readOnly: true,
    options: [
      {
        flag: 'average',
        description: "each test's duration is its mean successful duration over every run",
      },
    ],
    run: async (invocation) => (await import('../cli/export.js')).exportRun(invocation),
  },
];
