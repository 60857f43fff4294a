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
