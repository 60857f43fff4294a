/** `ciMatrix` and `projectsCi` over GraphQL on a real server, on the history of health-history.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { HOUR, T0 } from '../helpers/gerrit-events.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { at, storeHealthHistory, W, ZUUL_FAILED_JOBS, ZUUL_JOBS } from './health-history.js';

const MATRIX = `query ($project: String!, $since: DateTime, $until: DateTime, $cis: [String!], $first: Int, $after: String) {
  ciMatrix(project: $project, since: $since, until: $until, cis: $cis, first: $first, after: $after) {
    project since until
    cis { ci name upstream }
    rows {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        patchSet { number change { number subject } }
        cells { ci reports latest { verdict vote createdAt builds { job result logUrl } } }
      }
    }
  }
}`;

interface MatrixData {
  ciMatrix: {
    cis: { ci: string }[];
    rows: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: {
        patchSet: { number: number; change: { number: number; subject: string } };
        cells: {
          ci: string;
          reports: number;
          latest: {
            verdict: string | null;
            vote: number | null;
            createdAt: string;
            builds: { job: string; result: string; logUrl: string }[];
          } | null;
        }[];
      }[];
    };
  };
}

const builds = (jobs: typeof ZUUL_JOBS) =>
  jobs.map((j) => ({ job: j.job, result: j.result, logUrl: j.url }));

describe.each(backends)('CI health over GraphQL on $name', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backend);
    await storeHealthHistory(server.app.services);
  });

  const window = { since: W.since.toISOString(), until: W.until.toISOString() };

  it('answers the matrix with each cell’s newest report, its builds and log links', async () => {
    const { body } = await server.query<MatrixData>(MATRIX, {
      project: 'openstack/nova',
      ...window,
      first: 5,
    });
    expect(body.errors).toBeUndefined();
    const m = body.data!.ciMatrix;
    expect(m.cis.map((c) => c.ci)).toEqual(['zuul', 'acme-ci']);
    expect(m.rows.totalCount).toBe(6);
    expect(m.rows.pageInfo.hasNextPage).toBe(true);
    const rows = m.rows.nodes.map((n) => `${n.patchSet.change.number}/${n.patchSet.number}`);
    expect(rows).toEqual(['2/2', '5/1', '3/1', '2/1', '1/2']);
    expect(m.rows.nodes[0]!.patchSet.change.subject).toBe('Change 2');
    // 1/2: zuul failed (unit), then passed after the recheck.
    expect(m.rows.nodes[4]!.cells).toEqual([
      {
        ci: 'zuul',
        reports: 2,
        latest: {
          verdict: 'SUCCESS',
          vote: 1,
          createdAt: at(T0 + 2.5 * HOUR).toISOString(),
          builds: builds(ZUUL_JOBS),
        },
      },
      { ci: 'acme-ci', reports: 0, latest: null },
    ]);
    const next = await server.query<MatrixData>(MATRIX, {
      project: 'openstack/nova',
      ...window,
      first: 5,
      after: m.rows.pageInfo.endCursor,
    });
    const last = next.body.data!.ciMatrix.rows;
    expect(last.pageInfo.hasNextPage).toBe(false);
    expect(last.nodes.map((n) => `${n.patchSet.change.number}/${n.patchSet.number}`)).toEqual([
      '6/1',
    ]);
    // Before the recheck's report, the cell is the failure, its failed job first.
    const before = await server.query<MatrixData>(MATRIX, {
      project: 'openstack/nova',
      since: window.since,
      until: at(T0 + 2 * HOUR).toISOString(),
      cis: ['zuul'],
    });
    expect(before.body.data!.ciMatrix.rows.nodes.at(-2)!.cells).toEqual([
      {
        ci: 'zuul',
        reports: 1,
        latest: {
          verdict: 'FAILURE',
          vote: -1,
          createdAt: at(T0 + 1.5 * HOUR).toISOString(),
          builds: builds(ZUUL_FAILED_JOBS),
        },
      },
    ]);
  });

  it('answers a bad request with BAD_USER_INPUT naming the problem', async () => {
    for (const [variables, message] of [
      [{ project: 'openstack/nope' }, 'no project "openstack/nope"'],
      [{ project: 'shared/project' }, 'is on several Gerrit servers (other, review): give server'],
      [{ project: 'openstack/nova', cis: ['nobody'] }, 'cis: no CI "nobody"'],
    ] as const) {
      const { body } = await server.query(MATRIX, { ...window, ...variables });
      expect(body.data).toBeNull();
      expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      expect(body.errors![0]!.message).toContain(message);
    }
  });

  it('answers who has CI per project', async () => {
    const { body } = await server.query<{ projectsCi: unknown }>(
      `query ($since: DateTime, $until: DateTime) {
        projectsCi(server: "review", since: $since, until: $until) {
          project server patchSets
          cis { ci { ci upstream } reports coverage lastReport }
          stopped { ci { ci } reports coverage lastReport }
        }
      }`,
      window,
    );
    expect(body.errors).toBeUndefined();
    // As worked out in projects-ci.test.ts.
    expect(body.data!.projectsCi).toEqual([
      {
        project: 'openstack/neutron',
        server: 'review',
        patchSets: 0,
        cis: [
          {
            ci: { ci: 'neutron-ci', upstream: false },
            reports: 1,
            coverage: null,
            lastReport: at(T0 + 5 * HOUR).toISOString(),
          },
        ],
        stopped: [],
      },
      {
        project: 'openstack/nova',
        server: 'review',
        patchSets: 6,
        cis: [
          {
            ci: { ci: 'zuul', upstream: true },
            reports: 5,
            coverage: 0.4,
            lastReport: at(T0 + 3.6 * HOUR).toISOString(),
          },
          {
            ci: { ci: 'acme-ci', upstream: false },
            reports: 3,
            coverage: 0.4,
            lastReport: at(T0 + 6 * HOUR).toISOString(),
          },
        ],
        stopped: [
          {
            ci: { ci: 'old-ci' },
            reports: 1,
            coverage: 0,
            lastReport: at(T0 - 0.5 * HOUR).toISOString(),
          },
        ],
      },
    ]);
  });
});
