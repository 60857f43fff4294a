import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { PageArgs } from '../graphql/pagination.js';
import { Resolution } from '../graphql/resolution.js';
import { DateTime } from '../graphql/scalars.js';
import type { CisContext } from './ci.loaders.js';
import { ciMatrix } from './matrix.service.js';
import { projectsCi } from './projects-ci.service.js';
import { missedPatchSets } from './missed.service.js';
import { ciRecord, ciReportSeries } from './record.service.js';
import { queryWindow, type RecordWindow } from './window.js';
import {
  CiMatrix,
  CiMissedPatchSetConnection,
  CiRecord,
  CiReportBucket,
  ProjectCi,
} from './health.type.js';

@Resolver(() => CiMatrix)
export class CiMatrixResolver {
  @Query(() => CiMatrix, {
    description:
      "A project's matrix: its patch sets created in the window (default: the 24 hours before `until`, default now) × its CIs.",
  })
  ciMatrix(
    @Arg('project', () => String) project: string,
    @Arg('server', () => String, { nullable: true }) server: string | undefined,
    @Arg('since', () => DateTime, { nullable: true }) since: Date | undefined,
    @Arg('until', () => DateTime, { nullable: true }) until: Date | undefined,
    @Arg('cis', () => [String], {
      nullable: true,
      description: 'The columns, by account (default: every CI that reported in the window).',
    })
    cis: string[] | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: CisContext,
  ): Promise<CiMatrix> {
    return ciMatrix(ctx.db, { project, server, since, until, cis, page });
  }

  @Query(() => [ProjectCi], {
    description:
      'Who has CI: per project (of one server, or one project), the CIs that reported in the window and those that stopped.',
  })
  projectsCi(
    @Arg('server', () => String, { nullable: true }) server: string | undefined,
    @Arg('project', () => String, { nullable: true }) project: string | undefined,
    @Arg('since', () => DateTime, { nullable: true }) since: Date | undefined,
    @Arg('until', () => DateTime, { nullable: true }) until: Date | undefined,
    @Ctx() ctx: CisContext,
  ): Promise<ProjectCi[]> {
    return projectsCi(ctx.db, { server, project, since, until });
  }
}

@Resolver(() => CiRecord)
export class CiRecordResolver {
  @Query(() => CiRecord, {
    nullable: true,
    description:
      "One CI's record over a window (default: the 7 days before `until`, default now); null when no such CI.",
  })
  ciRecord(
    @Arg('ci', () => String) ci: string,
    @Arg('server', () => String, { nullable: true }) server: string | undefined,
    @Arg('since', () => DateTime, { nullable: true }) since: Date | undefined,
    @Arg('until', () => DateTime, { nullable: true }) until: Date | undefined,
    @Ctx() ctx: CisContext,
  ): Promise<CiRecord | null> {
    return ciRecord(ctx.db, {
      ci,
      server: server ?? null,
      ...queryWindow(since, until, RECORD_WINDOW_MS),
    });
  }

  @FieldResolver(() => [CiReportBucket], {
    description: 'Its reports per bucket over the window, oldest first; empty buckets left out.',
  })
  overTime(
    @Root() record: CiRecord,
    @Arg('resolution', () => Resolution, { defaultValue: Resolution.DAY }) resolution: Resolution,
    @Ctx() ctx: CisContext,
  ): Promise<CiReportBucket[]> {
    return ciReportSeries(ctx.db, windowOf(record), resolution);
  }

  @FieldResolver(() => CiMissedPatchSetConnection, {
    description: 'The eligible patch sets it did not report on, newest first.',
  })
  missed(
    @Root() record: CiRecord,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: CisContext,
  ): Promise<CiMissedPatchSetConnection> {
    return missedPatchSets(
      ctx.db,
      windowOf(record),
      page,
      async () => (await record.figures).missed,
    );
  }
}

const RECORD_WINDOW_MS = 7 * 86_400_000;

function windowOf(record: CiRecord): RecordWindow {
  return { ciId: record.ciId, since: record.since, until: record.until };
}
