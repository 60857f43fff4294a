import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { PageArgs } from '../../graphql/pagination.js';
import { DEFAULT_PAGE } from '../../db/page.js';
import { Test } from '../../tests/test.type.js';
import { listVerdicts, type VerdictView } from './flaky.service.js';
import {
  FlakyFilter,
  TestVerdict,
  TestVerdictConnection,
  VerdictEvidence,
  VerdictTransition,
} from './flaky.type.js';
import type { VerdictStanding, VerdictsContext } from './verdict-loaders.js';

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
  async verdicts(@Root() test: Test, @Ctx() ctx: VerdictsContext): Promise<TestVerdict[]> {
    return (await ctx.loaders.testVerdicts.load(test.rowId)) as unknown as TestVerdict[];
  }
}

/** A verdict from `flakyTests` has its details; one from `Test.verdicts` loads them if asked. */
type VerdictRoot = VerdictView | VerdictStanding;

async function detailsOf(root: VerdictRoot, ctx: VerdictsContext): Promise<VerdictView> {
  if ('evidence' in root) return root;
  return ctx.loaders.verdictDetails.load({ standing: root, settings: ctx.config.flaky });
}

@Resolver(() => TestVerdict)
export class TestVerdictDetailsResolver {
  @FieldResolver(() => Int, { description: 'Runs of the test in the window judged.' })
  async runs(@Root() root: VerdictRoot, @Ctx() ctx: VerdictsContext): Promise<number> {
    return (await detailsOf(root, ctx)).runs;
  }

  @FieldResolver(() => Int, { description: 'Of those, the runs it failed in.' })
  async failures(@Root() root: VerdictRoot, @Ctx() ctx: VerdictsContext): Promise<number> {
    return (await detailsOf(root, ctx)).failures;
  }

  @FieldResolver(() => VerdictEvidence)
  async evidence(@Root() root: VerdictRoot, @Ctx() ctx: VerdictsContext): Promise<VerdictEvidence> {
    return (await detailsOf(root, ctx)).evidence as VerdictEvidence;
  }

  @FieldResolver(() => [VerdictTransition], {
    description: 'Every change of verdict, oldest first.',
  })
  async history(
    @Root() root: VerdictRoot,
    @Ctx() ctx: VerdictsContext,
  ): Promise<VerdictTransition[]> {
    return (await detailsOf(root, ctx)).history as VerdictTransition[];
  }
}
