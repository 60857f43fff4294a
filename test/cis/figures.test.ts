/**
 * The figures of issue 10 on a hand-built history whose numbers are worked out by hand below
 * (window: T0 to T0 + 24 h).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ciFigures, type CiFigures } from '../../server/cis/figures.service.js';
import { loadConfig } from '../../server/config/config.js';
import type { GerritEvent } from '../../server/gerrit/events.js';
import { openGerritStore } from '../../server/gerrit/store.js';
import { openRuntime, type Runtime } from '../../server/runtime.js';
import { backends } from '../helpers/databases.js';
import {
  ACME,
  ALICE,
  commentAdded,
  HOUR,
  patchSetCreated,
  reportAdded,
  T0,
  ZUUL,
} from '../helpers/gerrit-events.js';

const OLD_CI = { username: 'old-ci', name: 'Old CI' };
const nova = (number: number) => ({ number, project: 'openstack/nova' });
const C1 = nova(1);
const C2 = nova(2);
const C3 = nova(3);
const C6 = nova(6);
const C4 = { number: 4, project: 'openstack/neutron' };
const C5 = { number: 5, project: 'openstack/glance' };
const two = [
  { job: 'unit', result: 'SUCCESS', url: 'https://logs.example.org/a' },
  { job: 'lint', result: 'SUCCESS', url: 'https://logs.example.org/b' },
];
const one = [{ job: 'acme-smoke', result: 'SUCCESS', url: 'https://logs.example.org/c' }];

/**
 * Patch sets (created):
 * - nova 1/1 +1 h, superseded by 1/2 at +2 h (within 3 h): not eligible; 1/2 eligible.
 * - nova 2/1 +3 h, superseded by 2/2 at +7 h (after 4 h): eligible; 2/2 eligible.
 * - nova 3/1 −2 h: before the window, not eligible.
 * - nova 6/1 +10 h, superseded by 6/2 at +13 h (exactly 3 h: within): not eligible; 6/2 eligible.
 * - neutron 4/1 +5 h eligible; glance 5/1 +6 h eligible.
 * Eligible: nova 4 (1/2, 2/1, 2/2, 6/2), neutron 1, glance 1.
 */
const history: GerritEvent[] = [
  patchSetCreated(C3, 1, T0 - 2 * HOUR),
  reportAdded(C3, 1, T0 - 5 * HOUR, OLD_CI, true, one),
  reportAdded(C3, 1, T0 - 1 * HOUR, ACME, true, one),
  patchSetCreated(C1, 1, T0 + 1 * HOUR),
  patchSetCreated(C1, 2, T0 + 2 * HOUR),
  patchSetCreated(C2, 1, T0 + 3 * HOUR),
  patchSetCreated(C4, 1, T0 + 5 * HOUR),
  patchSetCreated(C5, 1, T0 + 6 * HOUR),
  patchSetCreated(C2, 2, T0 + 7 * HOUR),
  patchSetCreated(C6, 1, T0 + 10 * HOUR),
  patchSetCreated(C6, 2, T0 + 13 * HOUR),
  // zuul: 7 reports in the window (5 SUCCESS, 2 FAILURE), 2 jobs each; one more after it.
  reportAdded(C3, 1, T0 + 1 * HOUR, ZUUL, true, two),
  reportAdded(C1, 1, T0 + 1.5 * HOUR, ZUUL, false, two),
  reportAdded(C1, 2, T0 + 2.5 * HOUR, ZUUL, true, two),
  reportAdded(C2, 1, T0 + 3.5 * HOUR, ZUUL, true, two),
  reportAdded(C4, 1, T0 + 5.5 * HOUR, ZUUL, true, two),
  reportAdded(C5, 1, T0 + 6.5 * HOUR, ZUUL, true, two),
  reportAdded(C2, 2, T0 + 7.5 * HOUR, ZUUL, false, two),
  reportAdded(C5, 1, T0 + 25 * HOUR, ZUUL, true, two),
  // acme: 2 reports in the window on nova, 1 job each, one unparsed comment.
  reportAdded(C1, 1, T0 + 1.2 * HOUR, ACME, true, one),
  reportAdded(C2, 1, T0 + 4 * HOUR, ACME, true, one),
  commentAdded(C2, 2, T0 + 8 * HOUR, ACME, 'Our CI is down for maintenance, sorry.'),
  commentAdded(C2, 2, T0 + 8 * HOUR, ALICE, 'recheck'),
];

const window = { since: new Date(T0 * 1000), until: new Date((T0 + 24 * HOUR) * 1000) };
const at = (seconds: number) => new Date(seconds * 1000);

describe.each(backends)('CI figures on $name', (backend) => {
  let database: Awaited<ReturnType<typeof backend.create>>;
  let runtime: Runtime;

  beforeAll(async () => {
    database = await backend.create();
    runtime = await openRuntime(loadConfig({ db: database.url }, {}));
    const store = await openGerritStore(runtime.services, {
      name: 'review',
      url: 'https://review.example.org',
      cis: [],
      upstream: null,
    });
    await store.accept(history, 'replay');
    await store.close();
  });
  afterAll(async () => {
    await runtime?.stop();
    await database?.drop();
  });

  const pick = (f: CiFigures) => ({
    ci: f.ci,
    upstream: f.upstream,
    reports: f.reports,
    builds: f.builds,
    unparsed: f.unparsed,
    successRate: f.successRate,
    eligible: f.eligible,
    coverage: f.coverage,
    missed: f.missed,
    lastReport: f.lastReport,
  });

  it('counts every CI over the window as defined', async () => {
    const figures = (await ciFigures(runtime.services.db, window)).map(pick);
    expect(figures).toEqual([
      // Covers nova, neutron, glance: 6 eligible; reported on all but 6/2.
      {
        ci: 'zuul',
        upstream: true,
        reports: 7,
        builds: 14,
        unparsed: 0,
        successRate: 5 / 7,
        eligible: 6,
        coverage: 5 / 6,
        missed: 1,
        lastReport: at(T0 + 7.5 * HOUR),
      },
      // Covers nova: 4 eligible; reported on 2/1 only (1/1 is not eligible).
      {
        ci: 'acme-ci',
        upstream: false,
        reports: 2,
        builds: 2,
        unparsed: 1,
        successRate: 1,
        eligible: 4,
        coverage: 1 / 4,
        missed: 3,
        lastReport: at(T0 + 4 * HOUR),
      },
      // Reported before the window only: covers nothing in it.
      {
        ci: 'old-ci',
        upstream: false,
        reports: 0,
        builds: 0,
        unparsed: 0,
        successRate: null,
        eligible: 0,
        coverage: null,
        missed: 0,
        lastReport: at(T0 - 5 * HOUR),
      },
    ]);
  });

  it('keeps to one project', async () => {
    const figures = (
      await ciFigures(runtime.services.db, { ...window, project: 'openstack/neutron' })
    ).map(pick);
    expect(figures).toEqual([
      {
        ci: 'zuul',
        upstream: true,
        reports: 1,
        builds: 2,
        unparsed: 0,
        successRate: 1,
        eligible: 1,
        coverage: 1,
        missed: 0,
        lastReport: at(T0 + 5.5 * HOUR),
      },
    ]);
  });
});
