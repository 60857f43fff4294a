/** What the Flaky tests page asks the server, typed from the schema. */
import { graphql, type ResultOf } from '../lib/graphql/graphql.js';

export const FLAKY_TESTS = graphql(`
  query FlakyTests($filter: FlakyFilter, $first: Int) {
    flakyTests(filter: $filter, first: $first) {
      totalCount
      nodes {
        testId
        scope
        verdict
        reason
        runs
        failures
        firstSeen
        lastSeen
        changedAt
        evidence {
          transitions
          patchSets {
            change
            patchset
            passes
            failures
          }
          runs {
            run
            at
            change
            patchset
            job
            result
            retried
          }
        }
        history {
          at
          from
          to
          reason
          run
        }
      }
    }
  }
`);

export type FlakyVerdictRow = ResultOf<typeof FLAKY_TESTS>['flakyTests']['nodes'][number];
