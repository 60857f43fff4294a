/** What the job page asks the server, and the shapes of the answers (typed from the schema). */
import { graphql, type ResultOf } from '../lib/graphql/graphql.js';

export const JOB_SUMMARY = graphql(`
  query JobSummary($name: String!, $since: DateTime!, $until: DateTime!, $resolution: Resolution!) {
    job(name: $name) {
      name
      runCount(since: $since, until: $until)
      passedRuns(since: $since, until: $until)
      failedRuns(since: $since, until: $until)
      skippedRuns(since: $since, until: $until)
      failureRate(since: $since, until: $until)
      lastRunAt
      series(resolution: $resolution, since: $since, until: $until) {
        start
        passedRuns
        failedRuns
        skippedRuns
        failureRate
        testPasses
        testFailures
        testSkips
        testFailureRate
      }
      runTimes(since: $since, until: $until) {
        runAt
        wallTime
        rollingMean
        upper
        lower
      }
    }
  }
`);

type Job = NonNullable<ResultOf<typeof JOB_SUMMARY>['job']>;
/** The `RunBucket` fields the charts read. */
export type JobBucket = Job['series'][number];
/** The `RunTimePoint` fields the chart reads. */
export type RunTime = Job['runTimes'][number];

export const JOB_RECENT = graphql(`
  query JobRecent($name: String!) {
    job(name: $name) {
      runs(first: 20) {
        nodes {
          id
          runAt
          status
          passes
          failures
          uxsuccesses
          skips
          wallTime
          incomplete
          parseErrors
          change
          patchset
          artifactsUrl
          node: metadataValue(key: "node_provider")
        }
      }
      failedTests(lastRuns: 10) {
        failures
        test {
          testId
          verdicts {
            scope
            verdict
          }
        }
        lastFailure {
          run {
            id
            runAt
          }
          tracebackTail(lines: 1)
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
  }
`);

/** One row of the recent runs table. */
export type RecentRun = NonNullable<ResultOf<typeof JOB_RECENT>['job']>['runs']['nodes'][number];

export const JOB_TESTS = graphql(`
  query JobTests(
    $name: String!
    $since: DateTime!
    $until: DateTime!
    $filter: TestFilter
    $orderBy: JobTestOrder!
    $direction: SortDirection!
    $first: Int!
    $after: String
  ) {
    job(name: $name) {
      tests(
        since: $since
        until: $until
        filter: $filter
        orderBy: $orderBy
        direction: $direction
        first: $first
        after: $after
      ) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          test {
            testId
          }
          runs
          passes
          failures
          skips
          failureRate
          meanDuration
        }
      }
    }
  }
`);

type JobTest = NonNullable<ResultOf<typeof JOB_TESTS>['job']>['tests']['nodes'][number];
/** One row of the tests table: a test's figures in the job over the period. */
export type JobTestRow = Omit<JobTest, 'test'> & { testId: JobTest['test']['testId'] };
