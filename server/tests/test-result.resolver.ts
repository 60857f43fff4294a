import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { TestResult } from '../runs/result.type.js';
import type { TestsContext } from './test.loaders.js';
import { Test } from './test.type.js';

/** A result's test: resolved here, where tests live, so that runs need not know them. */
@Resolver(() => TestResult)
export class TestResultTestResolver {
  @FieldResolver(() => Test)
  async test(@Root() result: TestResult, @Ctx() ctx: TestsContext): Promise<Test> {
    return (await ctx.loaders.test.load(result.testRowId))!;
  }
}
