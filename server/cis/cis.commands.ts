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
        description: 'with --ci: its Gerrit server (when several have the account)',
      },
      {
        flag: 'since',
        valueName: 'WHEN',
        description:
          'the window: 24h (default; 7d with --ci), 7d, 2w… back from now, or a date (2026-11-01)',
      },
      { flag: 'json', description: 'a JSON array, one object per CI (with --ci, one object)' },
    ],
    details:
      'Read-only: a database that does not exist is not created, and one that needs migrating is refused.',
    run: async (invocation) => (await import('../cli/status.js')).status(invocation),
  },
];
