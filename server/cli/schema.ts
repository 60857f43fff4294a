import { composeApi } from '../api.js';
import { schemaSdl } from '../graphql/schema.js';
import { parseCommandArgs, type Command } from './command.js';

export const schema: Command = {
  name: 'schema',
  summary: 'print the GraphQL schema (SDL); schema/schema.graphql is its committed copy',
  usage: 'gatewatch schema',
  async run(argv) {
    parseCommandArgs('schema', argv, {});
    process.stdout.write(schemaSdl((await composeApi()).schema));
    return 0;
  },
};
