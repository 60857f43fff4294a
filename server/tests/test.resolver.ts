import { Arg, Args, Ctx, FieldResolver, Float, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { PageArgs } from '../graphql/pagination.js';
import { Resolution } from '../graphql/resolution.js';
import { TestResult, TestResultConnection } from '../runs/result.type.js';
import {
  MAX_RECENT_FAILURES,
  recentFailures,
  testDurationStats,
  testFailureRate,
  testHistory,
  testJobs,
  testResults,
} from './test-analytics.service.js';
import {
  DurationStats,
  TestBucket,
  TestJob,
  TestResultFilter,
  TestWindowArgs,
} from './test-history.type.js';
import { listTests, testByTestId } from './test.service.js';
import { SortDirection, Test, TestConnection, TestFilter, TestOrder } from './test.type.js';

@Resolver(() => Test)
export class TestResolver {
  @Query(() => Test, {
    nullable: true,
    description: 'A test by its exact id (without attributes); null when never seen.',
  })
  test(@Arg('testId', () => String) testId: string, @Ctx() ctx: Context): Promise<Test | null> {
    return testByTestId(ctx.db.knex, testId);
  }

  @Query(() => TestConnection, {
    description:
      'Every test matching the filter, ranked by `orderBy` over all of them (by id: byte ' +
      'order, so case-sensitive), one page.',
  })
  tests(
    @Arg('filter', () => TestFilter, { nullable: true }) filter: TestFilter | undefined,
    @Arg('orderBy', () => TestOrder, { defaultValue: TestOrder.TEST_ID }) orderBy: TestOrder,
    @Arg('direction', () => SortDirection, {
      nullable: true,
      description: 'Default: ascending by TEST_ID, descending by a figure.',
    })
    direction: SortDirection | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<TestConnection> {
    return listTests(ctx.db, filter, page, { rank: orderBy, direction });
  }

  @FieldResolver(() => [TestBucket], {
    description:
      'Results per time bucket, oldest first; buckets without results are left out. A window of whole UTC days (or none) is read from the daily rollup, any other from the results.',
  })
  history(
    @Root() test: Test,
    @Arg('resolution', () => Resolution, { defaultValue: Resolution.DAY }) resolution: Resolution,
    @Args(() => TestWindowArgs) window: TestWindowArgs,
    @Ctx() ctx: Context,
  ): Promise<TestBucket[]> {
    return testHistory(ctx.db, test.rowId, resolution, window);
  }

  @FieldResolver(() => TestResultConnection, {
    description: 'Results, newest run first, in stream order within a run.',
  })
  results(
    @Root() test: Test,
    @Arg('filter', () => TestResultFilter, { nullable: true }) filter: TestResultFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<TestResultConnection> {
    return testResults(ctx.db, test.rowId, filter ?? {}, page);
  }

  @FieldResolver(() => DurationStats, {
    description: 'Statistics of the durations of `success` results in the window.',
  })
  durationStats(
    @Root() test: Test,
    @Args(() => TestWindowArgs) window: TestWindowArgs,
    @Ctx() ctx: Context,
  ): Promise<DurationStats> {
    return testDurationStats(ctx.db, test.rowId, window);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      'failures / (successes + failures) of the results in the window (every result without one); null when there are neither.',
  })
  failureRate(
    @Root() test: Test,
    @Args(() => TestWindowArgs) window: TestWindowArgs,
    @Ctx() ctx: Context,
  ): Promise<number | null> | number | null {
    // The catalogue row already holds the all-time answer.
    if (!window.since && !window.until && window.job === undefined) return test.failureRate;
    return testFailureRate(ctx.db, test.rowId, window);
  }

  @FieldResolver(() => [TestResult], {
    description: 'The newest failing (fail, uxsuccess) results, newest run first.',
  })
  recentFailures(
    @Root() test: Test,
    @Arg('limit', () => Int, {
      defaultValue: 10,
      description: `How many, 1…${MAX_RECENT_FAILURES}.`,
    })
    limit: number,
    @Arg('job', () => String, { nullable: true, description: 'Only in runs of this job.' })
    job: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<TestResult[]> {
    return recentFailures(ctx.db, test.rowId, limit, job);
  }

  @FieldResolver(() => [TestJob], {
    description: 'The jobs the test ran in, by name; runs without a job come first.',
  })
  jobs(@Root() test: Test, @Ctx() ctx: Context): Promise<TestJob[]> {
    return testJobs(ctx.db, test.rowId);
  }
}
