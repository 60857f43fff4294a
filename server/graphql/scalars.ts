import { GraphQLScalarType } from 'graphql';
import { DateTimeISOResolver } from 'graphql-scalars';

/** Instants as ISO 8601 strings in UTC (`2026-11-22T15:09:14.000Z`); inputs take any offset. */
export const DateTime = new GraphQLScalarType({
  ...DateTimeISOResolver.toConfig(),
  name: 'DateTime',
  description: 'An instant, as an ISO 8601 string in UTC: `2026-11-22T15:09:14.000Z`.',
});
