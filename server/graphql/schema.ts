import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import {
  buildSchema as buildTypeGraphQLSchema,
  type NonEmptyArray,
  type PubSub,
} from 'type-graphql';
import { withErrorCodes } from './errors.js';

/**
 * The executable schema of these resolvers. type-graphql's metadata is global to the process,
 * so a process builds one schema: later calls get the first one.
 */
export function buildSchema(
  resolvers: readonly (abstract new (...args: never[]) => unknown)[],
): Promise<GraphQLSchema> {
  schema ??= buildTypeGraphQLSchema({
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql's own type
    resolvers: resolvers as unknown as NonEmptyArray<Function>,
    validate: false,
    pubSub: topicsRefused,
  }).then(withErrorCodes);
  return schema;
}
let schema: Promise<GraphQLSchema> | undefined;

/**
 * type-graphql insists on a PubSub for its `topics` option. Subscriptions here `subscribe` to
 * the context's bus instead (one bus per server, maybe across instances), so `topics` is
 * refused rather than served from a bus of the whole process.
 */
const topicsRefused: PubSub = {
  publish: () => {
    throw new Error('publish through the context bus (context.events), not type-graphql topics');
  },
  subscribe: () => {
    throw new Error('subscribe to the context bus (context.events), not type-graphql topics');
  },
};

/** The SDL committed as schema/schema.graphql: sorted, so it diffs only when the API changes. */
export function schemaSdl(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
