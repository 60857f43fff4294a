import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { ApiError, ErrorCode } from '../graphql/errors.js';
import { resolveChange } from './resolve.service.js';
import { ChangeResolution, ScrapeTask } from './scrape.type.js';

// CONTRACT STUB (session 5): the helpers replace every body below.
const todo = (what: string) =>
  new ApiError(ErrorCode.INTERNAL_SERVER_ERROR, `${what}: not implemented yet`);

@Resolver(() => ScrapeTask)
export class ScrapeResolver {
  @Query(() => ChangeResolution, {
    description:
      'A change number, `change,patchset`, a Gerrit change URL or a job’s log URL → the latest CI result of each job.',
  })
  resolveChange(
    @Arg('input', () => String) input: string,
    @Ctx() ctx: Context,
  ): Promise<ChangeResolution> {
    return resolveChange(ctx.db, ctx.gerrit, input);
  }

  @Mutation(() => ScrapeTask, {
    description:
      'Scrape a job of the input (`job` names it; needless when the input has one job or is a log URL): a task, or the finished one when already scraped.',
  })
  scrape(
    @Arg('input', () => String) _input: string,
    @Arg('job', () => String, { nullable: true }) _job: string | undefined,
    @Ctx() _ctx: Context,
  ): Promise<ScrapeTask> {
    throw todo('scrape');
  }

  @Query(() => ScrapeTask, { nullable: true })
  scrapeTask(@Arg('id', () => ID) _id: string, @Ctx() _ctx: Context): Promise<ScrapeTask | null> {
    throw todo('scrapeTask');
  }
}

@Resolver()
export class ScrapeTaskSubscription {
  @Subscription(() => ScrapeTask, {
    description: 'The task now, then at each change of state, stage or progress until it ends.',
    subscribe: () => {
      throw todo('scrapeTaskUpdated');
    },
  })
  scrapeTaskUpdated(@Root() task: ScrapeTask, @Arg('id', () => ID) _id: string): ScrapeTask {
    return task;
  }
}
