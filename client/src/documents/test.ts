/** What the test page asks the server, and the shapes of the answers (typed from the schema). */
import { graphql, type ResultOf } from '../lib/graphql/graphql.js';

export const TEST_SUMMARY = graphql(`
  query TestSummary($testId: String!) {
    test(testId: $testId) {
      testId
      runs
      successes
      failures
      skips
      failureRate
      meanDuration
      verdicts {
        scope
        verdict
      }
      jobs {
        name
        runs
        successes
        failures
        skips
        failureRate
      }
      recentFailures(limit: 10) {
        id
        status
        startTime
        run {
          id
          runAt
          buildName
        }
        tracebackTail(lines: 5)
        newSignature
        signature {
          fingerprint
        }
        knownIssues {
          bugUrl
          title
        }
      }
    }
  }
`);

export const TEST_PERIOD = graphql(`
  query TestPeriod($testId: String!, $since: DateTime!, $until: DateTime!) {
    test(testId: $testId) {
      history(resolution: DAY, since: $since, until: $until) {
        start
        successes
        failures
        skips
      }
      durationStats(since: $since, until: $until) {
        count
        mean
        p95
      }
      results(first: 500, filter: { since: $since, until: $until }) {
        totalCount
        nodes {
          status
          duration
          startTime
          run {
            runAt
          }
        }
      }
    }
  }
`);

type InPeriod = NonNullable<ResultOf<typeof TEST_PERIOD>['test']>;
/** The `TestBucket` fields the chart reads. */
export type TestBucket = InPeriod['history'][number];
/** The `TestResult` fields the scatter reads. */
export type TimedResult = InPeriod['results']['nodes'][number];
