/** The CI matrix (`ciMatrix`) on the hand-built history of health-history.ts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ciMatrix, type Matrix } from '../../server/cis/matrix.service.js';
import { loadConfig } from '../../server/config/config.js';
import { openRuntime, type Runtime } from '../../server/runtime.js';
import { backends } from '../helpers/databases.js';
import { HOUR, T0 } from '../helpers/gerrit-events.js';
import { at, storeHealthHistory, W } from './health-history.js';

type Cell = { ci: string; reports: number; verdict?: string | null; vote?: number | null };

describe.each(backends)('CI matrix on $name', (backend) => {
  let database: Awaited<ReturnType<typeof backend.create>>;
  let runtime: Runtime;

  beforeAll(async () => {
    database = await backend.create();
    runtime = await openRuntime(loadConfig({ db: database.url }, {}));
    await storeHealthHistory(runtime.services);
  });
  afterAll(async () => {
    await runtime?.stop();
    await database?.drop();
  });

  const matrix = (request: Partial<Parameters<typeof ciMatrix>[1]> = {}) =>
    ciMatrix(runtime.services.db, {
      project: 'openstack/nova',
      ...W,
      page: {},
      ...request,
    });

  /** Each row as `change/patch set` and its cells (verdict and vote of the newest report). */
  async function shape(m: Matrix) {
    const { knex } = runtime.services.db;
    const names = new Map(
      (
        (await knex('gerrit_patch_sets as ps')
          .join('gerrit_changes as c', 'c.id', 'ps.change_id')
          .select('ps.id', 'c.number as change', 'ps.number')) as Record<string, unknown>[]
      ).map((r) => [Number(r.id), `${Number(r.change)}/${Number(r.number)}`]),
    );
    return m.rows.nodes.map((row) => ({
      patchSet: names.get(row.patchSetId),
      cells: row.cells.map((c): Cell =>
        c.latest === null
          ? { ci: c.ci, reports: c.reports }
          : { ci: c.ci, reports: c.reports, verdict: c.latest.verdict, vote: c.latest.vote },
      ),
    }));
  }

  it('has a row per patch set created in the window, newest first, and a cell per CI', async () => {
    const m = await matrix();
    expect(m.project).toBe('openstack/nova');
    expect(m.server).toBe('review');
    expect(m.since).toEqual(W.since);
    expect(m.until).toEqual(W.until);
    // Reported on nova in W: zuul (upstream) and acme-ci; old-ci only before, beta-ci only after.
    expect(m.cis.map((c) => c.ci)).toEqual(['zuul', 'acme-ci']);
    const none = (ci: string): Cell => ({ ci, reports: 0 });
    expect(await shape(m)).toEqual([
      // zuul's report at exactly W's end does not count.
      { patchSet: '2/2', cells: [none('zuul'), none('acme-ci')] },
      // 5/1 and 3/1 were created at the same instant: 5/1, stored later, first.
      {
        patchSet: '5/1',
        cells: [{ ci: 'zuul', reports: 1, verdict: 'MERGE_FAILED', vote: -1 }, none('acme-ci')],
      },
      {
        patchSet: '3/1',
        cells: [none('zuul'), { ci: 'acme-ci', reports: 1, verdict: 'FAILURE', vote: -1 }],
      },
      {
        patchSet: '2/1',
        cells: [
          { ci: 'zuul', reports: 1, verdict: 'SUCCESS', vote: 1 },
          { ci: 'acme-ci', reports: 1, verdict: 'UNSTABLE', vote: null },
        ],
      },
      // Failed, rechecked, passed: two reports, the newest a pass.
      {
        patchSet: '1/2',
        cells: [{ ci: 'zuul', reports: 2, verdict: 'SUCCESS', vote: 1 }, none('acme-ci')],
      },
      // Created at W's first instant: inside.
      {
        patchSet: '6/1',
        cells: [none('zuul'), { ci: 'acme-ci', reports: 1, verdict: 'SUCCESS', vote: 1 }],
      },
    ]);
    const recheckedCell = m.rows.nodes[4]!.cells[0]!;
    expect(recheckedCell.latest!.createdAt).toEqual(at(T0 + 2.5 * HOUR));
    expect(await m.rows.totalCount).toBe(6);
  });

  it('pages through the rows by keyset', async () => {
    const all = (await shape(await matrix())).map((r) => r.patchSet);
    const seen: (string | undefined)[] = [];
    const more: boolean[] = [];
    let after: string | null = null;
    do {
      const page: Matrix = await matrix({ page: { first: 2, after } });
      seen.push(...(await shape(page)).map((r) => r.patchSet));
      more.push(page.rows.pageInfo.hasNextPage);
      expect(await page.rows.totalCount).toBe(6);
      after = page.rows.pageInfo.hasNextPage ? page.rows.pageInfo.endCursor : null;
    } while (after !== null);
    expect(seen).toEqual(all);
    expect(more).toEqual([true, true, false]);
  });

  it('shows the CIs asked for, upstream first, with empty cells where they did not report', async () => {
    // beta-ci reported on 1/2 after W only: a column of empty cells.
    const m = await matrix({ cis: ['beta-ci', 'zuul'] });
    expect(m.cis.map((c) => c.ci)).toEqual(['zuul', 'beta-ci']);
    const rows = await shape(m);
    expect(rows.find((r) => r.patchSet === '1/2')!.cells).toEqual([
      { ci: 'zuul', reports: 2, verdict: 'SUCCESS', vote: 1 },
      { ci: 'beta-ci', reports: 0 },
    ]);
    expect(rows.every((r) => r.cells[1]!.reports === 0)).toBe(true);
  });

  it('moves with the window', async () => {
    // [−2 h, +1.5 h): 1/1 (−1 h), 6/1 (0 h), 1/2 (+1 h); old-ci and zuul reported, not acme
    // (its report on 6/1 is at +6 h); zuul's first report on 1/2 only.
    const m = await matrix({ since: at(T0 - 2 * HOUR), until: at(T0 + 1.6 * HOUR) });
    expect(m.cis.map((c) => c.ci)).toEqual(['zuul', 'old-ci']);
    expect(await shape(m)).toEqual([
      {
        patchSet: '1/2',
        cells: [
          { ci: 'zuul', reports: 1, verdict: 'FAILURE', vote: -1 },
          { ci: 'old-ci', reports: 0 },
        ],
      },
      {
        patchSet: '6/1',
        cells: [
          { ci: 'zuul', reports: 0 },
          { ci: 'old-ci', reports: 0 },
        ],
      },
      {
        patchSet: '1/1',
        cells: [
          { ci: 'zuul', reports: 1, verdict: 'SUCCESS', vote: 1 },
          { ci: 'old-ci', reports: 1, verdict: 'SUCCESS', vote: 1 },
        ],
      },
    ]);
  });

  it('defaults to the 24 hours before until', async () => {
    const m = await matrix({ since: null });
    expect(m.since).toEqual(at(T0));
    expect(m.rows.nodes).toHaveLength(6);
  });

  it('refuses what it cannot answer, naming it', async () => {
    await expect(matrix({ project: 'openstack/nope' })).rejects.toThrow(
      'no project "openstack/nope"',
    );
    await expect(matrix({ project: 'shared/project' })).rejects.toThrow(
      'project "shared/project" is on several Gerrit servers (other, review): give server',
    );
    const shared = await matrix({ project: 'shared/project', server: 'other' });
    expect(shared.server).toBe('other');
    expect(shared.rows.nodes).toHaveLength(1);
    expect(shared.cis).toEqual([]);
    await expect(matrix({ cis: ['zuul', 'nobody'] })).rejects.toThrow('cis: no CI "nobody"');
    await expect(matrix({ since: W.until, until: W.until })).rejects.toThrow(
      'since must be before until',
    );
    await expect(matrix({ since: at(T0 - 90 * 24 * HOUR - 1), until: at(T0) })).rejects.toThrow(
      'the window is at most 90 days',
    );
    await expect(matrix({ cis: Array.from({ length: 101 }, (_, i) => `ci-${i}`) })).rejects.toThrow(
      'cis: at most 100 CIs, got 101',
    );
    await expect(matrix({ page: { first: 0 } })).rejects.toThrow('first must be 1…500');
    await expect(matrix({ page: { after: 'garbage' } })).rejects.toThrow('bad cursor');
  });

  it('reads the page in a fixed number of queries', async () => {
    const { knex } = runtime.services.db;
    let queries = 0;
    const count = () => queries++;
    knex.on('query', count);
    try {
      await matrix({ page: { first: 2 } });
      const small = queries;
      queries = 0;
      await matrix({ page: { first: 6 } });
      expect(queries).toBe(small);
    } finally {
      knex.removeListener('query', count);
    }
  });
});
