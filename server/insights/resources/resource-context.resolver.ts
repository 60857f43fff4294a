import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { TestResult } from '../../runs/result.type.js';
import { resourceContext } from './resource-baseline.js';
import { ResourceColumn } from './resource-context.type.js';
import type { ResourcesContext } from './resources.loaders.js';

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
    @Ctx() ctx: ResourcesContext,
  ): Promise<ResourceColumn[] | null> {
    const { startTime, stopTime } = result;
    if (!startTime || !stopTime) return null;
    const dstat = await ctx.loaders.dstat.load(result.runRowId);
    if (!dstat) return null;
    const settings = ctx.config.resources;
    const series = await ctx.loaders.dstatColumns.load(dstat.dstatRowId);
    const byKey = new Map(series.map((s) => [s.key, s]));
    const columns = settings.columns.flatMap((key) => byKey.get(key) ?? []);
    return resourceContext(dstat.times, columns, startTime.getTime(), stopTime.getTime(), settings);
  }
}
