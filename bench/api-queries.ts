/** The queries the dashboard makes, page by page, as the api benchmark sends them. */

/** Things the queries aim at, found in the generated data. */
export interface Ids {
  run: string;
  job: string;
  testId: string;
  /** A week before the data's end. */
  since: string;
  /** 30 days before the data's end. */
  monthAgo: string;
  until: string;
}

export interface DashboardQuery {
  name: string;
  query: string;
  variables(ids: Ids): Record<string, unknown>;
}

export const DASHBOARD_QUERIES: DashboardQuery[] = [
  {
    name: 'home: runs per day by project, 30 days',
    query: `query ($since: DateTime!, $until: DateTime!) { runSeries(groupBy: "project",
      filter: { since: $since, until: $until }, resolution: DAY) { value buckets { start
      passedRuns failedRuns skippedRuns failureRate } } }`,
    variables: (ids) => ({ since: ids.monthAgo, until: ids.until }),
  },
  {
    name: 'home: runs per hour, 7 days',
    query: `query ($since: DateTime!, $until: DateTime!) { runSeries(filter: { since: $since,
      until: $until }, resolution: HOUR) { value buckets { start passedRuns failedRuns } } }`,
    variables: (ids) => ({ since: ids.since, until: ids.until }),
  },
  {
    name: 'home: project table',
    query: `query ($since: DateTime!, $until: DateTime!) { groups(key: "project",
      filter: { since: $since, until: $until }) { totalCount nodes { value runCount passedRuns
      failedRuns failureRate lastRunAt } } }`,
    variables: (ids) => ({ since: ids.monthAgo, until: ids.until }),
  },
  {
    name: 'home: failed tests in the last 10 failed runs',
    query: `{ failedTests(lastRuns: 10) { failures test { testId } lastFailure { run { id }
      tracebackTail(lines: 3) } } }`,
    variables: () => ({}),
  },
  {
    name: 'home: freshness',
    query: `{ freshness { newestRunAt ageSeconds } }`,
    variables: () => ({}),
  },
  {
    name: 'job: series by day, 30 days',
    query: `query ($job: String!, $since: DateTime!, $until: DateTime!) { job(name: $job) {
      name runCount failureRate series(resolution: DAY, since: $since, until: $until) { start
      passedRuns failedRuns skippedRuns testPasses testFailures testSkips testFailureRate } } }`,
    variables: (ids) => ({ job: ids.job, since: ids.monthAgo, until: ids.until }),
  },
  {
    name: 'job: run times with rolling mean ± 2σ',
    query: `query ($job: String!, $since: DateTime!, $until: DateTime!) { job(name: $job) {
      runTimes(since: $since, until: $until) { runAt wallTime rollingMean upper lower } } }`,
    variables: (ids) => ({ job: ids.job, since: ids.monthAgo, until: ids.until }),
  },
  {
    name: 'job: tests table, 30 days, by failures',
    query: `query ($job: String!, $since: DateTime!, $until: DateTime!) { job(name: $job) {
      tests(since: $since, until: $until, first: 50) { totalCount nodes { test { testId }
      passes failures skips failureRate meanDuration } } } }`,
    variables: (ids) => ({ job: ids.job, since: ids.monthAgo, until: ids.until }),
  },
  {
    name: 'job: failed tests in the last 10 failed runs',
    query: `query ($job: String!) { job(name: $job) { failedTests(lastRuns: 10) { failures
      test { testId } lastFailure { run { id } tracebackTail(lines: 3) } } } }`,
    variables: (ids) => ({ job: ids.job }),
  },
  {
    name: 'test: daily history, 30 days',
    query: `query ($testId: String!, $since: DateTime!, $until: DateTime!) { test(testId: $testId) {
      testId runs successes failures failureRate history(resolution: DAY, since: $since,
      until: $until) { start successes failures skips meanDuration } } }`,
    variables: (ids) => ({ testId: ids.testId, since: ids.monthAgo, until: ids.until }),
  },
  {
    name: 'test: durations, percentiles, recent failures',
    query: `query ($testId: String!) { test(testId: $testId) { durationStats { count mean p50 p95 }
      results(first: 200) { nodes { duration status run { id runAt } } }
      recentFailures(limit: 10) { run { id } tracebackTail(lines: 3) } } }`,
    variables: (ids) => ({ testId: ids.testId }),
  },
  {
    name: 'tests: search by substring',
    query: `{ tests(filter: { contains: "Test4Case" }, first: 50) { totalCount nodes { testId
      runs failures failureRate } } }`,
    variables: () => ({}),
  },
  {
    name: 'tests: search by prefix, page 1',
    query: `{ tests(filter: { prefix: "tempest.api.compute" }, first: 50) { totalCount
      pageInfo { endCursor } nodes { testId } } }`,
    variables: () => ({}),
  },
  {
    name: 'run: summary',
    query: `query ($id: ID!) { run(id: $id) { id runAt buildName status tests passes failures skips wallTime
      metadata { key value } artifacts { kind name url } } }`,
    variables: (ids) => ({ id: ids.run }),
  },
  {
    name: 'run: failures with tracebacks',
    query: `query ($id: ID!) { run(id: $id) { results(status: [FAIL, UXSUCCESS], first: 100) {
      totalCount nodes { testId duration tracebackTail(lines: 5) } } } }`,
    variables: (ids) => ({ id: ids.run }),
  },
  {
    name: 'run: timeline (5,000 results)',
    query: `query ($id: ID!) { run(id: $id) { timeline { start stop lanes { worker results {
      seq testId status startTime stopTime } } } } }`,
    variables: (ids) => ({ id: ids.run }),
  },
  {
    name: 'runs: recent runs of a job',
    query: `query ($job: String!) { runs(first: 20, filter: { job: $job }) { totalCount nodes {
      id runAt status passes failures skips wallTime } } }`,
    variables: (ids) => ({ job: ids.job }),
  },
];
