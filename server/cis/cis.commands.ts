import type { CommandSpec } from '../command.js';

/** CI health from the terminal. */
export const cisCommands: readonly CommandSpec[] = [
  {
    name: 'status',
    summary:
      'one row per CI: reports, builds, unparsed, success rate, coverage, missed, last report; with --ci, one CI’s record',
    readOnly: true,
    options: [
      { flag: 'project', valueName: 'P', description: 'only this Gerrit project' },
      {
        flag: 'ci',
        valueName: 'ACCOUNT',
        description:
          'one CI’s record: figures, latency, agreement with upstream, jobs, missed patch sets',
      },
      {
        flag: 'server',
        valueName: 'S',
        description:
          'with --ci or --matrix: the Gerrit server (when several have the account or project)',
      },
      {
        flag: 'since',
        valueName: 'WHEN',
        description:
          'the window: 24h (default; 7d with --ci), 7d, 2w… back from now, or a date (2026-11-01)',
      },
      {
        flag: 'matrix',
        valueName: 'PROJECT',
        description:
          "the project's CI matrix instead: one line per CI, one column per patch set, newest first",
      },
      {
        flag: 'limit',
        short: 'n',
        valueName: 'N',
        description: 'with --matrix: the newest N patch sets (default 20, at most 500)',
      },
      {
        flag: 'json',
        description:
          'a JSON array, one object per CI (with --ci, one object; with --matrix, the matrix)',
      },
    ],
    details:
      'Read-only: a database that does not exist is not created, and one that needs migrating is refused.',
    run: async (invocation) => (await import('../cli/status.js')).status(invocation),
  },
];
