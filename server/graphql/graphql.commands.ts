import type { CommandSpec } from '../command.js';

/** The GraphQL schema's command. */
export const graphqlCommands: readonly CommandSpec[] = [
  {
    name: 'schema',
    summary: 'print the GraphQL schema (SDL); schema/schema.graphql is its committed copy',
    run: async (invocation) => (await import('../cli/schema.js')).schema(invocation),
  },
];
