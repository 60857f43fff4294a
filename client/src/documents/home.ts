/** What the home page asks the server, and the shapes of the answers (typed from the schema). */
import { graphql, type ResultOf } from '../lib/graphql/graphql.js';

export const HOME_KEYS = graphql(`
  query HomeKeys {
    metadataKeys {
      key
    }
  }
`);

export const HOME_FRESHNESS = graphql(`
  query HomeFreshness($filter: RunFilter) {
    freshness(filter: $filter) {
      newestRunAt
    }
  }
`);

export const HOME_SERIES = graphql(`
  query HomeSeries($groupBy: String, $filter: RunFilter, $resolution: Resolution!) {
    runSeries(groupBy: $groupBy, filter: $filter, resolution: $resolution) {
      value
      buckets {
        start
        runs
        passedRuns
        failedRuns
        failureRate
      }
    }
  }
`);

export const HOME_GROUPS = graphql(`
  query HomeGroups($key: String!, $filter: RunFilter) {
    groups(key: $key, filter: $filter, first: 100) {
      totalCount
      nodes {
        value
        runCount
        passedRuns
        failedRuns
        failureRate
        lastRunAt
      }
      withoutKey {
        runCount
        passedRuns
        failedRuns
        failureRate
        lastRunAt
      }
    }
  }
`);

export const HOME_FAILED_TESTS = graphql(`
  query HomeFailedTests($filter: RunFilter) {
    failedTests(filter: $filter, lastRuns: 10) {
      failures
      test {
        testId
        verdicts {
          scope
          verdict
        }
      }
      lastFailure {
        testId
        tracebackTail(lines: 4)
        newSignature
        signature {
          fingerprint
        }
        knownIssues {
          bugUrl
          title
        }
        run {
          id
          runAt
          buildName
        }
      }
    }
  }
`);

export const HOME_JOBS = graphql(`
  query HomeJobs($filter: JobFilter) {
    jobs(filter: $filter, first: 100) {
      totalCount
      nodes {
        name
        runCount
        passedRuns
        failedRuns
        failureRate
        lastRunAt
      }
    }
  }
`);

/** One series of `runSeries`: a group's value (null: runs without the key) and its buckets. */
export type GroupSeries = ResultOf<typeof HOME_SERIES>['runSeries'][number];
export type Bucket = GroupSeries['buckets'][number];
/** A row of the groups table. */
export type GroupRow = ResultOf<typeof HOME_GROUPS>['groups']['nodes'][number];
/** A row of the job list. */
export type JobRow = ResultOf<typeof HOME_JOBS>['jobs']['nodes'][number];
/** Runs counted for one group or one job: what both tables show. */
export type RunCounts = Omit<GroupRow, 'value'> & Omit<JobRow, 'name'>;
/** A test of "failed tests in the last failed runs". */
export type FailedTestRow = ResultOf<typeof HOME_FAILED_TESTS>['failedTests'][number];
