import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RunsContext } from '../runs/run.loaders.js';
import { Run } from '../runs/run.type.js';
import { ScrapeJob } from './scrape.type.js';

@Resolver(() => ScrapeJob)
export class ScrapeJobResolver {
  @FieldResolver(() => Run, {
    nullable: true,
    description: 'The run already stored for this job’s log URL: nothing left to scrape.',
  })
  async run(@Root() job: ScrapeJob, @Ctx() ctx: RunsContext): Promise<Run | null> {
    return job.runId === null ? null : ctx.loaders.run.load(job.runId);
  }
}
