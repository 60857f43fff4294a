import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema as buildTypeGraphQLSchema, type BuildSchemaOptions } from 'type-graphql';
import { withErrorCodes } from './errors.js';
import { pubSub } from './pubsub.js';
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

/** The executable schema; built once per process (type-graphql's metadata is global). */
export function buildSchema(): Promise<GraphQLSchema> {
  schema ??= buildTypeGraphQLSchema({ resolvers, validate: false, pubSub }).then(withErrorCodes);
  return schema;
}
let schema: Promise<GraphQLSchema> | undefined;

/** The SDL committed as schema/schema.graphql: sorted, so it diffs only when the API changes. */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildSchema()))}\n`;
}
