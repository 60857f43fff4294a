/**
 * The fields that join CI reports and runs to the Gerrit model: here, because the Gerrit side
 * reads the CI side (never the reverse).
 */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { CiBuild, CiReport, CiSystem } from '../cis/ci.type.js';
import { CiMatrixRow, CiMissedPatchSet } from '../cis/health.type.js';
import { Run } from '../runs/run.type.js';
import type { GerritContext } from './gerrit.loaders.js';
import { GerritChange, GerritPatchSet } from './gerrit.type.js';

@Resolver(() => CiReport)
export class CiReportLinks {
  @FieldResolver(() => GerritPatchSet)
  async patchSet(@Root() report: CiReport, @Ctx() ctx: GerritContext): Promise<GerritPatchSet> {
    return (await ctx.loaders.gerritPatchSet.load(report.patchSetId))!;
  }

  @FieldResolver(() => GerritChange)
  async change(@Root() report: CiReport, @Ctx() ctx: GerritContext): Promise<GerritChange> {
    const patchSet = (await ctx.loaders.gerritPatchSet.load(report.patchSetId))!;
    return (await ctx.loaders.gerritChange.load(patchSet.changeId))!;
  }
}

@Resolver(() => CiMatrixRow)
export class CiMatrixRowLinks {
  @FieldResolver(() => GerritPatchSet)
  async patchSet(@Root() row: CiMatrixRow, @Ctx() ctx: GerritContext): Promise<GerritPatchSet> {
    return (await ctx.loaders.gerritPatchSet.load(row.patchSetId))!;
  }
}

@Resolver(() => CiMissedPatchSet)
export class CiMissedPatchSetLinks {
  @FieldResolver(() => GerritPatchSet)
  async patchSet(
    @Root() missed: CiMissedPatchSet,
    @Ctx() ctx: GerritContext,
  ): Promise<GerritPatchSet> {
    return (await ctx.loaders.gerritPatchSet.load(missed.patchSetId))!;
  }
}

@Resolver(() => Run)
export class RunLinks {
  @FieldResolver(() => CiBuild, {
    nullable: true,
    description: 'The CI build whose log URL is this run’s artifacts URL.',
  })
  build(@Root() run: Run, @Ctx() ctx: GerritContext): Promise<CiBuild | null> {
    return ctx.loaders.buildOfRun.load(run.rowId);
  }

  @FieldResolver(() => CiSystem, { nullable: true, description: 'The CI that reported its build.' })
  async ci(@Root() run: Run, @Ctx() ctx: GerritContext): Promise<CiSystem | null> {
    const report = await this.report(run, ctx);
    return report === null ? null : ctx.loaders.ciSystem.load(report.ciId);
  }

  @FieldResolver(() => GerritPatchSet, {
    nullable: true,
    description: 'The patch set its build reported on (`patchset` is the metadata’s number).',
  })
  async patchSet(@Root() run: Run, @Ctx() ctx: GerritContext): Promise<GerritPatchSet | null> {
    const report = await this.report(run, ctx);
    return report === null ? null : ctx.loaders.gerritPatchSet.load(report.patchSetId);
  }

  @FieldResolver(() => GerritChange, {
    nullable: true,
    description: 'The change its build reported on (`change` is the metadata’s number).',
  })
  async gerritChange(@Root() run: Run, @Ctx() ctx: GerritContext): Promise<GerritChange | null> {
    const patchSet = await this.patchSet(run, ctx);
    return patchSet === null ? null : ctx.loaders.gerritChange.load(patchSet.changeId);
  }

  private async report(run: Run, ctx: GerritContext): Promise<CiReport | null> {
    const build = (await ctx.loaders.buildOfRun.load(run.rowId)) as
      (CiBuild & { reportId: number }) | null;
    return build === null ? null : ctx.loaders.ciReport.load(build.reportId);
  }
}
