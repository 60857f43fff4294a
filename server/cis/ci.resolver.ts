import { filter as keep, map, pipe } from '@graphql-yoga/subscription';
import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root, Subscription } from 'type-graphql';
import { ApiError, ErrorCode } from '../graphql/errors.js';
import { PageArgs } from '../graphql/pagination.js';
import { DateTime } from '../graphql/scalars.js';
import { Run } from '../runs/run.type.js';
import { ciReport, type CiReportEvent } from './ci.topics.js';
import type { CisContext } from './ci.loaders.js';
import { ciSystemsByAccount, listCiSystems, listReports } from './ci.service.js';
import {
  CiBuild,
  CiFigures,
  CiReport,
  CiReportConnection,
  CiReportFilter,
  CiSystem,
} from './ci.type.js';
import { ciFigures } from './figures.service.js';
import { queryWindow } from './window.js';

const DAY_MS = 86_400_000;

@Resolver(() => CiSystem)
export class CiSystemResolver {
  @Query(() => [CiSystem], { description: 'Every CI system, upstream first, then by name.' })
  ciSystems(
    @Arg('server', () => String, { nullable: true }) server: string | undefined,
    @Ctx() ctx: CisContext,
  ): Promise<CiSystem[]> {
    return listCiSystems(ctx.db.knex, server ?? null);
  }

  @Query(() => CiSystem, { nullable: true, description: 'A CI system by its account.' })
  async ciSystem(
    @Arg('ci', () => String) ci: string,
    @Arg('server', () => String, { nullable: true }) server: string | undefined,
    @Ctx() ctx: CisContext,
  ): Promise<CiSystem | null> {
    const found = await ciSystemsByAccount(ctx.db.knex, ci, server ?? null);
    if (found.length > 1) {
      throw new ApiError(
        ErrorCode.BAD_USER_INPUT,
        `CI ${ci} reports on several Gerrit servers: give server`,
      );
    }
    return found[0] ?? null;
  }

  @Query(() => [CiFigures], {
    description:
      'Every CI’s figures over a window (default: the 24 hours before `until`, default now); with `project`, the CIs that reported on it.',
  })
  ciFigures(
    @Arg('since', () => DateTime, { nullable: true }) since: Date | undefined,
    @Arg('until', () => DateTime, { nullable: true }) until: Date | undefined,
    @Arg('project', () => String, { nullable: true }) project: string | undefined,
    @Ctx() ctx: CisContext,
  ): Promise<CiFigures[]> {
    return ciFigures(ctx.db, { ...queryWindow(since, until, DAY_MS), project: project ?? null });
  }
}

@Resolver(() => CiReport)
export class CiReportResolver {
  @Query(() => CiReportConnection, { description: 'CI reports, newest first.' })
  ciReports(
    @Arg('filter', () => CiReportFilter, { nullable: true }) filter: CiReportFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: CisContext,
  ): Promise<CiReportConnection> {
    return listReports(ctx.db, filter, page);
  }

  @FieldResolver(() => CiSystem)
  async ci(@Root() report: CiReport, @Ctx() ctx: CisContext): Promise<CiSystem> {
    return (await ctx.loaders.ciSystem.load(report.ciId))!;
  }

  @FieldResolver(() => [CiBuild], { description: 'One per job line, in order.' })
  builds(@Root() report: CiReport, @Ctx() ctx: CisContext): Promise<CiBuild[]> {
    return ctx.loaders.buildsOfReport.load(report.rowId);
  }
}

/** Live CI reports (a class of its own: a query of the same name lives beside it). */
@Resolver()
export class CiReportSubscription {
  @Subscription(() => CiReport, {
    description: 'Each CI report as stored (by the collecting instance on the same event bus).',
    subscribe: ({ args, context }) => {
      const { project, ci } = args as { project?: string | null; ci?: string | null };
      return pipe(
        (context as CisContext).events.subscribe(ciReport),
        keep(
          (event: CiReportEvent) =>
            (project == null || event.project === project) && (ci == null || event.ci === ci),
        ),
        map(reportOfEvent),
      );
    },
  })
  ciReports(
    @Root() report: CiReport,
    @Arg('project', () => String, { nullable: true }) _project: string | undefined,
    @Arg('ci', () => String, { nullable: true }) _ci: string | undefined,
  ): CiReport {
    return report;
  }
}

function reportOfEvent(event: CiReportEvent): CiReport {
  return {
    rowId: event.id,
    id: String(event.id),
    ciId: event.ciId,
    patchSetId: event.patchSetId,
    project: event.project,
    pipeline: event.pipeline,
    verdict: event.verdict,
    vote: event.vote,
    createdAt: new Date(event.createdAt),
  };
}

@Resolver(() => CiBuild)
export class CiBuildResolver {
  @FieldResolver(() => Run, {
    nullable: true,
    description: 'The ingested run whose artifacts URL is this build’s log URL.',
  })
  async run(@Root() build: CiBuild, @Ctx() ctx: CisContext): Promise<Run | null> {
    return build.runId === null ? null : ctx.loaders.run.load(build.runId);
  }
}
