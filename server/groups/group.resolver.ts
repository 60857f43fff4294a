import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Database } from '../db/orm.js';
import type { Context } from '../graphql/context.js';
import { PageArgs } from '../graphql/pagination.js';
import { failedTests, failedTestsBy } from '../jobs/job.service.js';
import { FailedTest } from '../jobs/job.type.js';
import { narrowed, pageLoader, windowKey, type GroupTotals } from '../jobs/series.service.js';
import { Resolution } from '../graphql/resolution.js';
import { GroupSeries, RunBucket, WindowArgs } from '../jobs/series.type.js';
import { RunFilter } from '../runs/run.type.js';
import { DEFAULT_GROUP_KEY, freshness, pageOfKeyGroups, seriesBy } from './group.service.js';
import { Freshness, Group, GroupConnection } from './group.type.js';

const DEFAULT_LAST_RUNS = 10;

@Resolver(() => Group)
export class GroupResolver {
  @Query(() => GroupConnection, {
    description:
      'The values of a metadata key among the runs matching the filter, by value, each ' +
      "counted over those runs (the filter's since/until bound the counts).",
  })
  groups(
    @Arg('key', () => String, { defaultValue: DEFAULT_GROUP_KEY }) key: string,
    @Arg('filter', () => RunFilter, { nullable: true }) filter: RunFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<GroupConnection> {
    return pageOfKeyGroups(ctx.db, key, filter, page, (groups) =>
      groupsOf(ctx.db, key, filter, groups),
    );
  }

  @Query(() => [GroupSeries], {
    description:
      'The runs matching the filter per time bucket, one series per value of the metadata ' +
      'key `groupBy` (runs lacking it under null, last), or one series when not grouped; ' +
      'computed in one grouped query.',
  })
  runSeries(
    @Arg('groupBy', () => String, { nullable: true }) groupBy: string | undefined,
    @Arg('filter', () => RunFilter, { nullable: true }) filter: RunFilter | undefined,
    @Arg('resolution', () => Resolution, { defaultValue: Resolution.DAY }) resolution: Resolution,
    @Ctx() ctx: Context,
  ): Promise<GroupSeries[]> {
    return seriesBy(ctx.db, groupBy, filter, resolution);
  }

  @Query(() => [FailedTest], {
    name: 'failedTests',
    description:
      'The tests that failed in the `lastRuns` (1…100) newest failed runs matching the filter.',
  })
  allFailedTests(
    @Arg('filter', () => RunFilter, { nullable: true }) filter: RunFilter | undefined,
    @Arg('lastRuns', () => Int, { defaultValue: DEFAULT_LAST_RUNS }) lastRuns: number,
    @Ctx() ctx: Context,
  ): Promise<FailedTest[]> {
    return failedTests(ctx.db, filter, lastRuns);
  }

  @Query(() => Freshness, { description: 'The newest run matching the filter, and its age.' })
  freshness(
    @Arg('filter', () => RunFilter, { nullable: true }) filter: RunFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<Freshness> {
    return freshness(ctx.db, filter);
  }

  @FieldResolver(() => [RunBucket], {
    description:
      "Its runs per time bucket, oldest first, empty buckets left out; since/until default to the filter's.",
  })
  series(
    @Root() group: Group,
    @Arg('resolution', () => Resolution, { defaultValue: Resolution.DAY }) resolution: Resolution,
    @Args(() => WindowArgs) window: WindowArgs,
  ): Promise<RunBucket[]> {
    return group.seriesFor(resolution, window);
  }

  @FieldResolver(() => [FailedTest], {
    description: 'The tests that failed in its `lastRuns` (1…100) newest failed runs.',
  })
  failedTests(
    @Root() group: Group,
    @Arg('lastRuns', () => Int, { defaultValue: DEFAULT_LAST_RUNS }) lastRuns: number,
  ): Promise<FailedTest[]> {
    return group.failedTestsFor(lastRuns);
  }
}

/**
 * A page of groups; their series and their failed tests load together, one query per
 * distinct set of arguments.
 */
function groupsOf(
  db: Database,
  key: string,
  filter: RunFilter | undefined,
  groups: GroupTotals[],
): Group[] {
  const series = pageLoader<{ resolution: Resolution; filter: RunFilter }, RunBucket[]>(
    groups.map((group) => group.value),
    ({ resolution, filter: asked }) => `${resolution} ${windowKey(asked)}`,
    async ({ resolution, filter: asked }, only) => {
      const found = await seriesBy(db, key, asked, resolution, only);
      return new Map(found.map((s) => [s.value, s.buckets]));
    },
    [],
  );
  const failed = pageLoader<number, FailedTest[]>(
    groups.map((group) => group.value),
    String,
    (lastRuns, only) => failedTestsBy(db, filter, { by: 'metadata', key }, lastRuns, only),
    [],
  );
  return groups.map(({ value, totals }) => ({
    key,
    value,
    runCount: totals.runs,
    passedRuns: totals.passedRuns,
    failedRuns: totals.failedRuns,
    skippedRuns: totals.skippedRuns,
    failureRate: totals.failureRate,
    lastRunAt: totals.lastRunAt,
    seriesFor: (resolution, window) =>
      series(value, { resolution, filter: narrowed(filter, window) }),
    failedTestsFor: (lastRuns) => failed(value, lastRuns),
  }));
}
