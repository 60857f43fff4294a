/**
 * The queries the CI pages make (matrix, who has CI, a CI's record, figures, reports, a
 * change), as the ci benchmark sends them. Windows end at the history's end (`until`).
 */

export interface CiIds {
  project: string;
  upstream: string;
  thirdParty: string;
  /** A change of the busy project with several patch sets, reports and a linked run. */
  change: number;
  until: Date;
}

export interface CiQuery {
  name: string;
  query: string;
  variables: (ids: CiIds) => Record<string, unknown>;
  /** How much the answer holds (rows, reports…): the bench checks there was work to do. */
  answered: (data: Answer) => number;
}

// The answer's shape is the query's; read loosely, as a client would before typing it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = any;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const since = (ids: CiIds, ms: number) => new Date(ids.until.getTime() - ms).toISOString();

const MATRIX = `query ($project: String!, $since: DateTime, $until: DateTime) {
  ciMatrix(project: $project, since: $since, until: $until, first: 50) {
    cis { ci name upstream lastReportAt }
    rows {
      totalCount
      pageInfo { endCursor hasNextPage }
      nodes {
        patchSet { number changeNumber createdAt change { subject owner { name } } }
        cells { ci reports latest { verdict vote createdAt builds { job result logUrl } } }
      }
    }
  }
}`;

const PROJECTS_CI = `query ($since: DateTime, $until: DateTime) {
  projectsCi(since: $since, until: $until) {
    project server patchSets
    cis { ci { ci name upstream } reports coverage lastReport }
    stopped { ci { ci name } reports lastReport }
  }
}`;

const RECORD = `query ($ci: String!, $since: DateTime, $until: DateTime) {
  ciRecord(ci: $ci, since: $since, until: $until) {
    ci { ci name upstream }
    figures { reports builds unparsed successRate eligible coverage missed lastReport }
    latency { patchSets median p95 }
    agreement { patchSets bothPassed bothFailed failedWhereUpstreamPassed passedWhereUpstreamFailed disagreementRate }
    jobs { job builds failures failureRate flips lastResult lastAt }
    overTime(resolution: DAY) { start reports successes failures }
    missed(first: 20) { totalCount nodes { createdAt patchSet { number changeNumber } } }
  }
}`;

const FIGURES = `query ($since: DateTime, $until: DateTime) {
  ciFigures(since: $since, until: $until) {
    ci name upstream reports builds unparsed successRate eligible coverage missed lastReport
  }
}`;

const REPORTS = `query ($ci: String!) {
  ciReports(filter: { ci: $ci }, first: 50) {
    totalCount
    nodes { id project pipeline verdict vote createdAt patchSet { number changeNumber } }
  }
}`;

const CHANGE = `query ($number: Int!) {
  change(number: $number) {
    number project branch subject status owner { name }
    patchSets {
      number createdAt supersededAt mergedAt
      reports {
        ci { ci name } pipeline verdict vote createdAt
        builds { job result logUrl duration voting run { id status tests passes failures } }
      }
    }
  }
}`;

const matrix = (hours: number): CiQuery => ({
  name: `ciMatrix, busy project, ${hours < 72 ? `${hours} h` : `${hours / 24} d`}, first 50`,
  query: MATRIX,
  variables: (ids) => ({
    project: ids.project,
    since: since(ids, hours * HOUR_MS),
    until: ids.until,
  }),
  answered: (data) => data.ciMatrix.rows.nodes.length * data.ciMatrix.cis.length,
});

const record = (which: 'upstream' | 'thirdParty', days: number): CiQuery => ({
  name: `ciRecord, ${which === 'upstream' ? 'upstream' : 'third-party'} CI, ${days} d`,
  query: RECORD,
  variables: (ids) => ({ ci: ids[which], since: since(ids, days * DAY_MS), until: ids.until }),
  answered: (data) => data.ciRecord.figures.reports,
});

const windowed = (
  name: string,
  query: string,
  days: number,
  answered: CiQuery['answered'],
): CiQuery => ({
  name: `${name}, ${days === 1 ? '24 h' : `${days} d`}`,
  query,
  variables: (ids) => ({ since: since(ids, days * DAY_MS), until: ids.until }),
  answered,
});
const cisOfProjects = (data: Answer) =>
  data.projectsCi.reduce((n: number, p: Answer) => n + p.cis.length, 0);
const reportsOfCis = (data: Answer) =>
  data.ciFigures.reduce((n: number, f: Answer) => n + f.reports, 0);

export const CI_QUERIES: CiQuery[] = [
  matrix(24),
  matrix(48),
  matrix(7 * 24),
  windowed('projectsCi', PROJECTS_CI, 1, cisOfProjects),
  windowed('projectsCi', PROJECTS_CI, 7, cisOfProjects),
  record('upstream', 7),
  record('upstream', 90),
  record('thirdParty', 7),
  record('thirdParty', 90),
  windowed('ciFigures', FIGURES, 1, reportsOfCis),
  windowed('ciFigures', FIGURES, 7, reportsOfCis),
  {
    name: 'ciReports(filter: { ci }), third-party CI, first 50',
    query: REPORTS,
    variables: (ids) => ({ ci: ids.thirdParty }),
    answered: (data) => data.ciReports.nodes.length,
  },
  {
    name: 'change(number): patch sets → reports → builds → run',
    query: CHANGE,
    variables: (ids) => ({ number: ids.change }),
    answered: (data) =>
      data.change.patchSets.reduce((n: number, ps: Answer) => n + ps.reports.length, 0),
  },
];
