import type { CommandSpec } from '../command.js';

/** CI health from the terminal. */
export const cisCommands: readonly CommandSpec[] = [
  {
    name: 'status',
    summary:
      'one row per CI: reports, builds, unparsed, success rate, coverage, missed, last report',
    readOnly: true,
    options: [
      { flag: 'project', valueName: 'P', description: 'only this Gerrit project' },
      {
        flag: 'since',
        valueName: 'WHEN',
        description: 'the window: 24h (default), 7d, 2w… back from now, or a date (2026-11-01)',
      },
      { flag: 'json', description: 'a JSON array, one object per CI' },
    ],
    details:
      'Read-only: a database that does not exist is not created, and one that needs migrating is refused.',
    run: async (invocation) => (await import('../cli/status.js')).status(invocation),
  },
];
