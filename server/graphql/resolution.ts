/** The time buckets of every analytic series in the API, shared by all resolvers. */
import { registerEnumType } from 'type-graphql';

/**
 * A series' bucket size. The values are the `Resolution` strings of server/db/sql.ts, so an
 * argument passes straight to `bucketStartMs` (the compiler checks that they agree there). Buckets are UTC; weeks start on Mondays.
 */
export enum Resolution {
  HOUR = 'hour',
  DAY = 'day',
  WEEK = 'week',
  MONTH = 'month',
}

registerEnumType(Resolution, {
  name: 'Resolution',
  description:
    'The size of the buckets of a time series, in UTC; weeks start on Mondays (ISO 8601).',
  valuesConfig: {
    HOUR: { description: 'One bucket per hour.' },
    DAY: { description: 'One bucket per day.' },
    WEEK: { description: 'One bucket per week, Monday to Sunday.' },
    MONTH: { description: 'One bucket per calendar month.' },
  },
});
