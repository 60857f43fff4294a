import { Arg, Args, Ctx, FieldResolver, Float, Int, Query, Resolver, Root } from 'type-graphql';
import type { TestsContext } from '../tests/test.loaders.js';
import { PageArgs } from '../graphql/pagination.js';
import { DateTime } from '../graphql/scalars.js';
import type { Database } from '../db/orm.js';
import { listRuns } from '../runs/run.service.js';
import { RunConnection, RunFilter } from '../runs/run.type.js';
import { SortDirection, Test, TestFilter } from '../tests/test.type.js';
import {
  failedTests,
  jobTests,
  jobTotals,
  pageOfJobs,
  runTimes,
  windowFilter,
} from './job.service.js';
import {
  FailedTest,
  Job,
  JobConnection,
  JobFilter,
  JobTest,
  JobTestConnection,
  JobTestOrder,
  RunTimePoint,
} from './job.type.js';
import {
  narrowed,
  NO_RUNS,
  pageLoader,
  runSeries,
  windowKey,
  type GroupTotals,
  type RunTotals,
  type TimeWindow,
} from './series.service.js';
import { Resolution } from '../graphql/resolution.js';
import { RunBucket, WindowArgs } from './series.type.js';

const DEFAULT_LAST_RUNS = 10;
const DEFAULT_ROLLING_WINDOW = 10;

@Resolver(() => Job)
export class JobResolver {
  @Query(() => Job, { nullable: true, description: 'A job by name; null when no run has it.' })
  async job(
    @Arg('name', () => String) name: string,
    @Ctx() ctx: TestsContext,
  ): Promise<Job | null> {
    const totals = (await jobTotals(ctx.db, {}, [name])).get(name);
    return totals ? jobsOf(ctx.db, {}, [{ value: name, totals }])[0]! : null;
  }

  @Query(() => JobConnection, {
    description: 'Jobs with runs in the filter window, by name, counted over that window.',
  })
  jobs(
    @Arg('filter', () => JobFilter, { nullable: true }) filter: JobFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: TestsContext,
  ): Promise<JobConnection> {
    const window = windowFilter(filter ?? {});
    return pageOfJobs(ctx.db, { ...window, nameContains: filter?.nameContains }, page, (jobs) =>
      jobsOf(ctx.db, window, jobs),
    );
  }

  @FieldResolver(() => Int, { description: 'Runs in the window.' })
  async runCount(@Root() job: Job, @Args(() => WindowArgs) window: WindowArgs): Promise<number> {
    return (await job.totalsFor(window)).runs;
  }

  @FieldResolver(() => Int, { description: 'Runs with passes and no failures.' })
  async passedRuns(@Root() job: Job, @Args(() => WindowArgs) window: WindowArgs): Promise<number> {
    return (await job.totalsFor(window)).passedRuns;
  }

  @FieldResolver(() => Int, { description: 'Runs with a failure (fail or uxsuccess).' })
  async failedRuns(@Root() job: Job, @Args(() => WindowArgs) window: WindowArgs): Promise<number> {
    return (await job.totalsFor(window)).failedRuns;
  }

  @FieldResolver(() => Int, { description: 'Runs with neither passes nor failures.' })
  async skippedRuns(@Root() job: Job, @Args(() => WindowArgs) window: WindowArgs): Promise<number> {
    return (await job.totalsFor(window)).skippedRuns;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'failedRuns / (passedRuns + failedRuns); null when both are 0.',
  })
  async failureRate(
    @Root() job: Job,
    @Args(() => WindowArgs) window: WindowArgs,
  ): Promise<number | null> {
    return (await job.totalsFor(window)).failureRate;
  }

  @FieldResolver(() => DateTime, { nullable: true, description: 'Its newest run in the window.' })
  async lastRunAt(
    @Root() job: Job,
    @Args(() => WindowArgs) window: WindowArgs,
  ): Promise<Date | null> {
    return (await job.totalsFor(window)).lastRunAt;
  }

  @FieldResolver(() => RunConnection, {
    description: "Its runs, newest first; the filter's window defaults to the job's.",
  })
  runs(
    @Root() job: Job,
    @Arg('filter', () => RunFilter, { nullable: true }) filter: RunFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: TestsContext,
  ): Promise<RunConnection> {
    const window = narrowed(job.window, filter ?? {});
    return listRuns(ctx.db, { ...filter, ...window, job: job.name }, page);
  }

  @FieldResolver(() => [RunBucket], {
    description: 'Its runs per time bucket, oldest first; buckets without runs are left out.',
  })
  series(
    @Root() job: Job,
    @Arg('resolution', () => Resolution, { defaultValue: Resolution.DAY }) resolution: Resolution,
    @Args(() => WindowArgs) window: WindowArgs,
  ): Promise<RunBucket[]> {
    return job.seriesFor(resolution, window);
  }

  @FieldResolver(() => [RunTimePoint], {
    description:
      'Its runs with a wall time, oldest first, against the rolling mean ± 2σ of the last ' +
      '`window` such runs (1…1000), which may reach back before `since`.',
  })
  runTimes(
    @Root() job: Job,
    @Args(() => WindowArgs) window: WindowArgs,
    @Arg('window', () => Int, { defaultValue: DEFAULT_ROLLING_WINDOW }) size: number,
    @Ctx() ctx: TestsContext,
  ): Promise<RunTimePoint[]> {
    return runTimes(ctx.db, job.name, narrowed(job.window, window), size);
  }

  @FieldResolver(() => JobTestConnection, {
    description:
      'Its tests matching the filter, ranked by `orderBy` over all of them, from the daily ' +
      'rollups: the window is widened to the whole UTC days it overlaps.',
  })
  tests(
    @Root() job: Job,
    @Args(() => WindowArgs) window: WindowArgs,
    @Arg('filter', () => TestFilter, { nullable: true }) filter: TestFilter | undefined,
    @Arg('orderBy', () => JobTestOrder, { defaultValue: JobTestOrder.FAILURES })
    orderBy: JobTestOrder,
    @Arg('direction', () => SortDirection, {
      nullable: true,
      description: 'Default: ascending by TEST_ID, descending by a figure.',
    })
    direction: SortDirection | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: TestsContext,
  ): Promise<JobTestConnection> {
    return jobTests(ctx.db, job.name, narrowed(job.window, window), filter, page, {
      rank: orderBy,
      direction,
    });
  }

  @FieldResolver(() => [FailedTest], {
    description: 'The tests that failed in its `lastRuns` (1…100) newest failed runs.',
  })
  failedTests(
    @Root() job: Job,
    @Arg('lastRuns', () => Int, { defaultValue: DEFAULT_LAST_RUNS }) lastRuns: number,
    @Ctx() ctx: TestsContext,
  ): Promise<FailedTest[]> {
    return failedTests(ctx.db, { ...windowFilter(job.window), job: job.name }, lastRuns);
  }
}

@Resolver(() => JobTest)
export class JobTestResolver {
  @FieldResolver(() => Test)
  async test(@Root() jobTest: JobTest, @Ctx() ctx: TestsContext): Promise<Test> {
    return (await ctx.loaders.test.load(jobTest.testRowId))!;
  }
}

@Resolver(() => FailedTest)
export class FailedTestResolver {
  @FieldResolver(() => Test)
  async test(@Root() failed: FailedTest, @Ctx() ctx: TestsContext): Promise<Test> {
    return (await ctx.loaders.test.load(failed.testRowId))!;
  }
}

/**
 * Jobs over a window, from their totals there. Asked with another window or for series,
 * the jobs of one answer load together: one query per distinct set of arguments.
 */
function jobsOf(db: Database, window: TimeWindow, jobs: GroupTotals[]): Job[] {
  const names = jobs.map((job) => job.value);
  const known = new Map(jobs.map((job) => [job.value, job.totals]));
  const totals = pageLoader<RunFilter, RunTotals>(
    names,
    windowKey,
    (filter, only) => jobTotals(db, filter, only),
    NO_RUNS,
  );
  const series = pageLoader<{ resolution: Resolution; filter: RunFilter }, RunBucket[]>(
    names,
    ({ resolution, filter }) => `${resolution} ${windowKey(filter)}`,
    async ({ resolution, filter }, only) => {
      const found = await runSeries(db, filter, resolution, { by: 'job' }, only);
      return new Map(found.map((s) => [s.value, s.buckets]));
    },
    [],
  );
  return names.map((name) => ({
    name,
    window,
    totalsFor: async (asked) => {
      const filter = narrowed(window, asked);
      return windowKey(filter) === windowKey(window)
        ? (known.get(name) ?? NO_RUNS)
        : totals(name, filter);
    },
    seriesFor: async (resolution, asked) =>
      series(name, { resolution, filter: narrowed(window, asked) }),
  }));
}
