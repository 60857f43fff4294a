import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import {
  buildSchema as buildTypeGraphQLSchema,
  type BuildSchemaOptions,
  type PubSub,
} from 'type-graphql';
import { withErrorCodes } from './errors.js';
import { DstatResolver } from '../runs/dstat.resolver.js';
import { AttachmentResolver, ResultResolver } from '../runs/result.resolver.js';
import { RunResolver } from '../runs/run.resolver.js';
import { TestResolver } from '../tests/test.resolver.js';
import { FailedTestResolver, JobResolver, JobTestResolver } from '../jobs/job.resolver.js';
import { GroupResolver } from '../groups/group.resolver.js';

const resolvers: BuildSchemaOptions['resolvers'] = [
  RunResolver,
  ResultResolver,
  AttachmentResolver,
  DstatResolver,
  TestResolver,
  JobResolver,
  JobTestResolver,
  FailedTestResolver,
  GroupResolver,
];

/**
 * type-graphql refuses to build subscriptions without a pubSub, though none here uses it:
 * each subscribes to its app's own bus (`context.events`), so topics would bypass it.
 */
const noTopics: PubSub = {
  publish() {
    throw new Error('subscriptions publish through context.events, not type-graphql topics');
  },
  subscribe() {
    throw new Error('subscriptions subscribe through context.events, not type-graphql topics');
  },
};

/** The executable schema; built once per process (type-graphql's metadata is global). */
export function buildSchema(): Promise<GraphQLSchema> {
  schema ??= buildTypeGraphQLSchema({ resolvers, validate: false, pubSub: noTopics }).then(
    withErrorCodes,
  );
  return schema;
}
let schema: Promise<GraphQLSchema> | undefined;

/** The SDL committed as schema/schema.graphql: sorted, so it diffs only when the API changes. */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildSchema()))}\n`;
}
