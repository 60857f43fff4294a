import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RunsContext } from './run.loaders.js';
import { Dstat, DstatSeries } from './artifact.type.js';
import { dstatKeys, dstatSeries } from './artifact.service.js';

@Resolver(() => Dstat)
export class DstatResolver {
  @FieldResolver(() => [String], { description: 'The recorded columns.' })
  columns(@Root() dstat: Dstat, @Ctx() ctx: RunsContext): Promise<string[]> {
    return dstatKeys(ctx.db.knex, dstat.dstatRowId);
  }

  @FieldResolver(() => [DstatSeries], { description: 'The columns named, else all of them.' })
  series(
    @Root() dstat: Dstat,
    @Arg('keys', () => [String], { nullable: true }) keys: string[] | undefined,
    @Ctx() ctx: RunsContext,
  ): Promise<DstatSeries[]> {
    return dstatSeries(ctx.db.knex, dstat.dstatRowId, keys);
  }
}
