import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { PageArgs } from '../../graphql/pagination.js';
import { DEFAULT_PAGE } from '../../db/page.js';
import { Test } from '../../tests/test.type.js';
import { listVerdicts, verdictsOfTest } from './flaky.service.js';
import { FlakyFilter, TestVerdict, TestVerdictConnection } from './flaky.type.js';

@Resolver()
export class FlakyResolver {
  @Query(() => TestVerdictConnection, {
    description:
      'Flaky and broken tests (or the verdict asked for) per scope, latest failure first, with evidence and history.',
  })
  async flakyTests(
    @Arg('filter', () => FlakyFilter, { nullable: true }) filter: FlakyFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<TestVerdictConnection> {
    return (await listVerdicts(ctx.db, ctx.config.flaky, filter ?? {}, {
      first: page.first ?? DEFAULT_PAGE,
      after: page.after,
    })) as TestVerdictConnection;
  }
}

@Resolver(() => Test)
export class TestVerdictsResolver {
  @FieldResolver(() => [TestVerdict], {
    description: "The test's verdicts, one per scope it has one on (fixed ones included).",
  })
  async verdicts(@Root() test: Test, @Ctx() ctx: Context): Promise<TestVerdict[]> {
    return (await verdictsOfTest(ctx.db, ctx.config.flaky, test.rowId)) as TestVerdict[];
  }
}
