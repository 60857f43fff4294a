/**
 * Lists of tests filtered and ranked on the server over every test, as the job page's table
 * and the tests page use them: a job of more than one page of tests (500) whose matching ids
 * all rank beyond the first page, regular expressions, every rank in both directions, and the
 * search of recent tracebacks. Expectations are computed here from the made runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/databases.js';
import { after, ingestMade, type MadeResult, type MadeRun } from '../helpers/made-runs.js';
import { startServer, type TestServer } from '../helpers/server.js';

const BASE = new Date('2026-11-02T00:00:00Z');
const FILLERS = 600;
const NEEDLES = 10;
const pad = (i: number) => String(i).padStart(4, '0');
const filler = (i: number) => `big.api.Filler.test_${pad(i)}`;
// 'N' sorts after 'F': by failures then id, every needle ranks after every filler.
const needle = (i: number) => `big.api.Needle.test_needle_${pad(i)}`;
const REFUSED = 'ConnectionRefusedError: [Errno 111] Connection refused';

/** Durations are binary fractions, so sums and means are exact in SQL and here alike. */
const seconds = (i: number) => ((i % 4) + 1) * 0.25;

function bigRun(day: number, statusOf: (i: number) => MadeResult[1]): MadeRun {
  const results: MadeResult[] = [];
  for (let i = 0; i < FILLERS; i++) {
    const status = statusOf(i);
    const traceback =
      status === 'fail'
        ? `Traceback:\n${i % 30 === 0 ? REFUSED : `AssertionError: ${i}`}\n`
        : undefined;
    results.push([filler(i), status, seconds(i), traceback]);
  }
  for (let i = 0; i < NEEDLES; i++) results.push([needle(FILLERS + i), 'success', 0.5]);
  return { at: after(BASE, day), metadata: { build_name: 'big' }, results };
}

const RUNS: MadeRun[] = [
  bigRun(0, (i) => (i % 3 === 0 ? 'fail' : 'success')),
  bigRun(1, (i) => (i % 5 === 0 ? 'skip' : i % 7 === 0 ? 'fail' : 'success')),
  // Another job: its failure shows in the catalogue's search, not in big's.
  {
    at: after(BASE, 1, 2),
    metadata: { build_name: 'small' },
    results: [['small.test_refused', 'fail', 1, `Traceback:\n${REFUSED}\n`]],
  },
];

interface Figures {
  testId: string;
  runs: number;
  passes: number;
  failures: number;
  skips: number;
  failureRate: number | null;
  meanDuration: number | null;
}

/** Each test's figures over the runs of `job` (every run when undefined). */
function figures(job?: string): Figures[] {
  const byId = new Map<string, Figures & { time: number }>();
  for (const run of RUNS) {
    if (job !== undefined && run.metadata.build_name !== job) continue;
    for (const [testId, status, secs] of run.results) {
      let f = byId.get(testId);
      if (!f) {
        f = {
          testId,
          runs: 0,
          passes: 0,
          failures: 0,
          skips: 0,
          failureRate: null,
          meanDuration: null,
          time: 0,
        };
        byId.set(testId, f);
      }
      f.runs++;
      if (status === 'success' || status === 'xfail') f.passes++;
      if (status === 'fail' || status === 'uxsuccess') f.failures++;
      if (status === 'skip') f.skips++;
      if (status === 'success') f.time += secs;
    }
  }
  return [...byId.values()].map(({ time, ...f }) => ({
    ...f,
    failureRate: f.passes + f.failures === 0 ? null : f.failures / (f.passes + f.failures),
    meanDuration: f.passes === 0 ? null : time / f.passes,
  }));
}

const ORDERS = {
  FAILURES: (f: Figures) => f.failures,
  FAILURE_RATE: (f: Figures) => f.failureRate,
  MEAN_DURATION: (f: Figures) => f.meanDuration,
  RUNS: (f: Figures) => f.runs,
  PASSES: (f: Figures) => f.passes,
  SKIPS: (f: Figures) => f.skips,
  TEST_ID: null,
} as const;
type Order = keyof typeof ORDERS;

/** The ids in the API's order: by the figure (nulls last either way), ties by id. */
function ranked(list: Figures[], order: Order, direction: 'ASC' | 'DESC'): string[] {
  const figure = ORDERS[order];
  const sign = direction === 'ASC' ? 1 : -1;
  const byId = (a: Figures, b: Figures) => (a.testId < b.testId ? -1 : a.testId > b.testId ? 1 : 0);
  return [...list]
    .sort((a, b) => {
      if (figure === null) return sign * byId(a, b);
      const x = figure(a);
      const y = figure(b);
      if (x === null || y === null) return x === y ? byId(a, b) : x === null ? 1 : -1;
      return sign * (x - y) || byId(a, b);
    })
    .map((f) => f.testId);
}

type Page = {
  totalCount: number;
  nodes: { testId: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};

describe.each(backends)('lists of tests on $name', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(backend);
    await ingestMade(server, RUNS);
  });

  async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const { body } = await server.query<T>(query, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  }

  /** Every page of one list, `first` at a time: the ids in order, and each page's total. */
  async function all(
    fetchPage: (after: string | null) => Promise<Page>,
  ): Promise<{ ids: string[]; totals: number[] }> {
    const ids: string[] = [];
    const totals = new Set<number>();
    let afterCursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const page: Page = await fetchPage(afterCursor);
      ids.push(...page.nodes.map((n) => n.testId));
      totals.add(page.totalCount);
      if (!page.pageInfo.hasNextPage) return { ids, totals: [...totals] };
      afterCursor = page.pageInfo.endCursor;
    }
    throw new Error('the list did not end');
  }

  const JOB_TESTS = `query ($filter: TestFilter, $o: JobTestOrder!, $d: SortDirection, $first: Int, $after: String) {
    job(name: "big") {
      tests(filter: $filter, orderBy: $o, direction: $d, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { test { testId } }
      }
    }
  }`;
  const jobPages = (variables: Record<string, unknown>) =>
    all(async (afterCursor) => {
      type Answer = {
        job: { tests: Omit<Page, 'nodes'> & { nodes: { test: { testId: string } }[] } };
      };
      const { tests } = (await data<Answer>(JOB_TESTS, { ...variables, after: afterCursor })).job;
      return { ...tests, nodes: tests.nodes.map((n) => n.test) };
    });

  const TESTS = `query ($filter: TestFilter, $o: TestOrder, $d: SortDirection, $first: Int, $after: String) {
    tests(filter: $filter, orderBy: $o, direction: $d, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { testId }
    }
  }`;
  const testPages = (variables: Record<string, unknown>) =>
    all(
      async (afterCursor) =>
        (await data<{ tests: Page }>(TESTS, { ...variables, after: afterCursor })).tests,
    );

  it('finds ids that rank beyond the first 500 of a job', async () => {
    type Answer = { job: { tests: { totalCount: number; nodes: { test: { testId: string } }[] } } };
    const first = await data<Answer>(JOB_TESTS, { o: 'FAILURES', first: 500 });
    const shown = first.job.tests.nodes.map((n) => n.test.testId);
    expect(first.job.tests.totalCount).toBe(FILLERS + NEEDLES);
    expect(shown.filter((id) => id.includes('needle'))).toEqual([]);

    const needles = Array.from({ length: NEEDLES }, (_, i) => needle(FILLERS + i));
    expect(await jobPages({ o: 'FAILURES', filter: { contains: 'needle' }, first: 3 })).toEqual({
      ids: needles,
      totals: [NEEDLES],
    });
    expect(
      await jobPages({ o: 'TEST_ID', filter: { matches: 'needle_0*60[0-4]$' }, first: 500 }),
    ).toEqual({ ids: needles.slice(0, 5), totals: [5] });
    expect(await jobPages({ o: 'FAILURES', filter: { matches: '^big\\.api\\.N' } })).toEqual({
      ids: needles,
      totals: [NEEDLES],
    });
    // Every escape of the shared syntax reads alike on both engines.
    for (const matches of [
      '\\x4eeedle\\.test_\\w+_\\d{4}$',
      '\\bNeedle\\b',
      '^\\S+\\.[N]\\D*\\d+$',
      '(\\.|\\*|\\(|\\[)Needle\\W',
    ]) {
      expect({ matches, ...(await jobPages({ o: 'FAILURES', filter: { matches } })) }).toEqual({
        matches,
        ids: needles,
        totals: [NEEDLES],
      });
    }
  });

  it("ranks a job's tests by every column in both directions, over every page", async () => {
    const big = figures('big');
    for (const order of Object.keys(ORDERS) as Order[]) {
      for (const direction of ['ASC', 'DESC'] as const) {
        const found = await jobPages({ o: order, d: direction, first: 500 });
        expect({ order, direction, ...found }).toEqual({
          order,
          direction,
          ids: ranked(big, order, direction),
          totals: [big.length],
        });
      }
    }
  });

  it('ranks the catalogue by every column in both directions, filtered', async () => {
    const every = figures();
    for (const order of Object.keys(ORDERS) as Order[]) {
      for (const direction of ['ASC', 'DESC'] as const) {
        const found = await testPages({ o: order, d: direction, first: 250 });
        expect({ order, direction, ...found }).toEqual({
          order,
          direction,
          ids: ranked(every, order, direction),
          totals: [every.length],
        });
      }
    }
    // Without a direction: figures biggest first, ids A→Z.
    expect((await testPages({ o: 'FAILURE_RATE', first: 500 })).ids).toEqual(
      ranked(every, 'FAILURE_RATE', 'DESC'),
    );
    expect((await testPages({ first: 500 })).ids).toEqual(ranked(every, 'TEST_ID', 'ASC'));
    const sevens = every.filter((f) => /_0[0-9]7$/.test(f.testId));
    expect(await testPages({ o: 'RUNS', filter: { matches: '_0[0-9]7$' }, first: 4 })).toEqual({
      ids: ranked(sevens, 'RUNS', 'DESC'),
      totals: [sevens.length],
    });
  });

  it('searches the tracebacks of recent failures, in the catalogue or in one job', async () => {
    const refused = Array.from({ length: FILLERS / 30 }, (_, k) => filler(k * 30));
    expect(
      await jobPages({ o: 'TEST_ID', filter: { tracebackContains: 'ConnectionRefusedError' } }),
    ).toEqual({ ids: refused, totals: [refused.length] });
    expect(
      await testPages({ o: 'TEST_ID', filter: { tracebackContains: 'ConnectionRefusedError' } }),
    ).toEqual({ ids: [...refused, 'small.test_refused'].sort(), totals: [refused.length + 1] });
    // Byte for byte: another case finds nothing; combined with an id filter, both hold.
    expect((await testPages({ filter: { tracebackContains: 'connectionrefused' } })).ids).toEqual(
      [],
    );
    expect(
      (await testPages({ filter: { tracebackContains: 'Errno 111', prefix: 'small.' } })).ids,
    ).toEqual(['small.test_refused']);
  });

  it('asks the database whether it reads an expression, and says why not', async () => {
    // A class escape inside brackets: PCRE reads it, SQLite's REGEXP does not.
    const filter = { matches: 'needle_[\\d]+$' };
    const { body } = await server.query(TESTS, { filter });
    if (backend.name === 'sqlite') {
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toMatch(
        /^matches "needle_\[\\d\]\+\$" is not an expression the database reads: .*escape/,
      );
    } else {
      expect(body.errors).toBeUndefined();
      expect((body.data as { tests: Page }).tests.totalCount).toBe(NEEDLES);
    }
  });

  it('refuses filters past their limits or outside the expression subset, naming them', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ matches: 'needle(' }, /matches "needle\(" is not a regular expression/],
      [{ matches: '(?:needle)' }, /uses "\(\?"/],
      [{ matches: '(a)\\1' }, /the escape "\\1"/],
      [{ matches: '[[:alpha:]]' }, /POSIX class/],
      [{ matches: 'test\\-needle' }, /the escape "\\-"/],
      [{ matches: '((a{10}){10}){10}' }, /more than 2 "\{m,n\}" repetitions/],
      [{ matches: 'a{1,101}' }, /the repetition "\{1,101\}" \(bounds up to 100\)/],
      // JavaScript and PCRE read these literally or as nothing; SQLite refuses them.
      [{ matches: 'needle{' }, /a "\{" that starts no repetition/],
      [{ matches: 'a{,5}' }, /a "\{" that starts no repetition/],
      [{ matches: 'a{0}' }, /the repetition "\{0\}" \(of nothing\)/],
      [{ matches: 'x'.repeat(513) }, /matches is 513 characters long; at most 512/],
      [{ contains: 'x'.repeat(513) }, /contains is 513 characters long/],
      [
        { tracebackContains: 'x'.repeat(201) },
        /tracebackContains is 201 characters long; at most 200/,
      ],
    ];
    for (const [filter, message] of cases) {
      for (const [query, variables] of [
        [TESTS, { filter }],
        [JOB_TESTS, { filter, o: 'FAILURES' }],
      ] as const) {
        const { body } = await server.query(query, variables);
        expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(body.errors?.[0]?.message).toMatch(message);
      }
    }
  });
});
