/**
 * The dashboard's `graphql()`: every document is typed from `schema/schema.graphql` (gql.tada
 * reads `graphql-env.d.ts`, generated from it by `npm run schema`) and checked against it by
 * `npm run check` (`gql.tada check`). Documents live in `src/documents/`, the folder the
 * checker reads; it cannot read `.svelte` files.
 */
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.js';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  // As JSON carries it: an ISO 8601 string.
  scalars: { DateTime: string };
}>();

export type { ResultOf, VariablesOf } from 'gql.tada';

/** A scalar or enum of the schema as TypeScript sees it (`Scalar<'TestStatus'>`). */
export type Scalar<Name extends string> = ReturnType<typeof graphql.scalar<Name>>;
