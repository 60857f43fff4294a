import { filter as keep, pipe } from '@graphql-yoga/subscription';
import {
  Arg,
  Args,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { ApiError, ErrorCode } from '../graphql/errors.js';
import { PageArgs } from '../graphql/pagination.js';
import type { RunIngestedEvent } from '../graphql/pubsub.js';
import { Artifact, Dstat } from './artifact.type.js';
import { deleteRun } from './run-delete.js';
import { runMatches } from './run-match.js';
import { listRuns, metadataKeys, runByRef } from './run.service.js';
import { Run, RunConnection, RunFilter, RunMetadata } from './run.type.js';
import { runResult, runResults, runTimeline } from './result.service.js';
import {
  Attachment,
  TestResult,
  TestResultConnection,
  TestStatus,
  Timeline,
} from './result.type.js';

@ObjectType({ description: 'A metadata key and how many runs carry it.' })
class MetadataKey {
  @Field(() => String)
  key!: string;

  @Field(() => Int)
  runs!: number;
}

@Resolver(() => Run)
export class RunResolver {
  @Query(() => Run, { nullable: true, description: 'A run by uuid, or a prefix of 4+ characters.' })
  run(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Run | null> {
    return runByRef(ctx.db, id);
  }

  @Query(() => RunConnection, { description: 'Runs, newest first.' })
  runs(
    @Arg('filter', () => RunFilter, { nullable: true }) filter: RunFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<RunConnection> {
    return listRuns(ctx.db, filter, page);
  }

  @Query(() => [MetadataKey], { description: 'Every metadata key in use.' })
  metadataKeys(@Ctx() ctx: Context): Promise<MetadataKey[]> {
    return metadataKeys(ctx.db.knex);
  }

  @FieldResolver(() => [RunMetadata])
  metadata(@Root() run: Run, @Ctx() ctx: Context): Promise<RunMetadata[]> {
    return ctx.loaders.metadata.load(run.rowId);
  }

  @FieldResolver(() => String, { nullable: true, description: 'One metadata value.' })
  async metadataValue(
    @Root() run: Run,
    @Arg('key', () => String) key: string,
    @Ctx() ctx: Context,
  ): Promise<string | null> {
    const pairs = await ctx.loaders.metadata.load(run.rowId);
    return pairs.find((m) => m.key === key)?.value ?? null;
  }

  @FieldResolver(() => TestResultConnection, { description: 'Results in stream order.' })
  results(
    @Root() run: Run,
    @Arg('status', () => [TestStatus], { nullable: true }) status: TestStatus[] | undefined,
    @Arg('testIdPrefix', () => String, { nullable: true }) testIdPrefix: string | undefined,
    @Arg('testIdContains', () => String, { nullable: true }) testIdContains: string | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<TestResultConnection> {
    return runResults(
      ctx.db.knex,
      ctx.db.dialect,
      run,
      { status, testIdPrefix, testIdContains },
      page,
    );
  }

  @FieldResolver(() => TestResult, {
    nullable: true,
    description: 'One result by its `seq` (its place in the stream).',
  })
  result(
    @Root() run: Run,
    @Arg('seq', () => Int) seq: number,
    @Ctx() ctx: Context,
  ): Promise<TestResult | null> {
    return runResult(ctx.db.knex, run, seq);
  }

  @FieldResolver(() => Timeline, { description: 'Every result, in one lane per worker.' })
  timeline(@Root() run: Run, @Ctx() ctx: Context): Promise<Timeline> {
    return runTimeline(ctx.db.knex, run);
  }

  @FieldResolver(() => [Attachment], { description: "The run's own files (runner output)." })
  attachments(@Root() run: Run, @Ctx() ctx: Context): Promise<Attachment[]> {
    return ctx.loaders.runAttachments.load(run.rowId);
  }

  @FieldResolver(() => [Artifact], { description: 'The original files, downloadable.' })
  artifacts(@Root() run: Run, @Ctx() ctx: Context): Promise<Artifact[]> {
    return ctx.loaders.artifacts.load(run.rowId);
  }

  @FieldResolver(() => Dstat, { nullable: true, description: 'Resource usage during the run.' })
  dstat(@Root() run: Run, @Ctx() ctx: Context): Promise<Dstat | null> {
    return ctx.loaders.dstat.load(run.rowId);
  }

  @Mutation(() => ID, { description: 'Deletes a run and its results; needs a token.' })
  async deleteRun(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    await ctx.requireToken();
    const run = await runByRef(ctx.db, id);
    if (!run || !(await deleteRun(ctx.db, run.rowId))) {
      throw new ApiError(ErrorCode.NOT_FOUND, `no run with id ${id}`);
    }
    return run.id;
  }

  @Subscription(() => Run, {
    description:
      'Every run stored through this server, or any server sharing its Redis, that matches the filter.',
    subscribe: ({ args, context }) => {
      const { filter } = args as { filter?: RunFilter };
      const events = (context as Context).events;
      return pipe(
        events.runIngested(),
        keep((event: RunIngestedEvent) => runMatches(event, filter)),
      );
    },
  })
  runIngested(
    @Root() event: RunIngestedEvent,
    @Arg('filter', () => RunFilter, { nullable: true }) _filter: RunFilter | undefined,
  ): Run {
    return event.run;
  }
}
