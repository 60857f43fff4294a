/** On-demand scraping: what a pasted change or log URL resolves to, and the tasks that fetch a job's run. */
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from '../graphql/scalars.js';

@ObjectType({ simpleResolvers: true, description: "One CI job of a change's latest results." })
export class ScrapeJob {
  /** The run already stored for this log URL, if any. */
  runId!: number | null;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  pipeline!: string | null;

  @Field(() => String, { nullable: true, description: 'SUCCESS, FAILURE, … as the CI wrote it.' })
  result!: string | null;

  @Field(() => String)
  logUrl!: string;

  @Field(() => String, { nullable: true, description: "The CI's account." })
  ci!: string | null;

  @Field(() => Int, { nullable: true })
  change!: number | null;

  @Field(() => Int, { nullable: true })
  patchSet!: number | null;

  @Field(() => String, { nullable: true })
  project!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'What a pasted input resolved to.' })
export class ChangeResolution {
  @Field(() => String, { description: 'The input, trimmed.' })
  input!: string;

  @Field(() => String, {
    description:
      '`change` (a number, change,patchset, a Gerrit URL) or `log-url` (a job’s log directory).',
  })
  kind!: string;

  @Field(() => String, {
    description: '`database` (the collector knew it), `gerrit` (its REST API) or `log-url`.',
  })
  source!: string;

  @Field(() => String, { nullable: true, description: 'The Gerrit server (as configured).' })
  server!: string | null;

  @Field(() => Int, { nullable: true })
  change!: number | null;

  @Field(() => Int, { nullable: true, description: 'The patch set the jobs reported on.' })
  patchSet!: number | null;

  @Field(() => String, { nullable: true })
  project!: string | null;

  @Field(() => String, { nullable: true })
  subject!: string | null;

  @Field(() => [ScrapeJob], { description: 'One per job: each job’s latest result, by name.' })
  jobs!: ScrapeJob[];
}

export enum ScrapeState {
  QUEUED = 'queued',
  RUNNING = 'running',
  FINISHED = 'finished',
  FAILED = 'failed',
}

registerEnumType(ScrapeState, {
  name: 'ScrapeState',
  description: 'queued → running → finished (with its run) or failed (with its error).',
});

@ObjectType({
  simpleResolvers: true,
  description: 'A durable scraping task: one job’s logs → a run.',
})
export class ScrapeTask {
  rowId!: number;
  runId!: number | null;

  @Field(() => ID)
  id!: string;

  @Field(() => ScrapeState)
  state!: ScrapeState;

  @Field(() => String, {
    nullable: true,
    description: 'While running: `crawling`, `downloading`, `parsing` or `storing`.',
  })
  stage!: string | null;

  @Field(() => String, { description: "The job's log directory." })
  url!: string;

  @Field(() => String, { nullable: true })
  job!: string | null;

  @Field(() => Float, { description: 'Bytes downloaded so far.' })
  bytesFetched!: number;

  @Field(() => Int, { description: 'Attempts started (transient errors are retried).' })
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'Why it failed, for a user.' })
  error!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;
}
