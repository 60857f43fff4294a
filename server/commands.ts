/** Every `gatewatch` command, as each domain contributes them (light descriptors only). */
import type { CommandSpec } from './cli/command.js';
import { serveCommands } from './cli/serve.commands.js';
import { dbCommands } from './db/db.commands.js';
import { graphqlCommands } from './graphql/graphql.commands.js';
import { ingestCommands } from './ingest/ingest.commands.js';
import { runsCommands } from './runs/runs.commands.js';
import { tokensCommands } from './tokens/tokens.commands.js';

export const COMMANDS: readonly CommandSpec[] = [
  ...serveCommands,
  ...ingestCommands,
  ...runsCommands,
  ...tokensCommands,
  ...dbCommands,
  ...graphqlCommands,
];
