/** Who has CI (`projectsCi`) on the hand-built history of health-history.ts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ciFigures } from '../../server/cis/figures.service.js';
import { projectsCi, type ProjectCi } from '../../server/cis/projects-ci.service.js';
import { loadConfig } from '../../server/config/config.js';
import { openRuntime, type Runtime } from '../../server/runtime.js';
import { backends } from '../helpers/databases.js';
import { HOUR, T0 } from '../helpers/gerrit-events.js';
import { at, storeHealthHistory, W } from './health-history.js';

describe.each(backends)('who has CI on $name', (backend) => {
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

  const ask = (request: Parameters<typeof projectsCi>[1] = {}) =>
    projectsCi(runtime.services.db, { ...W, ...request });
  const pick = (projects: ProjectCi[]) =>
    projects.map((p) => ({
      project: p.project,
      server: p.server,
      patchSets: p.patchSets,
      cis: p.cis.map(({ ci, reports, coverage, lastReport }) => ({
        ci: ci.ci,
        reports,
        coverage,
        lastReport,
      })),
      stopped: p.stopped.map(({ ci, reports, coverage, lastReport }) => ({
        ci: ci.ci,
        reports,
        coverage,
        lastReport,
      })),
    }));

  // nova in W: patch sets 6/1, 1/2, 2/1, 3/1, 5/1, 2/2; eligible all but 2/1 (superseded after
  // 2 h). zuul reported on 1/2 and 5/1 (its report on 2/2 is at W's end), acme on 6/1 and 3/1.
  // old-ci reported in P only (on 1/1, not eligible; 7/1 is): stopped, coverage 0 of 1.
  const nova = {
    project: 'openstack/nova',
    server: 'review',
    patchSets: 6,
    cis: [
      { ci: 'zuul', reports: 5, coverage: 2 / 5, lastReport: at(T0 + 3.6 * HOUR) },
      { ci: 'acme-ci', reports: 3, coverage: 2 / 5, lastReport: at(T0 + 6 * HOUR) },
    ],
    stopped: [{ ci: 'old-ci', reports: 1, coverage: 0, lastReport: at(T0 - 0.5 * HOUR) }],
  };
  // neutron: no patch set in W (9/1 is in P), neutron-ci reported in both windows.
  const neutron = {
    project: 'openstack/neutron',
    server: 'review',
    patchSets: 0,
    cis: [{ ci: 'neutron-ci', reports: 1, coverage: null, lastReport: at(T0 + 5 * HOUR) }],
    stopped: [],
  };
  // On server other: one patch set, no CI; on review it had nothing in either window.
  const shared = { project: 'shared/project', server: 'other', patchSets: 1, cis: [], stopped: [] };

  it('lists every project active in the window or the one before, by server and name', async () => {
    expect(pick(await ask())).toEqual([shared, neutron, nova]);
  });

  it('counts coverage as the figures of the project do', async () => {
    const figures = await ciFigures(runtime.services.db, { ...W, project: 'openstack/nova' });
    const [found] = await ask({ project: 'openstack/nova' });
    for (const entry of found!.cis) {
      expect(entry.coverage).toBe(figures.find((f) => f.ci === entry.ci.ci)!.coverage);
    }
  });

  it('keeps to a server or a project', async () => {
    expect(pick(await ask({ server: 'review' }))).toEqual([neutron, nova]);
    expect(pick(await ask({ project: 'shared/project' }))).toEqual([shared]);
    // Known there, but quiet in both windows.
    expect(await ask({ project: 'shared/project', server: 'review' })).toEqual([]);
  });

  it('compares with the window of the same length just before', async () => {
    // W = [0, 1 h), P = [−1 h, 0): nova's 6/1 in W, 1/1 at P's first instant (not eligible:
    // superseded after 2 h). zuul reported on 1/1 in W, old-ci in P only.
    expect(pick(await ask({ since: at(T0), until: at(T0 + HOUR) }))).toEqual([
      {
        project: 'openstack/nova',
        server: 'review',
        patchSets: 1,
        cis: [{ ci: 'zuul', reports: 1, coverage: 0, lastReport: at(T0 + 0.5 * HOUR) }],
        stopped: [{ ci: 'old-ci', reports: 1, coverage: null, lastReport: at(T0 - 0.5 * HOUR) }],
      },
    ]);
  });

  it('refuses what it cannot answer, naming it', async () => {
    await expect(ask({ server: 'nope' })).rejects.toThrow('no server "nope"');
    await expect(ask({ project: 'x', server: 'review' })).rejects.toThrow(
      'no project "x" on server "review"',
    );
    await expect(ask({ since: W.until })).rejects.toThrow('since must be before until');
    await expect(ask({ project: '' })).rejects.toThrow('project: a name of 1–255 characters');
  });
});
