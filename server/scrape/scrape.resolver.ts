import { map } from '@graphql-yoga/subscription';
import {
  Arg,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { SECTIONS } from '../config/settings.js';
import type { Context } from '../graphql/context.js';
import { ApiError, ErrorCode } from '../graphql/errors.js';
import type { RunsContext } from '../runs/run.loaders.js';
import { Run } from '../runs/run.type.js';
import { resolveChange } from './resolve.service.js';
import { chooseJob, requestScrape } from './scrape.service.js';
import type { ScrapeState } from './scrape.type.js';
import { ChangeResolution, ScrapeTask } from './scrape.type.js';
import { taskByUuid, type Task } from './tasks.js';
import { taskUpdates } from './updates.js';

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
      'Scrape a job of the input (`job` names it; needless when the input has one job or is a log URL): a task, or the finished one when already scraped. Needs a token, unless the server runs with --public-scrape (then rate-limited per client address).',
  })
  async scrape(
    @Arg('input', () => String) input: string,
    @Arg('job', () => String, { nullable: true }) job: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<ScrapeTask> {
    await admit(ctx);
    const resolution = await resolveChange(ctx.db, ctx.gerrit, input);
    const { task } = await requestScrape(
      ctx.db,
      ctx.events,
      resolution,
      chooseJob(resolution, job ?? null),
    );
    return scrapeTaskOf(task);
  }

  @Query(() => ScrapeTask, { nullable: true })
  async scrapeTask(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
  ): Promise<ScrapeTask | null> {
    const task = await taskByUuid(ctx.db.knex, id);
    return task === null ? null : scrapeTaskOf(task);
  }

  @FieldResolver(() => Run, { nullable: true, description: 'The stored run, once finished.' })
  async run(@Root() task: ScrapeTask, @Ctx() ctx: RunsContext): Promise<Run | null> {
    return task.runId === null ? null : ctx.loaders.run.load(task.runId);
  }
}

@Resolver()
export class ScrapeTaskSubscription {
  @Subscription(() => ScrapeTask, {
    description: 'The task now, then at each change of state, stage or progress until it ends.',
    subscribe: async ({ args, context }) => {
      const { db, events } = context as Context;
      const id = String((args as { id: string }).id);
      if ((await taskByUuid(db.knex, id)) === null) {
        throw new ApiError(ErrorCode.NOT_FOUND, `no scrape task ${id.slice(0, 64)}`);
      }
      return map(scrapeTaskOf)(taskUpdates(db, events, id));
    },
  })
  scrapeTaskUpdated(@Root() task: ScrapeTask, @Arg('id', () => ID) _id: string): ScrapeTask {
    return task;
  }
}

/** The token a write needs, or with `--public-scrape` a client within its rate. */
async function admit(ctx: Context): Promise<void> {
  const { publicScrape, publicRateLimit } = ctx.config.scrape;
  if (!publicScrape) {
    await ctx.requireToken();
    return;
  }
  try {
    await ctx.requireToken();
    return;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
  if (!ctx.allow('scrape', publicRateLimit)) {
    throw new ApiError(
      ErrorCode.RATE_LIMITED,
      `more than ${publicRateLimit} scrapes a minute from ${ctx.clientAddress} (${SECTIONS.scrape.publicRateLimit.env}): try again in a minute, or with a token`,
      429,
    );
  }
}

function scrapeTaskOf(task: Task): ScrapeTask {
  return {
    rowId: task.rowId,
    runId: task.runId,
    id: task.uuid,
    state: task.state as ScrapeState,
    stage: task.stage,
    url: task.url,
    job: task.job,
    bytesFetched: task.bytesFetched,
    attempts: task.attempts,
    error: task.error,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}
