import type { CommandSpec } from '../command.js';

/** The database's own command. */
export const dbCommands: readonly CommandSpec[] = [
  {
    name: 'migrate',
    summary: 'create or upgrade the database schema',
    run: async (invocation) => (await import('../cli/migrate.js')).migrate(invocation),
  },
];
