import { filter as keep, map, pipe } from '@graphql-yoga/subscription';
import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
  Int,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { CiReport } from '../cis/ci.type.js';
import { PageArgs } from '../graphql/pagination.js';
import { Run } from '../runs/run.type.js';
import { MAX_CHANGE_RUNS } from './change-activity.service.js';
import type { EventSummary } from './events.js';
import type { GerritContext } from './gerrit.loaders.js';
import {
  changeByNumber,
  listChanges,
  listPatchSets,
  listProjects,
  listServers,
} from './gerrit.service.js';
import { gerritEvent } from './gerrit.topics.js';
import {
  GerritAccount,
  GerritChange,
  GerritChangeConnection,
  GerritEventNotice,
  GerritFilter,
  GerritPatchSet,
  GerritPatchSetConnection,
  GerritProjectConnection,
  GerritRecheck,
  GerritServer,
} from './gerrit.type.js';

@Resolver(() => GerritServer)
export class GerritServerResolver {
  @Query(() => [GerritServer], { description: 'The Gerrit servers collected from.' })
  gerritServers(@Ctx() ctx: GerritContext): Promise<GerritServer[]> {
    return listServers(ctx.db.knex);
  }

  @Query(() => GerritProjectConnection, { description: 'Gerrit projects.' })
  gerritProjects(
    @Arg('server', () => String, { nullable: true }) server: string | undefined,
    @Arg('nameContains', () => String, { nullable: true }) nameContains: string | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: GerritContext,
  ): Promise<GerritProjectConnection> {
    return listProjects(ctx.db, { server, nameContains }, page);
  }
}

@Resolver(() => GerritChange)
export class GerritChangeResolver {
  @Query(() => GerritChange, {
    nullable: true,
    description: 'A change by number (give `server` when several servers have it).',
  })
  change(
    @Arg('number', () => Int) number: number,
    @Arg('server', () => String, { nullable: true }) server: string | undefined,
    @Ctx() ctx: GerritContext,
  ): Promise<GerritChange | null> {
    return changeByNumber(ctx.db.knex, number, server ?? null);
  }

  @Query(() => GerritChangeConnection, { description: 'Changes, the most recently updated first.' })
  changes(
    @Arg('filter', () => GerritFilter, { nullable: true }) filter: GerritFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: GerritContext,
  ): Promise<GerritChangeConnection> {
    return listChanges(ctx.db, filter ?? {}, page);
  }

  @FieldResolver(() => GerritAccount, { nullable: true })
  owner(
    @Root() change: GerritChange,
    @Ctx() ctx: GerritContext,
  ): Promise<GerritAccount | null> | null {
    return change.ownerId === null ? null : ctx.loaders.gerritAccount.load(change.ownerId);
  }

  @FieldResolver(() => [GerritPatchSet], { description: 'By number.' })
  patchSets(@Root() change: GerritChange, @Ctx() ctx: GerritContext): Promise<GerritPatchSet[]> {
    return ctx.loaders.patchSetsOfChange.load(change.rowId);
  }

  @FieldResolver(() => [GerritRecheck], {
    description: 'Its `recheck`/`reverify` comments, oldest first.',
  })
  rechecks(@Root() change: GerritChange, @Ctx() ctx: GerritContext): Promise<GerritRecheck[]> {
    return ctx.loaders.rechecksOfChange.load(change.rowId);
  }

  @FieldResolver(() => Int, { description: 'How many `rechecks` it has.' })
  async recheckCount(@Root() change: GerritChange, @Ctx() ctx: GerritContext): Promise<number> {
    return (await ctx.loaders.rechecksOfChange.load(change.rowId)).length;
  }

  @FieldResolver(() => [Run], {
    description: `The runs ingested for it, newest first, at most ${MAX_CHANGE_RUNS}: those its reports' builds link to and those whose \`build_change\` metadata is its number in its project.`,
  })
  runs(@Root() change: GerritChange, @Ctx() ctx: GerritContext): Promise<Run[]> {
    return ctx.loaders.runsOfChange.load(change.rowId);
  }
}

@Resolver(() => GerritRecheck)
export class GerritRecheckResolver {
  @FieldResolver(() => GerritAccount)
  async author(@Root() recheck: GerritRecheck, @Ctx() ctx: GerritContext): Promise<GerritAccount> {
    return (await ctx.loaders.gerritAccount.load(recheck.authorId))!;
  }
}

@Resolver(() => GerritPatchSet)
export class GerritPatchSetResolver {
  @Query(() => GerritPatchSetConnection, { description: 'Patch sets, the newest first.' })
  patchSets(
    @Arg('filter', () => GerritFilter, { nullable: true }) filter: GerritFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: GerritContext,
  ): Promise<GerritPatchSetConnection> {
    return listPatchSets(ctx.db, filter ?? {}, page);
  }

  @FieldResolver(() => GerritChange)
  async change(@Root() patchSet: GerritPatchSet, @Ctx() ctx: GerritContext): Promise<GerritChange> {
    return (await ctx.loaders.gerritChange.load(patchSet.changeId))!;
  }

  @FieldResolver(() => GerritAccount, { nullable: true })
  uploader(
    @Root() patchSet: GerritPatchSet,
    @Ctx() ctx: GerritContext,
  ): Promise<GerritAccount | null> | null {
    return patchSet.uploaderId === null
      ? null
      : ctx.loaders.gerritAccount.load(patchSet.uploaderId);
  }

  @FieldResolver(() => [CiReport], { description: 'Every CI report on it, oldest first.' })
  reports(@Root() patchSet: GerritPatchSet, @Ctx() ctx: GerritContext): Promise<CiReport[]> {
    return ctx.loaders.reportsOfPatchSet.load(patchSet.rowId);
  }
}

@Resolver()
export class GerritEventSubscription {
  @Subscription(() => GerritEventNotice, {
    description:
      'Every event the collector accepts (stored for the first time, or of a type not stored), on any instance of the same event bus.',
    subscribe: ({ args, context }) => {
      const { project } = args as { project?: string | null };
      return pipe(
        (context as GerritContext).events.subscribe(gerritEvent),
        keep((event: EventSummary) => project == null || event.project === project),
        map((event: EventSummary) => ({ ...event, createdOn: new Date(event.createdOn * 1000) })),
      );
    },
  })
  gerritEvents(
    @Root() event: GerritEventNotice,
    @Arg('project', () => String, { nullable: true }) _project: string | undefined,
  ): GerritEventNotice {
    return event;
  }
}
