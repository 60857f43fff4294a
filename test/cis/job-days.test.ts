/**
 * `ci_job_days` against the definition (job-oracle.ts) on the hand-built histories of
 * record-history.ts and health-history.ts: as the store writes reports, after a late report on
 * an older patch set, after the same events again, after a reparse, and as the migration
 * fills it from the stored reports; and a record's jobs over windows of whole days, parts of
 * days and windows with reports after their end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import type { GerritEvent } from '../../server/gerrit/events.js';
import { reparseReports } from '../../server/gerrit/reparse.js';
import { openRuntime, type Runtime, type Services } from '../../server/runtime.js';
import { backends } from '../helpers/databases.js';
import { storeGerritEvents } from '../helpers/gerrit-store.js';
import { ACME, HOUR, reportAdded, T0 } from '../helpers/gerrit-events.js';
import { storeHealthHistory } from './health-history.js';
import {
  expectJobsAsDefined,
  jobDaysByDefinition,
  storedBuilds,
  storedJobDays,
} from './job-oracle.js';
import { history, logOf, nova } from './record-history.js';

const DAY = 86_400_000;
/** The migration before the rollup's. */
const BEFORE = '20261203140000-ci-health-indexes';

const store = (services: Services, events: GerritEvent[]) => storeGerritEvents(services, events);

/** Windows over the stored builds' span: all of it, whole days, parts of days, ending early. */
async function windowsOf(services: Services) {
  const times = (await storedBuilds(services.db)).map((b) => b.at);
  const lo = Math.min(...times);
  const hi = Math.max(...times) + 1;
  const floorDay = (t: number) => Math.floor(t / DAY) * DAY;
  const third = Math.round((hi - lo) / 3);
  return [
    { since: lo, until: hi },
    { since: floorDay(lo), until: floorDay(hi) + 2 * DAY },
    { since: lo + third, until: hi - third },
    { since: floorDay(lo) + 13 * HOUR * 1000, until: hi - 5 * HOUR * 1000 },
    {
      since: floorDay(lo + third) + 6 * HOUR * 1000,
      until: floorDay(lo + third) + 18 * HOUR * 1000,
    },
    { since: T0 * 1000, until: (T0 + 24 * HOUR) * 1000 },
  ].filter((w) => w.since < w.until);
}

const histories = [
  { name: 'record-history', fill: (services: Services) => store(services, history) },
  { name: 'health-history', fill: storeHealthHistory },
];

for (const backend of backends) {
  describe.each(histories)(`ci_job_days on ${backend.name}, $name`, ({ fill }) => {
    let database: Awaited<ReturnType<typeof backend.create>>;
    let runtime: Runtime;
    const services = () => runtime.services;
    const expectAsDefined = async () => {
      const days = await storedJobDays(services().db);
      expect(days.length).toBeGreaterThan(0);
      expect(days).toEqual(jobDaysByDefinition(await storedBuilds(services().db)));
      expect(await expectJobsAsDefined(services().db, await windowsOf(services()))).toBeGreaterThan(
        0,
      );
    };

    beforeAll(async () => {
      database = await backend.create();
      runtime = await openRuntime(loadConfig({ db: database.url }, {}));
      await fill(runtime.services);
    });
    afterAll(async () => {
      await runtime?.stop();
      await database?.drop();
    });

    it('holds what the definition gives, as the store wrote the reports', expectAsDefined);

    it('follows a late report on an older patch set, and the same events again add nothing', async () => {
      const before = await storedJobDays(services().db);
      // Change 1's first patch set fails unit after its second was built: the flip between
      // them moves, and acme-ci's unit flips on the late report's day change with it.
      await store(services(), [
        reportAdded(nova(1), 1, T0 + 40 * HOUR, ACME, false, [
          { job: 'unit', result: 'FAILURE', url: logOf('unit', 'late') },
          { job: 'func', result: 'FAILURE', url: logOf('func', 'late') },
        ]),
      ]);
      expect(await storedJobDays(services().db)).not.toEqual(before);
      await expectAsDefined();
      const after = await storedJobDays(services().db);
      await fill(services());
      expect(await storedJobDays(services().db)).toEqual(after);
    });

    it('is kept right by a reparse', async () => {
      const before = await storedJobDays(services().db);
      await reparseReports(services());
      expect(await storedJobDays(services().db)).toEqual(before);
      await expectAsDefined();
    });

    it('is filled from the stored reports by its migration, and goes with down', async () => {
      const { db } = services();
      const before = await storedJobDays(db);
      await db.orm.migrator.down({ to: BEFORE });
      expect(await db.knex.schema.hasTable('ci_job_days')).toBe(false);
      await db.orm.migrator.up();
      expect(await storedJobDays(db)).toEqual(before);
    });
  });
}
