import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { PageArgs } from '../../graphql/pagination.js';
import { testTimings } from './timings.service.js';
import { TestTiming, TestTimingConnection, TestTimingsFilter } from './timings.type.js';

@Resolver(() => TestTiming)
export class TestTimingsResolver {
  @Query(() => TestTimingConnection, {
    description:
      "Each test's count, mean, p50 and p95 of successful durations over a window (at most " +
      '`timings.maxWindow` long), by test id in byte order, one page.',
  })
  testTimings(
    @Arg('filter', () => TestTimingsFilter, { nullable: true })
    filter: TestTimingsFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<TestTimingConnection> {
    return testTimings(ctx.db, filter ?? {}, ctx.config.timings, page);
  }
}
