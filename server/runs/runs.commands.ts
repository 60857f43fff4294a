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
