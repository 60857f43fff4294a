/**
 * Every `gatewatch` command (light descriptors only): the composition's own (serve, schema,
 * migrate) and each domain's.
 */
import { serveCommands } from './cli/serve.commands.js';
import type { CommandSpec } from './command.js';
import { dbCommands } from './db/db.commands.js';
import { domains } from './domains.js';
import { graphqlCommands } from './graphql/graphql.commands.js';

export const COMMANDS: readonly CommandSpec[] = [
  ...serveCommands,
  ...domains.flatMap((domain) => domain.commands ?? []),
  ...dbCommands,
  ...graphqlCommands,
];
