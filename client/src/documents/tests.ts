/** What the tests page asks the server (typed from the schema). */
import { graphql } from '../lib/graphql/graphql.js';

export const TESTS_PAGE = graphql(`
  query TestsPage(
    $filter: TestFilter
    $orderBy: TestOrder!
    $direction: SortDirection!
    $after: String
    $first: Int
  ) {
    tests(filter: $filter, orderBy: $orderBy, direction: $direction, after: $after, first: $first) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        testId
        runs
        failures
        failureRate
        meanDuration
      }
    }
  }
`);
