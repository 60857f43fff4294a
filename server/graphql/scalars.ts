import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** RFC 3339 date-times: a date, a time to the minute or finer, and a zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

function parseInstant(value: unknown): Date {
  if (typeof value === 'string' && INSTANT.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new GraphQLError(
    `DateTime: expected an RFC 3339 date-time such as 2026-11-22T15:09:14Z, got ${JSON.stringify(value)}`,
  );
}

/**
 * Instants as ISO 8601 strings in UTC (`2026-11-22T15:09:14.000Z`); inputs take any offset.
 * Serializing is one `toISOString`: timelines send tens of thousands of these.
 */
export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'An instant, as an RFC 3339 string: `2026-11-22T15:09:14.000Z` in answers (always UTC); ' +
    'inputs may carry any offset.',
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    throw new GraphQLError(`DateTime cannot represent ${String(value)}`);
  },
  parseValue: parseInstant,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('DateTime: expected a string such as 2026-11-22T15:09:14Z', {
        nodes: ast,
      });
    }
    return parseInstant(ast.value);
  },
});
