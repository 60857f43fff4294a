import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { dstatSeries } from '../../runs/artifact.service.js';
import { TestResult } from '../../runs/result.type.js';
import type { RunsContext } from '../../runs/run.loaders.js';
import { resourceContext } from './resource-baseline.js';
import { ResourceColumn } from './resource-context.type.js';

/** A result's resource context: read from its run's stored dstat series, nothing kept. */
@Resolver(() => TestResult)
export class ResourceContextResolver {
  @FieldResolver(() => [ResourceColumn], {
    nullable: true,
    description:
      "The machine while the test ran (the `resources.columns` its run's dstat recording has) " +
      'against the whole recording: what to look at beside a failure. Null without a ' +
      'recording or without start and stop times.',
  })
  async resourceContext(
    @Root() result: TestResult,
    @Ctx() ctx: RunsContext,
  ): Promise<ResourceColumn[] | null> {
    const { startTime, stopTime } = result;
    if (!startTime || !stopTime) return null;
    const dstat = await ctx.loaders.dstat.load(result.runRowId);
    if (!dstat) return null;
    const settings = ctx.config.resources;
    const series = await dstatSeries(ctx.db.knex, dstat.dstatRowId, [...settings.columns]);
    const byKey = new Map(series.map((s) => [s.key, s]));
    const columns = settings.columns.flatMap((key) => byKey.get(key) ?? []);
    return resourceContext(dstat.times, columns, startTime.getTime(), stopTime.getTime(), settings);
  }
}
